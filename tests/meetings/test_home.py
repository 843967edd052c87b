"""The meetings on the personal home, the team's to-do page and the team's journal (meetings/home.py,
meetings/journal.py)."""

import pytest
from django.urls import reverse

from meetings import home, registration, services
from meetings.enums import AttendanceMode, MeetingAudience, MeetingStatus, RegistrationStatus
from meetings.models import Meeting
from tests.html import main_text, select, text_of
from tests.meetings.factories import make_meeting
from tests.members.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

HOME = reverse("my_space")
TODO = reverse("team_todo")
JOURNAL = reverse("team_journal")


def block(response, key):
    found = select(response, f"#block-{key}")
    return text_of(found[0]) if found else None


def _register(meeting, user, mode=AttendanceMode.ON_SITE):
    return registration.register(meeting_id=meeting.pk, user=user, mode=mode)


# The member's home ---------------------------------------------------------------------------


def test_the_home_lists_the_members_next_meetings_with_their_mode_and_place_in_line(member_client, member, curator):
    confirmed = make_meeting(curator, title="Journée nationale", days=10)
    full = make_meeting(curator, title="Rencontre complète", days=20, on_site=1)
    _register(confirmed, member, AttendanceMode.REMOTE)
    _register(full, UserFactory())
    _register(full, UserFactory())  # first in line
    waiting = _register(full, member)
    assert waiting.status == RegistrationStatus.WAITING
    past = make_meeting(curator, title="Séminaire passé", days=-30)
    Meeting.objects.filter(pk=past.pk).update(status=MeetingStatus.PUBLISHED)

    needs = block(member_client.get(HOME), "needs-meetings")

    assert "Vos prochaines rencontres" in needs
    assert "Journée nationale" in needs and "À distance" in needs
    assert "Rencontre complète" in needs and "liste d'attente, position 2" in needs and "en attente" in needs
    assert "Séminaire passé" not in needs
    assert needs.index("Journée nationale") < needs.index("Rencontre complète")
    page = member_client.get(HOME)
    assert select(page, f"#block-needs-meetings a[href='{confirmed.get_absolute_url()}']")


def test_the_home_has_no_meetings_block_for_a_member_registered_nowhere(member_client, curator):
    make_meeting(curator, title="Brouillon", days=10, status=MeetingStatus.DRAFT)
    assert block(member_client.get(HOME), "needs-meetings") is None


def test_the_news_show_three_meetings_the_member_may_join_with_the_places_left(member_client, member, curator):
    make_meeting(curator, title="Rencontre A", days=5, on_site=3, remote=2)
    full = make_meeting(curator, title="Rencontre B complète", days=6, on_site=1, remote=1)
    _register(full, UserFactory(), AttendanceMode.ON_SITE)
    _register(full, UserFactory(), AttendanceMode.REMOTE)
    make_meeting(curator, title="Rencontre C", days=7)
    make_meeting(curator, title="Rencontre D trop loin", days=90)
    mine = make_meeting(curator, title="Déjà inscrite", days=4)
    _register(mine, member)
    make_meeting(curator, title="Brouillon caché", days=3, status=MeetingStatus.DRAFT)
    make_meeting(curator, title="Annulée", days=3, status=MeetingStatus.CANCELLED)

    news = block(member_client.get(HOME), "news-meetings")

    assert "Rencontre A" in news and "sur place : 3 places" in news and "à distance : 2 places" in news
    assert "Rencontre B complète" in news and "sur place : complet" in news and "complet" in news
    assert "Rencontre C" in news
    assert "Rencontre D trop loin" not in news  # three at most, the next ones
    assert "4 rencontres à venir ouvertes aux inscriptions." in news
    for hidden in ("Déjà inscrite", "Brouillon caché", "Annulée"):
        assert hidden not in news


def test_an_account_waiting_for_approval_sees_only_public_meetings_in_the_news(member, curator):
    make_meeting(curator, title="Réservée aux membres", days=5, audience=MeetingAudience.MEMBERS)
    make_meeting(curator, title="Ouverte au public", days=6, audience=MeetingAudience.PUBLIC)

    pending = home.meetings_news(UserFactory(pending=True))
    approved = home.meetings_news(member)

    assert [link.text for link in pending.links] == ["Ouverte au public"]
    assert [link.text for link in approved.links] == ["Réservée aux membres", "Ouverte au public"]


# The team's to-do page -----------------------------------------------------------------------


def test_the_team_sees_meetings_proposed_by_members_and_notes_for_the_referentiel(client, member, curator):
    organiser = UserFactory()
    proposed = make_meeting(organiser, title="Rencontre régionale proposée", days=30, status=MeetingStatus.DRAFT)
    make_meeting(curator, title="Brouillon de l'équipe", days=30, status=MeetingStatus.DRAFT)
    past = make_meeting(curator, title="Séminaire", days=-10)
    note = services.outcome_note(
        meeting_id=past.pk, actor=curator, title="La posture de tiers", body="Une activité.", referentiel_codes=["M2"]
    )
    handled = services.outcome_note(
        meeting_id=past.pk, actor=curator, title="Déjà traitée", body="Vue.", referentiel_codes=["M1"]
    )
    services.outcome_handle(outcome_id=handled.pk, actor=curator)

    client.force_login(member)
    assert not select(client.get(HOME), "#block-todo-meetings-drafts")

    client.force_login(curator)
    page = client.get(TODO)
    drafts = block(page, "todo-meetings-drafts")
    assert "Rencontre régionale proposée" in drafts and "à annoncer" in drafts
    assert "Brouillon de l'équipe" not in drafts
    assert select(page, f"#block-todo-meetings-drafts a[href='{proposed.get_absolute_url()}']")
    notes = block(page, "todo-meetings-notes")
    assert "La posture de tiers" in notes and "Séminaire" in notes and "M2" in notes
    assert "Déjà traitée" not in notes
    outcomes = reverse("meetings:outcomes", kwargs={"pk": past.pk})
    assert select(page, f"#block-todo-meetings-notes a[href='{outcomes}#suite-{note.pk}']")

    services.outcome_handle(outcome_id=note.pk, actor=curator)
    Meeting.objects.filter(pk=proposed.pk).update(status=MeetingStatus.PUBLISHED)
    page = client.get(TODO)
    assert block(page, "todo-meetings-notes") is None and block(page, "todo-meetings-drafts") is None


# The team's journal --------------------------------------------------------------------------


def test_the_team_journal_reads_the_organisers_actions_and_not_the_members_own(client, curator):
    claire = UserFactory(curator=True)
    ProfileFactory(user=claire, display_name="Claire Martin")
    meeting = make_meeting(claire, title="Journée nationale", days=10)
    person = UserFactory()
    registered = _register(meeting, person)
    registration.check_in(registration_id=registered.pk, organiser=claire, present=True)
    services.meeting_cancel(meeting_id=meeting.pk, actor=claire, reason="Salle indisponible")

    client.force_login(curator)
    text = main_text(client.get(JOURNAL))

    assert "Claire Martin a annulé la rencontre « Journée nationale » : « Salle indisponible »" in text
    check_in = f"Claire Martin a constaté la présence de l'inscription n° {registered.pk}"
    assert f"{check_in} à la rencontre « Journée nationale »" in text
    assert "s'est inscrit·e" not in text  # a member's own registration stays in the administrators' log
    only = main_text(client.get(JOURNAL, {"domaine": "meetings"}))
    assert "a annulé la rencontre" in only


def _check_ins(curator, meetings: int) -> None:
    for index in range(meetings):
        meeting = make_meeting(curator, title=f"Rencontre {index}", days=index + 2)
        person = UserFactory()
        ProfileFactory(user=person)
        registration_row = _register(meeting, person)
        registration.check_in(registration_id=registration_row.pk, organiser=curator, present=True)


def test_the_team_journal_names_the_meetings_in_a_fixed_number_of_queries(client, curator):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(curator)
    _check_ins(curator, 2)
    with CaptureQueriesContext(connection) as few:
        first = client.get(JOURNAL + "?domaine=meetings")
    assert "Rencontre 1" in main_text(first)
    _check_ins(curator, 6)
    with CaptureQueriesContext(connection) as more:
        second = client.get(JOURNAL + "?domaine=meetings")
    assert "Rencontre 5" in main_text(second)
    assert len(more) == len(few)
