from django import forms
from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from competences.models import AssessmentSharing, Competence, FrameworkVersion, ScaleLevel, SelfAssessment
from core.concurrency import EditConflict, conflict_for
from core.panels import panels
from members.directory import directory_audience
from referentiel import services
from referentiel.selectors import domain_tree
from referentiel.selfassessment import (
    CHART_WIDTH,
    OTHERS,
    assessment_parts,
    chart_height,
    mission_competences,
    mission_summaries,
    what_is_new,
)

NOT_RATED, NOT_CONCERNED = "", "na"
PART, DIRECTORY_PART = "partie", "annuaire"


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

    def __init__(self, *args, competences, scale, ratings, in_directory=False, token="", part_tokens=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Missing from a stale or tampered form: "" matches no stored ratings, so it gets the conflict page.
        self.fields["token"] = forms.CharField(widget=forms.HiddenInput, required=False, initial=token, max_length=20)
        # Each part (a mission, the other competences, the directory choice) saves on its own, with its own token.
        for key, part_token in (part_tokens or {}).items():
            self.fields[f"token-{key}"] = forms.CharField(
                widget=forms.HiddenInput, required=False, initial=part_token, max_length=20
            )
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

    def ratings(self, codes=None) -> dict[str, tuple[int | None, bool, str]]:
        result = {}
        for code in self.codes if codes is None else codes:
            choice = self.cleaned_data.get(f"level-{code}") or NOT_RATED
            evidence = self.cleaned_data.get(f"evidence-{code}", "")
            if choice == NOT_CONCERNED:
                result[code] = (None, True, evidence)
            else:
                result[code] = (int(choice) if choice else None, False, evidence)
        return result


def _descriptors(competence, scale) -> dict[str, str]:
    """{radio value: what the level means}: the competence's own descriptor, else the scale's."""
    own = {str(level.value): level.descriptor for level in competence.levels.all()}
    return {str(level.value): own.get(str(level.value)) or level.descriptor for level in scale}


def _part_fields(codes, *, directory=False) -> list[str]:
    names = [name for code in codes for name in (f"level-{code}", f"evidence-{code}")]
    return [*names, "in_directory"] if directory else names


def _part_tokens(user, parts) -> dict[str, str]:
    codes = {part.key: part.codes for part in parts}
    return services.self_assessment_part_tokens(user, codes, directory_part=DIRECTORY_PART)


def self_assessment(request):
    version = FrameworkVersion.objects.current()
    if version is None:
        return render(request, "referentiel/self_assessment.html", {"version": None})
    ratings = {rating.code: rating for rating in SelfAssessment.objects.of_user(request.user)}
    # Domains holding competences, in tree order; a sub-domain is titled with its path.
    domains = [
        domain
        for domain in domain_tree(version, Competence.objects.prefetch_related("levels"))
        if domain.competences.all()
    ]
    competences = [c for d in domains for c in d.competences.all()]
    scale = list(ScaleLevel.objects.of(version).order_by("value"))
    missions = mission_competences(version)
    parts = assessment_parts(domains, missions, ratings)
    new = what_is_new(version, ratings)
    in_directory = AssessmentSharing.objects.in_directory().filter(user=request.user).exists()
    token = services.self_assessment_token(request.user)
    form_kwargs = {"competences": competences, "scale": scale}
    form = SelfAssessmentForm(
        request.POST or None,
        ratings=ratings,
        in_directory=in_directory,
        token=token,
        part_tokens=_part_tokens(request.user, parts),
        **form_kwargs,
    )
    conflict = None
    if request.method == "POST":
        # "partie" names the part whose button was pressed: only its answers are saved. None: the whole form.
        part_key = request.POST.get(PART, "")
        part_codes = {part.key: part.codes for part in parts} | {DIRECTORY_PART: []}
        if part_key and part_key not in part_codes:
            return HttpResponseBadRequest()
        if part_key:
            names = _part_fields(part_codes[part_key], directory=part_key == DIRECTORY_PART)
            valid = form.is_valid() or not any(name in form.errors for name in [*names, f"token-{part_key}"])
        else:
            valid = form.is_valid()
        if valid:
            try:
                if part_key:
                    services.self_assessment_save(
                        user=request.user,
                        version=version,
                        ratings=form.ratings(part_codes[part_key]),
                        token=form.cleaned_data.get(f"token-{part_key}", ""),
                        in_directory=form.cleaned_data["in_directory"] if part_key == DIRECTORY_PART else None,
                        part=True,
                    )
                else:
                    services.self_assessment_save(
                        user=request.user,
                        version=version,
                        ratings=form.ratings(),
                        token=form.cleaned_data["token"],
                        in_directory=form.cleaned_data["in_directory"],
                    )
            except EditConflict as error:
                # Saved in another tab meanwhile: both shown, these answers kept, the tokens now current.
                ratings = {rating.code: rating for rating in SelfAssessment.objects.of_user(request.user)}
                in_directory = AssessmentSharing.objects.in_directory().filter(user=request.user).exists()
                form = _carried(request, ratings, in_directory, parts, form_kwargs, current_part=part_key or None)
                stored = SelfAssessmentForm(ratings=ratings, in_directory=in_directory, **form_kwargs)
                conflict = conflict_for(error, form, stored)
            else:
                url = reverse("referentiel:self_assessment")
                if not part_key:
                    messages.success(request, _("Votre auto-évaluation est enregistrée."))
                    return redirect(url)
                ratings = {rating.code: rating for rating in SelfAssessment.objects.of_user(request.user)}
                in_directory = AssessmentSharing.objects.in_directory().filter(user=request.user).exists()
                carried = _carried(request, ratings, in_directory, parts, form_kwargs, current_part=part_key)
                saved = _part_name(part_key, parts)
                if not [name for name in carried.changed_data if not name.startswith("token")]:
                    messages.success(request, _("%(part)s : vos réponses sont enregistrées.") % {"part": saved})
                    return redirect(f"{url}#partie-{part_key}")
                # Answers typed in other parts and not saved yet stay on the page, nothing lost.
                messages.success(
                    request,
                    _(
                        "%(part)s : vos réponses sont enregistrées. Dans d'autres parties, des réponses de cette "
                        "page diffèrent de celles enregistrées et ne le sont pas encore : elles restent ci-dessous, "
                        "enregistrez-les avec le bouton de leur partie."
                    )
                    % {"part": saved},
                )
                form = carried
    new_codes = {c.code for c in new.added} | {c.code for c in new.changed} if new else set()
    parts = assessment_parts(domains, missions, ratings)  # the progress as stored now
    for part in parts:
        part.rows = [
            (
                domain,
                [
                    {
                        "competence": c,
                        "options": [
                            (radio, descriptors.get(str(radio.data["value"]), "")) for radio in form[f"level-{c.code}"]
                        ],
                        "evidence": form[f"evidence-{c.code}"],
                        "is_new": c.code in new_codes,
                        "also": part.also.get(c.code, []),
                    }
                    for c in group
                    for descriptors in [_descriptors(c, scale)]
                ],
            )
            for domain, group in part.groups
        ]
        part.token = form[f"token-{part.key}"]
    summaries = mission_summaries(version, ratings, missions)
    rated = sum(1 for r in ratings.values() if r.code in {c.code for c in competences})
    context = {
        "version": version,
        "form": form,
        "parts": parts,
        "directory_token": form[f"token-{DIRECTORY_PART}"],
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
        # What the apps above suggest from the levels as stored (core.panels): resources to progress…
        "panels": panels(
            "referentiel.self_assessment",
            request.user,
            ratings={code: rating.level for code, rating in ratings.items() if rating.level is not None},
        ),
    }
    return render(request, "referentiel/self_assessment.html", context)


def _part_name(key, parts) -> str:
    if key == DIRECTORY_PART:
        return _("Être trouvé·e dans l'annuaire")
    if key == OTHERS:
        return _("Autres compétences")
    part = next(part for part in parts if part.key == key)
    return f"{part.code} {part.title}"


def _carried(request, ratings, in_directory, parts, form_kwargs, *, current_part=None) -> SelfAssessmentForm:
    """The answers as posted, against what is stored now.

    Without `current_part` (the whole form), every token is made current: the next save goes through.
    With it (the part just saved, or whose conflict is shown), that part's token is made current, and so
    is each other part's that was still current when posted; a part saved meanwhile from another tab keeps
    its old token, so that saving what this page shows of it gets the conflict page, not a silent overwrite.
    The whole form's token is made current only when no part is stale.
    """
    data = request.POST.copy()
    tokens = _part_tokens(request.user, parts)
    stale = set()
    if current_part is not None:
        stale = {key for key in tokens if key != current_part and data.get(f"token-{key}") != tokens[key]}
    for key, part_token in tokens.items():
        if key not in stale:
            data[f"token-{key}"] = part_token
    if not stale:
        data["token"] = services.self_assessment_token(request.user)
    return SelfAssessmentForm(data, ratings=ratings, in_directory=in_directory, part_tokens=tokens, **form_kwargs)
