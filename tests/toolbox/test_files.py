"""Files of resources through the HTTP layer: typed by content, bounded, stored, read under the resource's rule."""

import io
import zipfile

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from core.models import AuditEntry
from tests.html import content_bytes
from tests.toolbox.factories import make_resource
from toolbox import files
from toolbox.models import ResourceFile
from toolbox.services import ToolboxError

pytestmark = pytest.mark.django_db


def pdf_bytes() -> bytes:
    from weasyprint import HTML

    return HTML(string="<h1>Trame de saisine</h1><p>Première page.</p>").write_pdf()


def png_bytes() -> bytes:
    output = io.BytesIO()
    Image.new("RGB", (20, 10), "red").save(output, format="PNG")
    return output.getvalue()


def docx_bytes(*, bomb: bool = False) -> bytes:
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><document/>')
        if bomb:
            archive.writestr("word/media/vide.bin", b"0" * 60_000_000)
    return output.getvalue()


def upload(client, resource, name, content, content_type="application/octet-stream"):
    return client.post(
        reverse("toolbox:file_upload", kwargs={"pk": resource.pk}),
        {"file": SimpleUploadedFile(name, content, content_type=content_type)},
    )


def status(client, url) -> int:
    """The status of a GET, its streamed file read to the end (the test client then closes it)."""
    response = client.get(url)
    content_bytes(response)
    return response.status_code


def error_messages(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request) if message.level_tag == "error"]


@pytest.fixture
def draft(member):
    return make_resource(member)


def test_pdf_is_accepted_stored_and_gets_a_preview(client, member, curator, django_capture_on_commit_callbacks):
    resource = make_resource(member, published_by=curator)
    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, resource, "../../Trame saisine.PDF", pdf_bytes(), "text/plain")
    assert response.status_code == 302
    assert response.url == reverse("toolbox:detail", kwargs={"pk": resource.pk}) + "#bloc-fichiers"
    attached = ResourceFile.objects.get(resource=resource)
    assert attached.content_type == "application/pdf"
    assert attached.name == "Trame saisine.pdf"
    assert attached.uploaded_by == member
    assert "Trame" not in attached.file.name  # stored under a random name
    assert attached.preview, "a PDF gets the PNG of its first page"
    with attached.preview.open("rb") as handle:
        image = Image.open(io.BytesIO(handle.read()))
        assert image.format == "PNG" and image.width == files_preview_width()
    assert AuditEntry.objects.filter(action="toolbox.file.added").count() == 1

    preview = client.get(reverse("toolbox:file_preview", kwargs={"pk": attached.pk}))
    assert preview.status_code == 200
    assert preview["Content-Type"] == "image/png"
    assert preview["X-Content-Type-Options"] == "nosniff"
    assert content_bytes(preview).startswith(b"\x89PNG")


def files_preview_width() -> int:
    from toolbox.tasks import PREVIEW_WIDTH

    return PREVIEW_WIDTH


def test_a_png_named_pdf_is_typed_as_png(client, member, draft):
    client.force_login(member)
    upload(client, draft, "rapport.pdf", png_bytes(), "application/pdf")
    attached = ResourceFile.objects.get(resource=draft)
    assert attached.content_type == "image/png"
    assert attached.name == "rapport.png"
    assert not attached.preview


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("outil.exe", b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200),
        ("programme", b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 200),
        ("page.html", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("image.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("notes.txt", "café".encode("latin-1") + b" et pas d'UTF-8"),
    ],
)
def test_other_types_are_refused_with_the_accepted_ones_named(client, member, draft, name, content):
    client.force_login(member)
    response = upload(client, draft, name, content)
    assert response.status_code == 302
    assert not ResourceFile.objects.exists()
    [message] = error_messages(response)
    assert "Ce type de fichier n'est pas accepté" in message and "PDF" in message and "docx" in message


def test_utf8_text_csv_and_markdown_are_accepted(client, member, draft):
    client.force_login(member)
    upload(client, draft, "notes.txt", "Compte rendu de l'atelier, déroulé.".encode())
    upload(client, draft, "liste.csv", b"nom;commune\nAtelier;Rennes\n")
    upload(client, draft, "lisez-moi.md", b"# Titre\n\nTexte")
    types = dict(ResourceFile.objects.values_list("name", "content_type"))
    assert types == {"notes.txt": "text/plain", "liste.csv": "text/csv", "lisez-moi.md": "text/markdown"}


def test_docx_and_xlsx_are_recognised(client, member, draft):
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active["A1"] = "Tableau"
    output = io.BytesIO()
    workbook.save(output)
    client.force_login(member)
    upload(client, draft, "trame", docx_bytes())
    upload(client, draft, "suivi.ods", output.getvalue())
    types = dict(ResourceFile.objects.values_list("name", "content_type"))
    assert types == {
        "trame.docx": files.DOCX,
        "suivi.xlsx": files.XLSX,
    }


def test_oversize_file_is_refused_with_a_message(client, member, draft, settings):
    settings.TOOLBOX_FILE_MAX_BYTES = 1000
    client.force_login(member)
    response = upload(client, draft, "grand.txt", b"a" * 1001)
    assert not ResourceFile.objects.exists()
    [message] = error_messages(response)
    assert "trop volumineux" in message


def test_ten_megabytes_pass_the_request_size_limit(client, member, draft):
    client.force_login(member)
    content = b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024 - 200)
    response = upload(client, draft, "gros.pdf", content)
    assert response.status_code == 302  # not the 413 page: the toolbox's path takes larger bodies
    assert ResourceFile.objects.get(resource=draft).size == len(content)


def test_zip_bomb_docx_is_refused(client, member, draft):
    client.force_login(member)
    content = docx_bytes(bomb=True)
    assert len(content) < 1024 * 1024
    response = upload(client, draft, "piege.docx", content)
    assert not ResourceFile.objects.exists()
    [message] = error_messages(response)
    assert "bombe de décompression" in message


def test_at_most_ten_files_per_resource(member, draft):
    for number in range(files.MAX_FILES_PER_RESOURCE):
        files.file_add(resource_id=draft.pk, user=member, uploaded=SimpleUploadedFile(f"f{number}.txt", b"texte"))
    with pytest.raises(ToolboxError, match="10 fichiers au plus"):
        files.file_add(resource_id=draft.pk, user=member, uploaded=SimpleUploadedFile("f.txt", b"texte"))


def test_clean_name_keeps_a_readable_bounded_name():
    assert files.clean_name("C:\\Users\\x\\Bilan\x00 2025.docx", "pdf") == "Bilan 2025.pdf"
    assert files.clean_name("...", "txt") == "fichier.txt"
    assert len(files.clean_name("a" * 500 + ".txt", "txt")) == 200


def _attach(resource, user, name="trame.txt", content=b"Texte de la trame"):
    return files.file_add(resource_id=resource.pk, user=user, uploaded=SimpleUploadedFile(name, content))


def test_member_only_file_anonymous_refused_member_downloads_and_counts(client, member, other_member, curator):
    resource = make_resource(member, published_by=curator)
    attached = _attach(resource, member, "Trame « saisine ».txt")
    url = reverse("toolbox:file_download", kwargs={"pk": attached.pk})

    assert status(Client(), url) == 404

    client.force_login(other_member)
    response = client.get(url)
    assert response.status_code == 200
    assert content_bytes(response) == b"Texte de la trame"
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=utf-8''Trame%20%C2%AB%20saisine%20%C2%BB.txt" in response["Content-Disposition"]
    assert "no-store" in response["Cache-Control"]
    status(client, url)
    attached.refresh_from_db()
    assert attached.downloads == 2


def test_pending_account_sees_only_public_files(client, member, curator, pending_user):
    members_only = _attach(make_resource(member, published_by=curator), member)
    public = _attach(make_resource(member, published_by=curator, public=True), member)
    client.force_login(pending_user)
    assert status(client, reverse("toolbox:file_download", kwargs={"pk": members_only.pk})) == 404
    assert status(client, reverse("toolbox:file_download", kwargs={"pk": public.pk})) == 200
    assert status(Client(), reverse("toolbox:file_download", kwargs={"pk": public.pk})) == 200


def test_draft_file_only_for_its_authors_and_the_team(client, member, other_member, curator, draft):
    attached = _attach(draft, member)
    url = reverse("toolbox:file_download", kwargs={"pk": attached.pk})
    client.force_login(other_member)
    assert status(client, url) == 404
    client.force_login(member)
    assert status(client, url) == 200
    client.force_login(curator)
    assert status(client, url) == 200


def test_only_editors_upload(client, other_member, curator, member):
    resource = make_resource(member, published_by=curator)
    client.force_login(other_member)
    assert upload(client, resource, "a.txt", b"texte").status_code == 403
    assert Client().post(reverse("toolbox:file_upload", kwargs={"pk": resource.pk})).status_code == 302  # to login
    assert not ResourceFile.objects.exists()


def test_remove_by_non_editor_refused_by_author_done(
    client, member, other_member, curator, django_capture_on_commit_callbacks
):
    resource = make_resource(member, published_by=curator)
    attached = _attach(resource, member)
    stored = attached.file.name
    url = reverse("toolbox:file_remove", kwargs={"pk": attached.pk})

    client.force_login(other_member)
    assert client.post(url).status_code == 403
    assert status(client, url) == 405
    assert ResourceFile.objects.filter(pk=attached.pk).exists()

    client.force_login(member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    assert not ResourceFile.objects.filter(pk=attached.pk).exists()
    assert not attached.file.storage.exists(stored)
    assert AuditEntry.objects.filter(action="toolbox.file.removed").count() == 1


def test_broken_pdf_gets_no_preview_and_no_crash(member, draft, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        attached = _attach(draft, member, "casse.pdf", b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF garbage")
    attached.refresh_from_db()
    assert attached.content_type == "application/pdf"
    assert not attached.preview


def test_the_files_block_lists_files_for_readers_and_forms_for_editors(rf, member, other_member, curator):
    from django.template.loader import render_to_string

    resource = make_resource(member, published_by=curator)
    attached = _attach(resource, member, "Compte rendu.txt")
    request = rf.get("/")
    request.user = member
    html = render_to_string(
        "toolbox/includes/files.html",
        {"resource": resource, "files": [attached], "can_edit": True},
        request=request,
    )
    assert "Compte rendu.txt" in html and "Texte brut" in html and "0 téléchargement" in html
    assert 'enctype="multipart/form-data"' in html and "csrfmiddlewaretoken" in html
    assert reverse("toolbox:file_remove", kwargs={"pk": attached.pk}) in html
    assert "10 Mo au plus" in html
    request.user = other_member
    html = render_to_string(
        "toolbox/includes/files.html", {"resource": resource, "files": [attached], "can_edit": False}, request=request
    )
    assert "Compte rendu.txt" in html and "multipart" not in html and "Retirer" not in html


def test_a_body_over_the_toolbox_limit_gets_the_413_page(client, member, draft, settings):
    settings.REQUEST_MAX_BYTES_BY_PREFIX = {"/boite-a-outils/": settings.REQUEST_MAX_BYTES + 1000}
    client.force_login(member)
    response = upload(client, draft, "gros.txt", b"a" * (settings.REQUEST_MAX_BYTES + 2000))
    assert response.status_code == 413
    assert not ResourceFile.objects.exists()


def test_the_resource_page_lists_its_files_with_the_pdf_preview(
    client, member, curator, django_capture_on_commit_callbacks
):
    resource = make_resource(member, published_by=curator)
    with django_capture_on_commit_callbacks(execute=True):
        attached = _attach(resource, member, "Trame.pdf", pdf_bytes())
    client.force_login(member)
    response = client.get(reverse("toolbox:detail", kwargs={"pk": resource.pk}))
    html = response.content.decode()
    assert "Trame.pdf" in html and reverse("toolbox:file_preview", kwargs={"pk": attached.pk}) in html
    assert 'alt="Aperçu de la première page de Trame.pdf"' in html
    assert reverse("toolbox:file_upload", kwargs={"pk": resource.pk}) in html
