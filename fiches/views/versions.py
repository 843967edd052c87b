"""Published versions: reading, comparing and publishing them, and the fiche as a PDF."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from core.permissions import curator_required, public
from fiches import pdf as fiche_pdf
from fiches import selectors, services
from fiches.forms import PublishForm
from fiches.models import FicheVersion, Section
from fiches.views.common import fiche_or_404


def _version_or_404(slug, label) -> FicheVersion:
    return get_object_or_404(FicheVersion.objects.select_related("fiche"), fiche__slug=slug, label=label)


def render_version(request, version: FicheVersion, *, is_latest: bool = False):
    """The page of a published version, with the list of all of them."""
    entries = version.entries.select_related("revision").order_by("order", "pk")
    versions = FicheVersion.objects.of(version.fiche).only("label", "published_at", "fiche_id")
    context = {"fiche": version.fiche, "version": version, "entries": entries, "versions": versions}
    context["is_latest"] = is_latest or (versions and versions[0].pk == version.pk)
    return render(request, "fiches/version_detail.html", context)


@public
def version_list(request, slug):
    fiche = fiche_or_404(slug)
    # Each version links to its page, whose URL holds the fiche's slug.
    versions = FicheVersion.objects.of(fiche).select_related("fiche")
    return render(request, "fiches/version_list.html", {"fiche": fiche, "versions": versions})


@public
def version_detail(request, slug, label):
    return render_version(request, _version_or_404(slug, label))


@public
def version_compare(request, slug):
    """Any two published versions (`?de=` and `?a=`, their labels), section by section."""
    fiche = fiche_or_404(slug)
    comparison = selectors.version_comparison(
        fiche=fiche, old_label=request.GET.get("de", ""), new_label=request.GET.get("a", "")
    )
    context = {
        "fiche": fiche,
        "versions": comparison.versions,
        "old": comparison.old,
        "new": comparison.new,
        "rows": comparison.rows,
    }
    return render(request, "fiches/version_compare.html", context)


@curator_required
def version_publish(request, slug):
    fiche = fiche_or_404(slug)
    form = PublishForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            version = services.version_publish(
                fiche_id=fiche.pk,
                label=form.cleaned_data["label"],
                summary=form.cleaned_data["summary"],
                actor=request.user,
            )
        except services.FicheError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("La version %(label)s est publiée.") % {"label": version.label})
            return redirect(version)
    sections = Section.objects.of(fiche).with_open_suggestion_count()
    context = {"fiche": fiche, "form": form, "latest": FicheVersion.objects.latest_of(fiche), "sections": sections}
    return render(request, "fiches/version_publish.html", context)


@public
def version_pdf(request, slug, label):
    """A published version as a PDF, for everyone."""
    return fiche_pdf.version_pdf_response(request, _version_or_404(slug, label))


def draft_pdf(request, slug):
    """The working draft as a PDF marked "projet", for members."""
    return fiche_pdf.draft_pdf_response(request, fiche_or_404(slug))
