"""The meetings in a browser, second part: a full meeting's waiting list and its automatic promotion; a
workshop's shared notes; the minutes published; an outcome sent to the référentiel team.

Every page of the journeys is checked with axe, on a desktop and on a phone's screen (`check_page`).
"""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from meetings.enums import AttendanceMode, RegistrationStatus, WorkshopKind
from meetings.models import Meeting, Outcome, Registration, Workshop
from meetings.registration import register
from tests.e2e.login import log_in
from tests.meetings.factories import make_meeting
from tests.members.factories import ProfileFactory, UserFactory
from tests.referentiel.factories import build_version

TITLE = "Journée régionale Grand Ouest"
WORKSHOP = "Atelier — Valoriser les avis du conseil"


@pytest.fixture
def meeting(live_server):
    build_version(label="v1.0")
    curator = UserFactory(curator=True, email="equipe@example.org", first_name="Inès", last_name="Carré")
    people = {"curator": curator}
    for key, email, first, last in (
        ("first", "karim.benali@example.org", "Karim", "Benali"),
        ("second", "lea.fontaine@example.org", "Léa", "Fontaine"),
    ):
        user = UserFactory(email=email, first_name=first, last_name=last)
        ProfileFactory(user=user, display_name=f"{first} {last}")
        people[key] = user
    # One seat on site, taken by Karim; no remote seat.
    meeting = make_meeting(curator, title=TITLE, days=20, on_site=1, remote=0)
    register(meeting_id=meeting.pk, user=people["first"], mode=AttendanceMode.ON_SITE)
    Workshop.objects.create(meeting=meeting, kind=WorkshopKind.WORKSHOP, title=WORKSHOP, referentiel_codes=["M1"])
    people["meeting"] = meeting
    return people


def test_a_cancellation_promotes_the_waiting_list(new_context, live_server, check_page, meeting):
    page = new_context().new_page()
    log_in(page, live_server, "lea.fontaine@example.org")
    page.goto(live_server.url + meeting["meeting"].get_absolute_url())
    page.get_by_role("link", name="M'inscrire").click()
    page.get_by_role("radio", name="Sur place").check()
    page.get_by_role("button", name="M'inscrire").click()
    expect(page.get_by_text(re.compile(r"Vous êtes sur la liste d'attente \(sur place\)"))).to_be_visible()
    check_page(page, "rencontres-suite-01-liste-d-attente")

    other = new_context().new_page()
    log_in(other, live_server, "karim.benali@example.org")
    other.goto(live_server.url + meeting["meeting"].get_absolute_url())
    other.get_by_role("button", name="Annuler mon inscription").click()
    expect(other.get_by_text("Vous avez annulé votre inscription.")).to_be_visible()
    check_page(other, "rencontres-suite-02-annulee")

    page.reload()
    expect(page.get_by_text("Vous êtes inscrit·e (sur place).")).to_be_visible()
    promoted = Registration.objects.get(meeting=meeting["meeting"], user=meeting["second"])
    assert promoted.status == RegistrationStatus.CONFIRMED


def test_notes_minutes_and_an_outcome(new_context, live_server, check_page, meeting):
    # The registered member joins the workshop and writes in its shared notes.
    page = new_context().new_page()
    log_in(page, live_server, "karim.benali@example.org")
    page.goto(live_server.url + meeting["meeting"].get_absolute_url())
    page.get_by_role("button", name=f"Rejoindre ce sous-groupe « {WORKSHOP} »").click()
    expect(page.get_by_role("button", name=f"Quitter ce sous-groupe « {WORKSHOP} »")).to_be_visible()
    page.get_by_role("link", name=f"Écrire dans les notes — {WORKSHOP}").click()
    page.get_by_role("textbox", name=re.compile(r"^Notes partagées")).fill(
        "Publier chaque avis avec une page de synthèse pour les élu·es."
    )
    check_page(page, "rencontres-suite-03-notes")
    page.get_by_role("button", name="Enregistrer les notes").click()
    page.goto(live_server.url + meeting["meeting"].get_absolute_url())
    expect(page.get_by_text("Publier chaque avis avec une page de synthèse pour les élu·es.")).to_be_visible()

    # The day comes: the meeting is under way. The organiser writes and publishes the minutes (not before the
    # meeting has started), then sends a note to the référentiel team.
    now = timezone.now()
    Meeting.objects.filter(pk=meeting["meeting"].pk).update(
        starts_at=now - timedelta(hours=2), ends_at=now + timedelta(hours=5)
    )
    team = new_context().new_page()
    log_in(team, live_server, "equipe@example.org")
    team.goto(live_server.url + meeting["meeting"].get_absolute_url())
    team.get_by_role("link", name="Compte rendu", exact=True).first.click()
    team.get_by_role("textbox", name=re.compile(r"^Compte rendu")).fill(
        "Les participant·es proposent une **page de synthèse** pour chaque avis."
    )
    check_page(team, "rencontres-suite-04-compte-rendu")
    team.get_by_role("button", name="Publier le compte rendu").click()
    expect(team.get_by_text("Le compte rendu est publié sur la page de la rencontre.")).to_be_visible()
    meeting["meeting"].refresh_from_db()
    assert meeting["meeting"].minutes_published_at is not None

    team.get_by_role("link", name="Suites", exact=True).first.click()
    team.get_by_role("link", name="Rédiger la note").click()
    team.get_by_role("textbox", name=re.compile(r"^Intitulé de la suite")).fill("Ajouter la synthèse des avis")
    team.get_by_role("textbox", name=re.compile(r"^Note pour l'équipe du référentiel")).fill(
        "Une activité « rédiger la synthèse d'un avis pour les élu·es » manque à la mission M1."
    )
    check_page(team, "rencontres-suite-05-note")
    team.get_by_role("button", name="Transmettre la note").click()
    expect(team.get_by_role("heading", name="Ajouter la synthèse des avis")).to_be_visible()
    check_page(team, "rencontres-suite-06-suites")
    assert Outcome.objects.filter(meeting=meeting["meeting"], title="Ajouter la synthèse des avis").exists()
