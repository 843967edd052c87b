"""What happened to the fiche: the history of a section, comparing revisions, the fiche's history and activity."""

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from fiches import selectors
from fiches.models import Revision
from fiches.views.common import fiche_or_404, parse_number, section_or_404


def section_history(request, slug, pk):
    section = section_or_404(slug, pk)
    revisions = list(section.revisions.select_related("author__profile", "committed_by__profile").order_by("-number"))
    context = {"fiche": section.fiche, "section": section, "revisions": revisions}
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
    """Every revision of the fiche, newest first, with the list of contributors."""
    fiche = fiche_or_404(slug)
    revisions = Revision.objects.of_fiche(fiche).with_people()
    context = {
        "fiche": fiche,
        "page": Paginator(revisions, 50).get_page(request.GET.get("page")),
        "contributors": selectors.fiche_contributors(fiche=fiche),
    }
    return render(request, "fiches/fiche_history.html", context)


def activity_feed(request, slug):
    """Recent contributions: revisions, suggestions and comments, newest first."""
    fiche = fiche_or_404(slug)
    return render(request, "fiches/activity_feed.html", {"fiche": fiche, "items": selectors.activity_feed(fiche=fiche)})
