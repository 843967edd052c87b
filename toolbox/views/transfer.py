"""The catalogue's import (CNCD team: a file checked, previewed, then confirmed) and export (anyone)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import format_lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from core.limits import PREVIEW_LIMIT_MESSAGE, preview_allowed
from core.permissions import curator_required, public
from referentiel.formats.common import MAX_IMPORT_BYTES, MAX_IMPORT_MB
from toolbox import transfer
from toolbox.selectors import public_matching
from toolbox.services import ToolboxError

SESSION_KEY = "toolbox_import"


class ImportForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Fichier CSV ou XLSX"),
        help_text=format_lazy(
            gettext_lazy(
                "{size} Mo au plus, {rows} ressources au plus. CSV séparé par des virgules ou des points-virgules, "
                "en UTF-8 ou Windows-1252, ou classeur XLSX (première feuille)."
            ),
            size=MAX_IMPORT_MB,
            rows=transfer.MAX_ROWS,
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise ValidationError(_("Le fichier est trop volumineux (%(size)s Mo au plus).") % {"size": MAX_IMPORT_MB})
        return upload


def _render(request, *, form=None, preview=None, status=200):
    context = {
        "form": form or ImportForm(),
        "preview": preview,
        "columns": transfer.IMPORT_COLUMNS,
        "required_columns": transfer.REQUIRED_COLUMNS,
    }
    return render(request, "toolbox/import.html", context, status=status)


@curator_required
def import_file(request):
    if request.method == "POST" and "confirm" in request.POST:
        return _confirm(request)
    if request.method == "POST" and "cancel" in request.POST:
        request.session.pop(SESSION_KEY, None)
        return redirect("toolbox:import")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method != "POST":
        return _render(request, form=form)
    if not preview_allowed(request, "toolbox.import_preview"):
        form.add_error(None, PREVIEW_LIMIT_MESSAGE)
        return _render(request, form=form, status=429)
    if not form.is_valid():
        return _render(request, form=form)
    preview = transfer.preview_file(form.cleaned_data["file"].read(MAX_IMPORT_BYTES + 1))
    if preview.ok:
        # The rows read, not the file: the confirmation creates exactly what the preview showed.
        request.session[SESSION_KEY] = {"rows": [row.to_json() for row in preview.rows]}
    else:
        request.session.pop(SESSION_KEY, None)
    return _render(request, form=form, preview=preview)


def _confirm(request):
    payload = request.session.get(SESSION_KEY)
    if not payload:
        messages.error(request, _("L'aperçu a expiré : chargez le fichier à nouveau."))
        return redirect("toolbox:import")
    rows = [transfer.ImportRow.from_json(row) for row in payload["rows"]]
    try:
        created = transfer.catalogue_import(rows=rows, curator=request.user)
    except ToolboxError as error:
        preview = transfer.ImportPreview(rows=rows, problems=list(error.messages))
        request.session.pop(SESSION_KEY, None)
        return _render(request, preview=preview)
    request.session.pop(SESSION_KEY, None)
    messages.success(
        request,
        _("%(count)s ressources importées et publiées.") % {"count": len(created)}
        if len(created) > 1
        else _("Une ressource importée et publiée."),
    )
    return redirect("toolbox:catalogue")


EXPORT_TYPES = {"csv": "text/csv; charset=utf-8", "json": "application/json; charset=utf-8"}


@public
@require_safe
def export(request, file_format):
    """The public catalogue, under each resource's licence: anyone may download it."""
    if file_format not in EXPORT_TYPES:
        raise Http404
    resources = transfer.public_resources()
    if request.GET:  # the catalogue's filters and search, as its export links carry them
        resources = resources.filter(pk__in=public_matching(request.GET).values("pk"))
    content = transfer.export_csv(resources) if file_format == "csv" else transfer.export_json(resources)
    response = HttpResponse(content, content_type=EXPORT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="boite-a-outils.{file_format}"'
    return response
