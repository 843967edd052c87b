"""Reading the fiche: the working draft for members, the latest published version for everyone else."""

from django.shortcuts import redirect, render
from django.template.loader import render_to_string

from core.permissions import public
from fiches import kept_pages, selectors
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
    if is_member(request.user) and request.GET.get("vue") != "publiee":
        following = selectors.is_following(user=request.user, target=fiche)
        # Kept between two changes of the fiche or of its suggestions, per role (fiches.kept_pages).
        draft = kept_pages.fiche_draft(
            request,
            fiche,
            context=lambda: {
                "latest": FicheVersion.objects.latest_of(fiche),
                "sections": Section.objects.of(fiche).with_current().with_open_suggestion_count(),
            },
            follow_button=render_to_string(
                "fiches/includes/follow.html",
                {"kind": "fiche", "target": fiche, "following": following},
                request=request,
            ),
        )
        return render(request, "fiches/fiche_draft.html", {"fiche": fiche, "draft": draft})
    latest = FicheVersion.objects.latest_of(fiche)
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
