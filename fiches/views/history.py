"""What happened to the fiche: the history of a section, comparing revisions, the fiche's history and activity."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from fiches import caching, selectors
from fiches.changes import with_change_counts
from fiches.models import Revision
from fiches.views.common import fiche_or_404, parse_number, section_or_404

HISTORY_PAGE_SIZE = 50


def section_history(request, slug, pk):
    """A section's revisions, newest first, a page at a time, each with the words it added and removed."""
    section = section_or_404(slug, pk)
    revisions = section.revisions.with_people(section=False).without_texts().order_by("-number")
    page = Paginator(revisions, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    is_curator = request.user.is_curator
    table = caching.kept_rendering(
        request,
        caching.key("section-history", section.pk, page.number, is_curator),
        "fiches/section_history.html#revision-table",
        lambda: {
            "section": section,
            "page": page,
            "revisions": with_change_counts(page.object_list),
            "is_curator": is_curator,
        },
        facts=(section.current_revision_id,),
    )
    context = {"fiche": section.fiche, "section": section, "page": page, "revision_table": table}
    return render(request, "fiches/section_history.html", context)


def revision_compare(request, slug, pk):
    """A word-level diff between any two revisions of a section (`?de=`, `?a=`), in the text or side by side."""
    section = section_or_404(slug, pk)
    pair = selectors.revision_pair(
        section=section,
        old_number=parse_number(request.GET.get("de")),
        new_number=parse_number(request.GET.get("a")),
    )
    if pair is None:
        raise Http404
    context = {
        "fiche": section.fiche,
        "section": section,
        "old": pair.old,
        "new": pair.new,
        "mode": "cote" if request.GET.get("mode") == "cote" else "ligne",
        "numbers": pair.numbers,
    }
    return render(request, "fiches/revision_compare.html", context)


def fiche_history(request, slug):
    """Every revision of the fiche, newest first, a page at a time, with the list of contributors."""
    fiche = fiche_or_404(slug)
    revisions = Revision.objects.of_fiche(fiche).with_people(committed_by=False).without_texts()
    page = Paginator(revisions, HISTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    history = caching.kept_rendering(
        request,
        caching.key("fiche-history", fiche.pk, page.number),
        "fiches/fiche_history.html#history",
        lambda: {
            "fiche": fiche,
            "page": page,
            "revisions": with_change_counts(page.object_list),
            "contributors": selectors.fiche_contributors(fiche=fiche),
        },
    )
    return render(request, "fiches/fiche_history.html", {"fiche": fiche, "history": history})


def activity_feed(request, slug):
    """Recent contributions: revisions, suggestions and comments, newest first."""
    fiche = fiche_or_404(slug)
    return render(request, "fiches/activity_feed.html", {"fiche": fiche, "items": selectors.activity_feed(fiche=fiche)})
