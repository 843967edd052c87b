from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from competences.models import AssessmentSharing, FrameworkVersion, ScaleLevel, SelfAssessment
from core.concurrency import EditConflict, conflict_for
from members.directory import directory_audience
from referentiel import services
from referentiel.selectors import domain_tree
from referentiel.selfassessment import CHART_WIDTH, chart_height, mission_summaries, what_is_new

NOT_RATED, NOT_CONCERNED = "", "na"


class _RawCheckbox(forms.CheckboxInput):
    """A checkbox that hands its field the value as posted, so that a forged value can be refused."""

    def value_from_datadict(self, data, files, name):
        return data.get(name, False)


class ConsentField(forms.BooleanField):
    """A checkbox for a choice about one's data: ticked ("on") or absent, any other value refused."""

    widget = _RawCheckbox
    default_error_messages = {
        "invalid": gettext_lazy(
            "Ce choix n'a pas pu être lu : cochez ou décochez la case, puis enregistrez de nouveau."
        )
    }

    def to_python(self, value):
        if value in (False, None, ""):
            return False
        if value is True or value == "on":
            return True
        raise forms.ValidationError(self.error_messages["invalid"], code="invalid")


class SelfAssessmentForm(forms.Form):
    """A radio group and an evidence field per competence, the directory choice and the version token."""

    def __init__(self, *args, competences, scale, ratings, in_directory=False, token="", **kwargs):
        super().__init__(*args, **kwargs)
        # Missing from a stale or tampered form: "" matches no stored ratings, so it gets the conflict page.
        self.fields["token"] = forms.CharField(widget=forms.HiddenInput, required=False, initial=token, max_length=20)
        self.fields["in_directory"] = ConsentField(
            label=gettext_lazy("Permettre aux membres de me trouver dans l'annuaire par compétence et niveau minimum"),
            help_text=gettext_lazy(
                "Décoché par défaut. Coché, vous apparaissez dans les résultats de l'annuaire quand une personne qui "
                "voit la rubrique « Mon poste » de votre profil cherche une compétence avec un niveau minimum que vous "
                "atteignez : elle apprend ainsi que votre niveau est au moins celui-là. Vos niveaux et vos exemples ne "
                "sont jamais affichés, mais en essayant plusieurs niveaux on peut en déduire le vôtre. Vous pouvez "
                "décocher la case à tout moment."
            ),
            required=False,
            initial=in_directory,
        )
        self.fields["in_directory"].conflict_label = _("Trouvable dans l'annuaire par compétence et niveau")
        choices = [(NOT_RATED, gettext_lazy("Pas encore évalué"))]
        choices += [(str(level.value), f"{level.value}. {level.label}") for level in scale]
        choices += [(NOT_CONCERNED, gettext_lazy("Non concerné·e"))]
        self.codes = []
        for competence in competences:
            rating = ratings.get(competence.code)
            initial = NOT_RATED
            if rating is not None:
                initial = NOT_CONCERNED if rating.not_concerned else str(rating.level or "")
            self.fields[f"level-{competence.code}"] = forms.ChoiceField(
                label=f"{competence.code} {competence.title}",
                choices=choices,
                required=False,
                initial=initial,
                widget=forms.RadioSelect,
            )
            self.fields[f"evidence-{competence.code}"] = forms.CharField(
                label=gettext_lazy("Exemple ou preuve (facultatif)"),
                max_length=280,
                required=False,
                initial=rating.evidence if rating else "",
            )
            self.fields[f"evidence-{competence.code}"].conflict_label = _("Exemple ou preuve pour %(code)s") % {
                "code": competence.code
            }
            self.codes.append(competence.code)

    def ratings(self) -> dict[str, tuple[int | None, bool, str]]:
        result = {}
        for code in self.codes:
            choice = self.cleaned_data.get(f"level-{code}") or NOT_RATED
            evidence = self.cleaned_data.get(f"evidence-{code}", "")
            if choice == NOT_CONCERNED:
                result[code] = (None, True, evidence)
            else:
                result[code] = (int(choice) if choice else None, False, evidence)
        return result


def self_assessment(request):
    version = FrameworkVersion.objects.current()
    if version is None:
        return render(request, "referentiel/self_assessment.html", {"version": None})
    ratings = {rating.code: rating for rating in SelfAssessment.objects.of_user(request.user)}
    # Domains holding competences, in tree order; a sub-domain is titled with its path.
    domains = [domain for domain in domain_tree(version) if domain.competences.all()]
    competences = [c for d in domains for c in d.competences.all()]
    scale = list(ScaleLevel.objects.of(version).order_by("value"))
    new = what_is_new(version, ratings)
    in_directory = AssessmentSharing.objects.in_directory().filter(user=request.user).exists()
    token = services.self_assessment_token(request.user)
    form = SelfAssessmentForm(
        request.POST or None,
        competences=competences,
        scale=scale,
        ratings=ratings,
        in_directory=in_directory,
        token=token,
    )
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.self_assessment_save(
                user=request.user,
                version=version,
                ratings=form.ratings(),
                token=form.cleaned_data["token"],
                in_directory=form.cleaned_data["in_directory"],
            )
        except EditConflict as error:
            # Saved in another tab meanwhile: both shown, these answers kept, the token now current.
            ratings = {rating.code: rating for rating in SelfAssessment.objects.of_user(request.user)}
            in_directory = AssessmentSharing.objects.in_directory().filter(user=request.user).exists()
            data = request.POST.copy()
            data["token"] = services.self_assessment_token(request.user)
            form = SelfAssessmentForm(
                data, competences=competences, scale=scale, ratings=ratings, in_directory=in_directory
            )
            stored = SelfAssessmentForm(
                competences=competences, scale=scale, ratings=ratings, in_directory=in_directory
            )
            conflict = conflict_for(error, form, stored)
        else:
            messages.success(request, _("Votre auto-évaluation est enregistrée."))
            return redirect("referentiel:self_assessment")
    new_codes = {c.code for c in new.added} | {c.code for c in new.changed} if new else set()
    sections = [
        (
            domain,
            [
                (c, form[f"level-{c.code}"], form[f"evidence-{c.code}"], c.code in new_codes)
                for c in domain.competences.all()
            ],
        )
        for domain in domains
    ]
    summaries = mission_summaries(version, ratings)
    rated = sum(1 for r in ratings.values() if r.code in {c.code for c in competences})
    context = {
        "version": version,
        "form": form,
        "sections": sections,
        "scale": scale,
        "summaries": summaries,
        "chart_width": CHART_WIDTH,
        "chart_height": chart_height(summaries),
        "new": new,
        "rated": rated,
        "total": len(competences),
        "conflict": conflict,
        # The rule as stored, stated above the form: private, or found by level through the directory, and by whom.
        "in_directory": in_directory,
        "directory_audience": directory_audience(request.user, group="post") if in_directory else None,
    }
    return render(request, "referentiel/self_assessment.html", context)
