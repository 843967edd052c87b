from django import forms
from django.contrib import messages
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from competences.models import Competence, Domain, FrameworkVersion, ScaleLevel, SelfAssessment
from core.concurrency import EditConflict, conflict_for
from referentiel import services
from referentiel.selfassessment import CHART_WIDTH, chart_height, mission_summaries, what_is_new

NOT_RATED, NOT_CONCERNED = "", "na"


class SelfAssessmentForm(forms.Form):
    """One radio group and one evidence field per competence of the version, and the ratings' version token."""

    def __init__(self, *args, competences, scale, ratings, token="", **kwargs):
        super().__init__(*args, **kwargs)
        # Missing from a stale or tampered form: "" matches no stored ratings, so it gets the conflict page.
        self.fields["token"] = forms.CharField(widget=forms.HiddenInput, required=False, initial=token, max_length=20)
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
    domains = list(
        Domain.objects.of(version)
        .order_by("order", "code")
        .prefetch_related(Prefetch("competences", queryset=Competence.objects.order_by("order", "code")))
    )
    competences = [c for d in domains for c in d.competences.all()]
    scale = list(ScaleLevel.objects.of(version).order_by("value"))
    new = what_is_new(version, ratings)
    token = services.self_assessment_token(request.user)
    form = SelfAssessmentForm(request.POST or None, competences=competences, scale=scale, ratings=ratings, token=token)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.self_assessment_save(
                user=request.user, version=version, ratings=form.ratings(), token=form.cleaned_data["token"]
            )
        except EditConflict as error:
            # Saved in another tab meanwhile: both shown, these answers kept, the token now current.
            ratings = {rating.code: rating for rating in SelfAssessment.objects.of_user(request.user)}
            data = request.POST.copy()
            data["token"] = services.self_assessment_token(request.user)
            form = SelfAssessmentForm(data, competences=competences, scale=scale, ratings=ratings)
            stored = SelfAssessmentForm(competences=competences, scale=scale, ratings=ratings)
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
    }
    return render(request, "referentiel/self_assessment.html", context)
