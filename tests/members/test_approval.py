import pytest
from django.core import mail

from core.models import AuditEntry
from members.enums import AccountStatus
from tests.members.factories import CouncilFactory, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

QUEUE = "/membres/equipe/comptes/"


@pytest.fixture
def applicant():
    user = UserFactory(pending=True, email="candidate@example.org")
    ProfileFactory(user=user, council=CouncilFactory(name="Conseil de développement du Pays de Brocéliande"))
    return user


def test_only_curators_open_the_queue(client, member, pending_user, curator):
    assert client.get(QUEUE).status_code == 302
    client.force_login(pending_user)
    assert client.get(QUEUE)["Location"] == "/membres/en-attente/"
    client.force_login(member)
    assert client.get(QUEUE).status_code == 403
    client.force_login(curator)
    assert client.get(QUEUE).status_code == 200


def test_the_queue_lists_pending_accounts_with_their_declared_council(curator_client, applicant, member):
    page = curator_client.get(QUEUE).content.decode()
    assert "candidate@example.org" in page
    assert "Conseil de développement du Pays de Brocéliande" in page
    assert member.email not in page
    assert "<caption>" in page


def test_a_curator_approves_an_account(curator_client, curator, applicant, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = curator_client.post(f"{QUEUE}{applicant.pk}/valider/", follow=True)
    applicant.refresh_from_db()
    assert applicant.status == AccountStatus.APPROVED
    assert "est validé" in response.content.decode()
    assert mail.outbox[-1].to == ["candidate@example.org"]
    assert AuditEntry.objects.filter(action="members.user.approved", actor=curator).exists()


def test_approving_needs_a_post(curator_client, applicant):
    assert curator_client.get(f"{QUEUE}{applicant.pk}/valider/").status_code == 405
    applicant.refresh_from_db()
    assert applicant.status == AccountStatus.PENDING


def test_a_curator_refuses_an_account_with_a_reason(curator_client, applicant, django_capture_on_commit_callbacks):
    page = curator_client.get(f"{QUEUE}{applicant.pk}/refuser/").content.decode()
    assert "Refuser le compte de candidate@example.org" in page
    with django_capture_on_commit_callbacks(execute=True):
        curator_client.post(f"{QUEUE}{applicant.pk}/refuser/", {"reason": "Pas technicien·ne d'un conseil"})
    applicant.refresh_from_db()
    assert applicant.status == AccountStatus.REFUSED
    assert "Pas technicien·ne d'un conseil" in mail.outbox[-1].body
    entry = AuditEntry.objects.get(action="members.user.refused")
    assert entry.data == {"reason": "Pas technicien·ne d'un conseil"}


def test_an_account_already_decided_is_not_in_the_queue_anymore(curator_client, member):
    assert curator_client.post(f"{QUEUE}{member.pk}/valider/").status_code == 404
    assert curator_client.post(f"{QUEUE}{member.pk}/refuser/").status_code == 404


def test_members_cannot_approve(member_client, applicant):
    assert member_client.post(f"{QUEUE}{applicant.pk}/valider/").status_code == 403
    applicant.refresh_from_db()
    assert applicant.status == AccountStatus.PENDING
