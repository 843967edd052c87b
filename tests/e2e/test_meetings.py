"""The meetings in a browser: a member registers on site, an organiser checks people in, a visitor reads a
public meeting.

Every page of the journeys is checked with axe, on a desktop and on a phone's screen (`check_page`).
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.enums import AttendanceMode, MeetingAudience, RegistrationStatus, WorkshopKind
from meetings.models import Registration, Workshop
from meetings.registration import register
from tests.e2e.login import log_in
from tests.meetings.factories import make_meeting
from tests.members.factories import ProfileFactory, UserFactory

LIST = "/rencontres/"
NEXT = "Journée nationale des technicien·nes"
SEMINAR = "Séminaire fondateur du réseau"
MINUTES = "**Trois missions clés** ont émergé du world café : animer, coordonner, valoriser."


@pytest.fixture
def meetings(live_server):
    curator = UserFactory(curator=True, email="equipe@example.org", first_name="Inès", last_name="Carré")
    member = UserFactory(email="lea.fontaine@example.org", first_name="Léa", last_name="Fontaine")
    colleague = UserFactory(email="karim.benali@example.org", first_name="Karim", last_name="Benali")
    for person in (member, colleague):
        ProfileFactory(user=person, display_name=f"{person.first_name} {person.last_name}")
    upcoming = make_meeting(curator, title=NEXT, days=30, on_site=3, remote=2)
    register(meeting_id=upcoming.pk, user=colleague, mode=AttendanceMode.ON_SITE)
    seminar = make_meeting(
        curator,
        title=SEMINAR,
        days=-200,
        audience=MeetingAudience.PUBLIC,
        minutes=MINUTES,
        minutes_published_at=timezone.now() - timedelta(days=180),
    )
    Workshop.objects.create(
        meeting=seminar,
        kind=WorkshopKind.TABLE,
        title="Table 1 — Animer les travaux du CoDev",
        referentiel_codes=["M1"],
        notes="Faciliter sans se substituer aux membres.",
    )
    make_meeting(curator, title="Rencontre réservée aux membres", days=-100)
    return {"curator": curator, "member": member, "colleague": colleague, "upcoming": upcoming}


def test_a_member_registers_on_site_and_finds_the_calendar_file(new_context, live_server, check_page, meetings):
    member, upcoming = meetings["member"], meetings["upcoming"]
    page = new_context().new_page()
    log_in(page, live_server, member.email)

    page.goto(live_server.url + LIST)
    expect(page.get_by_role("heading", level=1)).to_have_text("Rencontres du réseau")
    check_page(page, "rencontres-01-liste-membre")
    page.get_by_role("link", name=NEXT).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(NEXT)
    check_page(page, "rencontres-02-rencontre")

    page.get_by_role("link", name="M'inscrire").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("M'inscrire")
    check_page(page, "rencontres-03-formulaire-inscription")
    page.get_by_role("radio", name="Sur place").check()
    page.get_by_role("textbox", name=re.compile(r"^Besoins particuliers")).fill("Un repas végétarien, merci.")
    page.get_by_role("button", name="M'inscrire").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(NEXT)
    expect(page.get_by_text("Vous êtes inscrit·e (sur place).")).to_be_visible()
    calendar = page.get_by_role("link", name="Ajouter à mon agenda (.ics)")
    expect(calendar).to_have_attribute("href", f"/rencontres/{upcoming.pk}/agenda.ics")
    check_page(page, "rencontres-04-inscrite")
    ics = page.request.get(live_server.url + f"/rencontres/{upcoming.pk}/agenda.ics")
    assert ics.ok and "BEGIN:VCALENDAR" in ics.text() and NEXT in ics.text().replace("\r\n ", "")
    registration = Registration.objects.get(meeting=upcoming, user=member)
    assert (registration.mode, registration.status) == (AttendanceMode.ON_SITE, RegistrationStatus.CONFIRMED)


def test_an_organiser_checks_someone_in(new_context, live_server, check_page, meetings):
    curator, colleague, upcoming = meetings["curator"], meetings["colleague"], meetings["upcoming"]
    page = new_context().new_page()
    log_in(page, live_server, curator.email)

    page.goto(live_server.url + upcoming.get_absolute_url())
    page.get_by_role("link", name="Inscrit·es et présences").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Inscrit·es et présences")
    expect(page.get_by_role("row", name=re.compile("Karim Benali"))).to_be_visible()
    check_page(page, "rencontres-05-inscrits")

    page.get_by_role("button", name="Présent·e : Karim Benali").click()
    expect(page.get_by_text("Karim Benali est pointé·e présent·e.")).to_be_visible()
    expect(page.get_by_role("button", name="Retirer la présence : Karim Benali")).to_be_visible()
    check_page(page, "rencontres-06-presence-pointee")
    checked = Registration.objects.get(meeting=upcoming, user=colleague)
    assert checked.checked_in_at is not None and checked.checked_in_by_id == curator.pk


def test_a_visitor_reads_a_public_meeting(new_context, live_server, check_page, meetings):
    page = new_context().new_page()

    page.goto(live_server.url + LIST)
    expect(page.get_by_role("heading", level=1)).to_have_text("Rencontres du réseau")
    expect(page.get_by_role("link", name=SEMINAR)).to_be_visible()
    expect(page.get_by_role("link", name=NEXT)).to_have_count(0)
    expect(page.get_by_role("link", name="Rencontre réservée aux membres")).to_have_count(0)
    check_page(page, "rencontres-07-liste-publique")

    page.get_by_role("link", name=SEMINAR).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(SEMINAR)
    expect(page.get_by_role("heading", name="Compte rendu")).to_be_visible()
    expect(page.get_by_text("ont émergé du world café")).to_be_visible()
    expect(page.get_by_text("Table 1 — Animer les travaux du CoDev")).to_be_visible()
    expect(page.get_by_role("link", name="Connectez-vous pour vous inscrire")).to_have_count(0)  # it is over
    check_page(page, "rencontres-08-rencontre-publique")
