"""The CNCD team reads what it decided, as sentences, in the areas it moderates; members cannot."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fiches import services
from members import services as member_services
from tests.fiches.factories import fiche_with_sections, suggestion_on
from tests.html import main_text, select
from tests.members.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

JOURNAL = reverse("team_journal")


@pytest.fixture
def claire(db):
    user = UserFactory(curator=True, first_name="Claire", last_name="Martin")
    ProfileFactory(user=user, display_name="Claire Martin")
    return user


def test_the_team_reads_its_decisions_as_sentences(client, claire):
    suggestion = suggestion_on(fiche_with_sections(1).sections.first())
    comment = services.comment_create(suggestion_id=suggestion.pk, author=UserFactory(), body="Hors sujet.")
    services.comment_hide(comment_id=comment.pk, actor=claire, reason="Propos personnels")
    newcomer = UserFactory(pending=True, first_name="Léa", last_name="Roux")
    member_services.user_approve(user=newcomer, by=claire)
    client.force_login(claire)
    text = main_text(client.get(JOURNAL))
    assert f"Claire Martin a masqué le commentaire n° {comment.pk} : « Propos personnels »" in text
    assert "Claire Martin a validé le compte de Léa Roux" in text
    assert "fiches.comment.hidden" not in text  # sentences, not codes
    only_fiches = main_text(client.get(JOURNAL, {"domaine": "fiches"}))
    assert "masqué le commentaire" in only_fiches and "validé le compte" not in only_fiches
    # The administrators' log reads the same sentence beside its code.
    admin = UserFactory(admin=True)
    client.force_login(admin)
    audit = main_text(client.get(reverse("audit_list")))
    assert "Claire Martin a masqué le commentaire" in audit and "fiches.comment.hidden" in audit


def test_members_cannot_read_the_team_journal(member_client):
    assert member_client.get(JOURNAL).status_code == 403


def test_the_journal_reads_each_person_once(client, claire):
    suggestion = suggestion_on(fiche_with_sections(1).sections.first())
    client.force_login(claire)
    comments = [
        services.comment_create(suggestion_id=suggestion.pk, author=UserFactory(), body=f"Message {n}")
        for n in range(6)
    ]
    services.comment_hide(comment_id=comments[0].pk, actor=claire, reason="Motif")
    with CaptureQueriesContext(connection) as few:
        client.get(JOURNAL)
    for comment in comments[1:]:
        services.comment_hide(comment_id=comment.pk, actor=claire, reason="Motif")
    with CaptureQueriesContext(connection) as many:
        response = client.get(JOURNAL)
    assert len(select(response, "main ol li")) == 6
    assert len(many) == len(few)
