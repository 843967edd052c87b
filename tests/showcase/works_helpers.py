"""Helpers of the works area's tests (technician·nes of a council page, works through the services, PDFs)."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile

from showcase import works
from showcase.enums import WorkKind, WorkLicence
from tests.members.factories import ProfileFactory, UserFactory
from tests.showcase.factories import CouncilPageFactory

MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def pdf_upload(name="avis-mobilite.pdf", content=MINIMAL_PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def technician_of(page):
    user = UserFactory()
    ProfileFactory(user=user, council=page.council)
    return user


def work_data(**changes):
    data = {
        "kind": WorkKind.OPINION,
        "title": "Avis sur le plan de mobilité simplifié",
        "summary": "Le conseil recommande des navettes entre les bourgs et la ville centre.",
        "issued_on": datetime.date(2025, 3, 14),
        "licence": WorkLicence.ETALAB,
        "external_url": "",
    }
    data.update(changes)
    return data


def published_work(page=None, user=None, themes=(), **changes):
    """A work written and published through the services (texts, region, vector and counts kept)."""
    page = page or CouncilPageFactory()
    user = user or technician_of(page)
    work = works.work_create(user=user, page=page, data=work_data(**changes), themes=themes)
    return works.work_publish(user=user, work_id=work.pk)
