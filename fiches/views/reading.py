"""Reading the fiche: the working draft for members, the latest published version for everyone else."""

from django.shortcuts import redirect, render

from core.permissions import public
from fiches import selectors
from fiches.models import COMMON_FICHE_SLUG, FicheVersion, Section
from fiches.views.common import fiche_or_404, is_member, section_or_404
from fiches.views.versions import render_version


@public
def index(request):
    return redirect("fiches:detail", slug=COMMON_FICHE_SLUG)


@public
def fiche_detail(request, slug):
    """Members see the working draft; everyone else (or `?vue=publiee`) the latest published version."""
    fiche = fiche_or_404(slug)
    latest = FicheVersion.objects.latest_of(fiche)
    if is_member(request.user) and request.GET.get("vue") != "publiee":
        context = {
            "fiche": fiche,
            "sections": Section.objects.of(fiche).with_current().with_open_suggestion_count(),
            "latest": latest,
            "following": selectors.is_following(user=request.user, target=fiche),
        }
        return render(request, "fiches/fiche_draft.html", context)
    if latest is None:
        return render(request, "fiches/fiche_unpublished.html", {"fiche": fiche}, status=404)
    return render_version(request, latest, is_latest=True)


def section_detail(request, slug, pk):
    section = section_or_404(slug, pk)
    open_suggestions, closed_suggestions = selectors.section_suggestions(section=section)
    context = {
        "fiche": section.fiche,
        "section": section,
        "open_suggestions": open_suggestions,
        "closed_suggestions": closed_suggestions,
        "following": selectors.is_following(user=request.user, target=section),
    }
    return render(request, "fiches/section_detail.html", context)
