"""Direct changes to the sections by the CNCD team: editing a section, restoring an old revision."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.permissions import curator_required
from fiches import services
from fiches.forms import SectionEditForm
from fiches.models import Revision
from fiches.views.common import framework_for, picker_body, section_or_404, show_errors


@curator_required
def section_edit(request, slug, pk):
    """Direct editing with conflict detection: the form carries the revision it was written on."""
    section = section_or_404(slug, pk)
    conflict = None
    if request.method == "POST":
        form = SectionEditForm(request.POST, section=section)
        if form.is_valid():
            try:
                services.section_edit(
                    section_id=section.pk,
                    base_revision_id=form.cleaned_data["base_revision"],
                    body=form.cleaned_data["body"],
                    summary=form.cleaned_data["summary"],
                    actor=request.user,
                )
            except services.EditConflict as error:
                conflict = error.current
                # The next save applies on top of the revision now shown; the editor's text stays as typed.
                data = request.POST.copy()
                data["base_revision"] = conflict.pk if conflict else ""
                form = SectionEditForm(data, section=section)
            except services.FicheError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("La section « %(title)s » est enregistrée.") % {"title": section.title})
                return redirect(section)
    else:
        form = SectionEditForm(
            initial={"body": picker_body(request, section), "base_revision": section.current_revision_id},
            section=section,
        )
    context = {
        "fiche": section.fiche,
        "section": section,
        "form": form,
        "conflict": conflict,
        "framework": framework_for(section),
    }
    return render(request, "fiches/section_edit.html", context)


@curator_required
@require_POST
def revision_restore(request, pk):
    revision = get_object_or_404(Revision.objects.select_related("section__fiche"), pk=pk)
    try:
        services.revision_restore(revision_id=revision.pk, actor=request.user)
    except services.FicheError as error:
        show_errors(request, error)
    else:
        messages.success(
            request, _("La révision %(number)s est restaurée comme nouvelle révision.") % {"number": revision.number}
        )
    return redirect("fiches:section_history", slug=revision.section.fiche.slug, pk=revision.section_id)
