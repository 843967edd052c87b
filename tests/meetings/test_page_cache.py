"""A meeting's page kept rendered per viewer's state (meetings.caching): the kept page is the fresh one, each
change shows on the next request, and a rendering made for one visitor's state never reaches another."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from meetings import registration, services
from meetings.enums import AttendanceMode, MeetingAudience, RegistrationStatus, WorkshopKind
from meetings.models import Material, Meeting, Workshop
from members.enums import Credit
from tests.html import main_text
from tests.meetings.factories import make_meeting
from tests.members.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def main_of(response) -> str:
    text = response.content.decode()
    main = text[text.index("<main") : text.index("</main>")]
    return CSRF_INPUT.sub('name="csrfmiddlewaretoken" value=""', main)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def meeting(curator):
    meeting = make_meeting(
        curator,
        audience=MeetingAudience.PUBLIC,
        description="Une **journée** de travail.",
        programme="- Matin\n- Après-midi",
    )
    Workshop.objects.create(meeting=meeting, title="Table 1 : la mobilité", kind=WorkshopKind.TABLE, capacity=5)
    return meeting


def url_of(meeting) -> str:
    return reverse("meetings:detail", kwargs={"pk": meeting.pk})


def test_the_kept_page_is_the_fresh_one_with_the_visitors_own_token(member, meeting):
    client = client_for(member)
    with CaptureQueriesContext(connection) as first:
        computed = client.get(url_of(meeting))
    with CaptureQueriesContext(connection) as second:
        kept = client.get(url_of(meeting))
    assert computed.status_code == kept.status_code == 200
    assert main_of(kept) == main_of(computed)
    assert "<strong>journée</strong>" in kept.content.decode()
    assert len(second) < len(first) - 8
    tokens = set(CSRF_INPUT.findall(kept.content.decode()))
    assert tokens and "<csrf-token/>" not in kept.content.decode()
    other = client_for(UserFactory())
    other_tokens = set(CSRF_INPUT.findall(other.get(url_of(meeting)).content.decode()))
    assert other_tokens and not other_tokens & tokens
    cache.clear()
    assert main_of(client.get(url_of(meeting))) == main_of(kept)


def test_the_organisers_tools_never_reach_a_member(member, curator, meeting):
    organiser = UserFactory()
    meeting.organisers.add(organiser)
    for user in (curator, organiser):
        assert "Ajouter un sous-groupe" in main_text(client_for(user).get(url_of(meeting)))
    for user in (member, None):
        text = main_text(client_for(user).get(url_of(meeting)))
        assert "Ajouter un sous-groupe" not in text and "Inscrit·es et présences" not in text
    meeting.organisers.remove(organiser)
    assert "Ajouter un sous-groupe" not in main_text(client_for(organiser).get(url_of(meeting)))


def test_a_registration_shows_for_its_member_alone_and_the_places_for_all(member, other_member, meeting):
    client, other = client_for(member), client_for(other_member)
    assert "M'inscrire" in main_text(client.get(url_of(meeting)))
    assert "M'inscrire" in main_text(other.get(url_of(meeting)))
    registration.register(meeting_id=meeting.pk, user=member, mode=AttendanceMode.REMOTE)
    text = main_text(client.get(url_of(meeting)))
    assert "Vous êtes inscrit·e" in text and "Annuler mon inscription" in text
    assert "https://visio.example.org/seminaire" in text
    other_text = main_text(other.get(url_of(meeting)))
    assert "Vous êtes inscrit·e" not in other_text and "visio.example.org" not in other_text
    # The last remote place taken: the others see the waiting list.
    registration.register(meeting_id=meeting.pk, user=UserFactory(), mode=AttendanceMode.REMOTE)
    assert "complet : liste d'attente" in main_text(other.get(url_of(meeting)))
    registration.register(meeting_id=meeting.pk, user=other_member, mode=AttendanceMode.REMOTE)
    assert "liste d'attente (à distance), en position 1" in main_text(other.get(url_of(meeting)))


def test_sub_groups_follow_and_names_show_on_the_next_request(member, other_member, meeting):
    workshop = meeting.workshops.get()
    ProfileFactory(user=member, display_name="Aïcha Benali", credit=Credit.FULL_NAME)
    client, other = client_for(member), client_for(other_member)
    registration.register(meeting_id=meeting.pk, user=member, mode=AttendanceMode.ON_SITE)
    assert "Rejoindre ce sous-groupe" in main_text(client.get(url_of(meeting)))
    assert "personne pour l'instant" in main_text(other.get(url_of(meeting)))
    services.workshop_join(workshop_id=workshop.pk, user=member)
    assert "Quitter ce sous-groupe" in main_text(client.get(url_of(meeting)))
    other_text = main_text(other.get(url_of(meeting)))
    assert "Aïcha Benali" in other_text and "Quitter ce sous-groupe" not in other_text
    member.profile.display_name = "Aïcha B."
    member.profile.save()
    assert "Aïcha B." in main_text(other.get(url_of(meeting)))
    registration.follow_toggle(meeting_id=meeting.pk, user=other_member)
    assert "Ne plus suivre" in main_text(other.get(url_of(meeting)))
    assert "Ne plus suivre" not in main_text(client.get(url_of(meeting)))


def test_edits_documents_and_outcomes_show_on_the_next_request(member, curator, meeting):
    client = client_for(member)
    client.get(url_of(meeting))
    meeting.summary = "Un nouveau résumé."
    meeting.save()
    assert "Un nouveau résumé." in main_text(client.get(url_of(meeting)))
    Material.objects.create(meeting=meeting, title="Diaporama d'ouverture", url="https://example.org/diapo")
    assert "Diaporama d'ouverture" in main_text(client.get(url_of(meeting)))
    services.outcome_note(
        meeting_id=meeting.pk, actor=curator, title="Revoir la compétence", body="À préciser.", referentiel_codes=[]
    )
    assert "Revoir la compétence" in main_text(client.get(url_of(meeting)))
    workshop = meeting.workshops.get()
    workshop.notes = "Des notes *partagées*."
    workshop.save()
    assert "<em>partagées</em>" in client.get(url_of(meeting)).content.decode()


def test_the_kept_page_reads_a_constant_number_of_queries(member, meeting):
    client = client_for(member)

    def kept_queries() -> int:
        client.get(url_of(meeting))
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url_of(meeting)).status_code == 200
        return len(queries)

    one = kept_queries()
    for index in range(5):
        workshop = Workshop.objects.create(meeting=meeting, title=f"Table {index}", kind=WorkshopKind.TABLE)
        workshop.participants.add(UserFactory(), UserFactory())
        Material.objects.create(meeting=meeting, title=f"Document {index}", url="https://example.org/")
    registration.register(meeting_id=meeting.pk, user=member, mode=AttendanceMode.ON_SITE)
    assert registration.registration_of(meeting, member).status == RegistrationStatus.CONFIRMED
    assert kept_queries() == one


def test_an_update_that_sends_no_signal_on_the_meeting_shows_on_the_next_request(member, meeting):
    client = client_for(member)
    client.get(url_of(meeting))
    Meeting.objects.filter(pk=meeting.pk).update(summary="Un résumé écrit en masse.")
    assert "Un résumé écrit en masse." in main_text(client.get(url_of(meeting)))
