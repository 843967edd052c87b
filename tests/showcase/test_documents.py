"""A work's PDF: sniffed from its content, bounded in size, downloaded through a view that checks visibility and
counts."""

import pytest
from django.urls import reverse

from showcase import documents, works
from showcase.models import Work
from tests.showcase.works_helpers import MINIMAL_PDF, pdf_upload, published_work, technician_of

pytestmark = pytest.mark.django_db


def test_technician_uploads_a_pdf_and_the_public_downloads_it(client):
    work = published_work()
    client.force_login(technician_of(work.page))
    response = client.post(
        reverse("showcase:work_document", args=[work.pk]), {"document": pdf_upload("../Avis final.pdf")}
    )
    assert response.status_code == 302
    work.refresh_from_db()
    assert work.document and work.document_name == "Avis final.pdf" and work.document_size == len(MINIMAL_PDF)
    assert "Avis final" not in work.document.name  # stored under a random name
    client.logout()
    response = client.get(reverse("showcase:work_download", args=[work.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    assert "Avis%20final.pdf" in response["Content-Disposition"] or "Avis final.pdf" in response["Content-Disposition"]
    head = client.head(reverse("showcase:work_download", args=[work.pk]))  # a HEAD does not count
    b"".join(head.streaming_content)  # read to the end: the test client closes the file
    work.refresh_from_db()
    assert work.downloads == 1


def test_not_a_pdf_is_refused_whatever_its_name(client):
    work = published_work()
    client.force_login(technician_of(work.page))
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    response = client.post(
        reverse("showcase:work_document", args=[work.pk]), {"document": pdf_upload("rapport.pdf", png)}, follow=True
    )
    assert "Seul un document PDF est accepté" in response.content.decode()
    work.refresh_from_db()
    assert not work.document


def test_size_is_bounded(settings):
    settings.SHOWCASE_DOCUMENT_MAX_BYTES = 100
    work = published_work()
    with pytest.raises(works.WorkError, match="trop volumineux"):
        documents.document_attach(user=work.created_by, work_id=work.pk, uploaded=pdf_upload())
    with pytest.raises(works.WorkError, match="vide"):
        documents.document_attach(user=work.created_by, work_id=work.pk, uploaded=pdf_upload(content=b""))


def test_draft_document_is_for_its_editors_only(client):
    work = published_work()
    documents.document_attach(user=work.created_by, work_id=work.pk, uploaded=pdf_upload())
    works.work_unpublish(user=work.created_by, work_id=work.pk)
    url = reverse("showcase:work_download", args=[work.pk])
    assert client.get(url).status_code == 404
    client.force_login(technician_of(published_work().page))  # another council's technician
    assert client.get(url).status_code == 404
    client.force_login(work.created_by)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    b"".join(response.streaming_content)


def test_other_council_may_not_upload_and_replacing_removes_the_old_file(client, django_capture_on_commit_callbacks):
    work = published_work()
    client.force_login(technician_of(published_work().page))
    assert client.post(reverse("showcase:work_document", args=[work.pk]), {"document": pdf_upload()}).status_code == 403
    documents.document_attach(user=work.created_by, work_id=work.pk, uploaded=pdf_upload())
    first = Work.objects.get(pk=work.pk).document
    storage, first_name = first.storage, first.name
    with django_capture_on_commit_callbacks(execute=True):
        documents.document_attach(user=work.created_by, work_id=work.pk, uploaded=pdf_upload("nouveau.pdf"))
    assert not storage.exists(first_name)
    documents.document_remove(user=work.created_by, work_id=work.pk)
    work.refresh_from_db()
    assert not work.document and work.document_size is None
