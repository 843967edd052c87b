"""Ma fiche de poste: the member's private copy of the common fiche, kept in step with it, and its PDF."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.concurrency import EditConflict, conflict_data, conflict_for
from fiches import pdf as fiche_pdf
from fiches import selectors, services
from fiches.forms import PersonalFicheForm, PersonalSectionForm
from fiches.models import COMMON_FICHE_SLUG, FicheVersion, PersonalSection
from fiches.paragraphs import KEEP_MINE, TAKE_COMMON, merged, passages
from fiches.views.common import fiche_or_404, framework_for, picker_body, show_errors

# One name for "take in the common change" as a link (`?integrer=1`) and as a form field.
INTEGRATE = "integrer"
# The paragraph choices' button: put the chosen text into the editor, without saving.
APPLY = "appliquer"
CHOICES = (KEEP_MINE, TAKE_COMMON)


def my_fiche(request):
    """The member's private copy of the common fiche, with the common changes they can take in."""
    fiche = fiche_or_404(COMMON_FICHE_SLUG)
    personal = selectors.personal_fiche_of(owner=request.user)
    latest = FicheVersion.objects.latest_of(fiche)
    if personal is None:
        initial = selectors.personal_fiche_initial(user=request.user, fiche=fiche)
        form = PersonalFicheForm(request.POST or None, initial=initial)
        if request.method == "POST" and form.is_valid():
            try:
                services.personal_fiche_create(owner=request.user, fiche=fiche, **form.cleaned_data)
            except services.FicheError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Votre fiche de poste est créée : adaptez-la à votre poste."))
                return redirect("fiches:my_fiche")
        context = {"fiche": fiche, "form": form, "latest": latest}
        return render(request, "fiches/my_fiche_create.html", context)
    sections = selectors.personal_sections(personal_fiche=personal, latest=latest)
    context = {"fiche": fiche, "personal": personal, "sections": sections, "latest": latest}
    return render(request, "fiches/my_fiche.html", context)


def my_fiche_edit(request):
    personal = selectors.personal_fiche_of(owner=request.user)
    if personal is None:
        return redirect("fiches:my_fiche")
    form = PersonalFicheForm(request.POST or None, instance=personal)
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            services.personal_fiche_update(
                personal_fiche=form.save(commit=False),
                owner=request.user,
                lock_version=form.cleaned_data["lock_version"],
            )
        except EditConflict as error:
            # Saved in another tab meanwhile: both versions shown, this one kept in the form.
            personal = error.current
            form = PersonalFicheForm(conflict_data(request.POST, personal.lock_version), instance=personal)
            conflict = conflict_for(error, form, PersonalFicheForm(instance=personal))
        except services.FicheError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Les informations de votre poste sont enregistrées."))
            return redirect("fiches:my_fiche")
    context = {"personal": personal, "form": form, "conflict": conflict}
    return render(request, "fiches/my_fiche_edit.html", context)


def my_section_edit(request, pk):
    """The member's text for one section; with `integrer`, beside what changed in the common fiche."""
    personal_section = get_object_or_404(
        PersonalSection.objects.select_related("section__fiche", "base_revision", "personal_fiche"),
        pk=pk,
        personal_fiche__owner=request.user,
    )
    newer = None
    if request.GET.get(INTEGRATE) or request.POST.get(INTEGRATE):
        newer = selectors.newer_common_revision(personal_section=personal_section)
    conflict = None
    structured = personal_section.section.is_structured
    # Where the member's text and the new common text differ: a choice per passage, the member's kept by default.
    items = passages(personal_section.body, newer.body, structured=structured) if newer else []
    applying = request.method == "POST" and APPLY in request.POST and newer is not None
    choices = {
        item.name: request.POST.get(item.name) if applying and request.POST.get(item.name) in CHOICES else KEEP_MINE
        for item in items
        if item.choice
    }
    result = merged(items, choices, structured=structured) if applying else None
    if applying:
        # Nothing saved: the chosen text goes into the editor, with the version the page was opened on.
        form = PersonalSectionForm(
            initial={
                "body": result,
                INTEGRATE: newer.pk,
                "lock_version": _int_or_none(request.POST.get("lock_version")),
            },
            section=personal_section.section,
        )
    elif request.method == "POST":
        form = PersonalSectionForm(request.POST, section=personal_section.section)
        if form.is_valid():
            try:
                services.personal_section_edit(
                    personal_section_id=personal_section.pk,
                    owner=request.user,
                    body=form.cleaned_data["body"],
                    integrate_revision_id=newer.pk if newer else None,
                    lock_version=form.cleaned_data["lock_version"],
                )
            except EditConflict as error:
                # Saved in another tab meanwhile: both versions shown, this one kept in the form.
                stored = error.current
                data = conflict_data(request.POST, stored.lock_version)
                form = PersonalSectionForm(data, section=personal_section.section)
                initial = {"body": stored.body}
                conflict = conflict_for(error, form, PersonalSectionForm(initial=initial, section=stored.section))
            except services.FicheError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, _("La section « %(title)s » est enregistrée.") % {"title": personal_section.title}
                )
                return redirect("fiches:my_fiche")
    else:
        form = PersonalSectionForm(
            initial={
                "body": picker_body(request, personal_section.section, default=personal_section.body),
                INTEGRATE: newer.pk if newer else None,
                "lock_version": personal_section.lock_version,
            },
            section=personal_section.section,
        )
    context = {
        "personal_section": personal_section,
        "section": personal_section.section,
        "form": form,
        "conflict": conflict,
        "newer": newer,
        "choices": [(item, choices[item.name]) for item in items if item.choice],
        "result": result,
        "lock_version": form["lock_version"].value(),
        "framework": framework_for(personal_section.section),
    }
    return render(request, "fiches/my_section_edit.html", context)


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@require_POST
def my_section_integrate(request, pk):
    try:
        services.personal_section_integrate(personal_section_id=pk, owner=request.user)
    except services.FicheError as error:
        show_errors(request, error)
    else:
        messages.success(request, _("Les changements de la fiche commune sont intégrés à votre section."))
    return redirect("fiches:my_fiche")


def my_fiche_pdf(request):
    """The member's own fiche as a PDF; nobody else's can be asked for."""
    personal = selectors.personal_fiche_of(owner=request.user)
    if personal is None:
        raise Http404
    return fiche_pdf.personal_pdf_response(request, personal)
