"""The attendance sheet: a typeset PDF for the organisers, one line per person confirmed on site (by last name),
the remote participants apart, page X / Y."""

import io
import os

import pytest
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from meetings import registration as services
from meetings.enums import AttendanceMode, MeetingStatus
from tests.meetings.factories import make_meeting
from tests.members.factories import CouncilFactory, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

ON_SITE, REMOTE = AttendanceMode.ON_SITE.value, AttendanceMode.REMOTE.value


def logged(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def person(first, last, council=None):
    user = UserFactory(first_name=first, last_name=last)
    ProfileFactory(user=user, display_name=f"{first} {last}", council=council)
    return user


@pytest.fixture
def organiser(db):
    return UserFactory()


@pytest.fixture
def meeting(organiser):
    meeting = make_meeting(organiser, on_site=30, remote=10, title="Séminaire national des technicien·nes")
    council = CouncilFactory(name="Conseil de développement du Pays de Brocéliande")
    for first, last, mode in [
        ("Zoé", "Zimmermann", ON_SITE),
        ("Aïcha", "Benali", ON_SITE),
        ("Marc", "Lefèvre", ON_SITE),
        ("Inès", "Durand", REMOTE),
    ]:
        services.register(meeting_id=meeting.pk, user=person(first, last, council), mode=mode)
    gone = person("Paul", "Annulé")
    registration = services.register(meeting_id=meeting.pk, user=gone, mode=ON_SITE)
    services.cancel(registration_id=registration.pk, user=gone)
    return meeting


def sheet_url(meeting):
    return reverse("meetings:attendance_sheet", kwargs={"pk": meeting.pk})


def test_the_organisers_print_the_attendance_sheet(organiser, meeting):
    response = logged(organiser).get(sheet_url(meeting))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="emargement-seminaire-national')
    assert "no-store" in response["Cache-Control"]
    content = response.content
    assert content.startswith(b"%PDF-")
    if os.environ.get("CODEV_KEEP_PDF"):  # to look at it: CODEV_KEEP_PDF=/tmp/emargement.pdf
        with open(os.environ["CODEV_KEEP_PDF"], "wb") as kept:
            kept.write(content)
    reader = PdfReader(io.BytesIO(content))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert "FEUILLE D'ÉMARGEMENT" in text  # the kicker, in capitals
    assert "Séminaire national des technicien·nes" in text
    assert meeting.address in text
    on_site, remote = text.split("Participant·es à distance")
    # On site, by last name; the remote participant apart; the cancelled one nowhere.
    assert on_site.index("Aïcha Benali") < on_site.index("Marc Lefèvre") < on_site.index("Zoé Zimmermann")
    assert "Inès Durand" not in on_site and "Inès Durand" in remote
    assert "Paul Annulé" not in text
    assert "Conseil de développement du Pays de Brocéliande" in on_site
    assert "Page 1 / 1" in text
    assert reader.metadata.title.startswith("Feuille d")
    assert reader.trailer["/Root"]["/MarkInfo"]["/Marked"]  # a tagged PDF


def test_the_sheet_is_for_the_organisers_and_the_team(client, member, pending_user, curator, meeting):
    url = sheet_url(meeting)
    assert client.get(url).status_code == 302
    assert logged(pending_user).get(url).status_code == 302
    assert logged(member).get(url).status_code == 403
    assert logged(curator).get(url).status_code == 200


def test_a_draft_sheet_is_not_found_by_others(member, organiser):
    draft = make_meeting(organiser, status=MeetingStatus.DRAFT)
    assert logged(member).get(sheet_url(draft)).status_code == 404
    assert logged(organiser).get(sheet_url(draft)).status_code == 200


def test_a_long_list_runs_over_pages_with_their_numbers(organiser):
    meeting = make_meeting(organiser, on_site=None, remote=0)
    for number in range(40):
        services.register(meeting_id=meeting.pk, user=person("Membre", f"Numéro{number:02d}"), mode=ON_SITE)

    reader = PdfReader(io.BytesIO(logged(organiser).get(sheet_url(meeting)).content))

    pages = [page.extract_text() for page in reader.pages]
    assert len(pages) >= 2
    assert f"Page 2 / {len(pages)}" in pages[1]
    assert "Membre Numéro39" in "".join(pages)
