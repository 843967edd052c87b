"""Files of resources: upload and removal by the resource's editors, download and preview for its readers."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.permissions import public
from toolbox import files
from toolbox.models import Resource
from toolbox.services import ToolboxError, can_edit

FILES_ANCHOR = "#bloc-fichiers"


def _back(resource_id: int):
    return redirect(reverse("toolbox:detail", kwargs={"pk": resource_id}) + FILES_ANCHOR)


@require_POST
def upload(request, pk):
    resource = get_object_or_404(Resource.objects.visible_to(request.user), pk=pk)
    if not can_edit(request.user, resource):
        raise PermissionDenied
    uploaded = request.FILES.get("file")
    if uploaded is None:
        messages.error(request, _("Choisissez un fichier à ajouter."))
        return _back(resource.pk)
    try:
        attached = files.file_add(resource_id=resource.pk, user=request.user, uploaded=uploaded)
    except ToolboxError as error:
        messages.error(request, _("Le fichier n'a pas été ajouté : %(reason)s") % {"reason": error.messages[0]})
        return _back(resource.pk)
    messages.success(request, _("Le fichier « %(name)s » est ajouté.") % {"name": attached.name})
    return _back(resource.pk)


@require_POST
def remove(request, pk):
    attached = files.file_readable(request.user, pk)
    if attached is None:
        raise Http404
    if not can_edit(request.user, attached.resource):
        raise PermissionDenied
    try:
        files.file_remove(file_id=attached.pk, user=request.user)
    except ToolboxError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, _("Le fichier « %(name)s » est retiré.") % {"name": attached.name})
    return _back(attached.resource_id)


def _stored_response(request, attached, field, *, content_type: str, filename: str, as_attachment: bool):
    try:
        handle = field.open("rb")
    except OSError:  # the storage lost it: nothing to serve
        raise Http404 from None
    response = FileResponse(handle, as_attachment=as_attachment, filename=filename, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    # A members-only or draft resource's file must not linger in a shared cache.
    response["Cache-Control"] = "public, max-age=300" if attached.resource.is_public else "private, no-store"
    if not as_attachment:
        response["Content-Security-Policy"] = "default-src 'none'"
    return response


@public
@require_safe
def download(request, pk):
    """Anyone for a public resource's file; approved members for published ones; authors and team for drafts."""
    attached = files.file_readable(request.user, pk)
    if attached is None or not attached.file:
        raise Http404
    content_type = attached.content_type
    if content_type.startswith("text/"):
        content_type += "; charset=utf-8"
    response = _stored_response(
        request, attached, attached.file, content_type=content_type, filename=attached.name, as_attachment=True
    )
    if request.method == "GET":
        files.download_count(attached.pk)
    return response


@public
@require_safe
def preview(request, pk):
    """The PNG of a PDF's first page, under the same rule as the download."""
    attached = files.file_readable(request.user, pk)
    if attached is None or not attached.preview:
        raise Http404
    return _stored_response(
        request, attached, attached.preview, content_type="image/png", filename="apercu.png", as_attachment=False
    )
