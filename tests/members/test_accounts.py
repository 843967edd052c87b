import re

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from core.enums import Role
from core.models import AuditEntry
from members import services
from members.enums import AccountStatus
from members.models import User
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def sign_up(client, email="nouvelle@example.org"):
    return client.post(
        reverse("account_signup"),
        {
            "first_name": "Camille",
            "last_name": "Martin",
            "email": email,
            "password1": "Une-phrase-de-passe-42",
            "password2": "Une-phrase-de-passe-42",
        },
        follow=True,
    )


def test_signup_creates_a_pending_account_and_sends_a_verification_email(client):
    response = sign_up(client)
    assert response.status_code == 200
    user = User.objects.get(email="nouvelle@example.org")
    assert user.status == AccountStatus.PENDING
    assert user.role == Role.MEMBER
    assert user.password.startswith("md5$")  # the test hasher; production uses Argon2 (see settings test)
    assert len(mail.outbox) == 1
    assert "/comptes/confirm-email/" in mail.outbox[0].body


def test_after_verifying_the_email_a_pending_person_sees_the_waiting_page_and_nothing_else(client):
    sign_up(client)
    link = re.search(r"https?://\S+/comptes/confirm-email/\S+/", mail.outbox[0].body).group(0)
    path = link.removeprefix(settings.SITE_URL.rstrip("/"))  # links are on the configured address
    confirm_page = client.get(path)
    assert confirm_page.status_code == 200
    response = client.post(path, follow=True)
    assert response.redirect_chain[-1][0] == reverse("members:pending")
    assert "Votre compte est en attente de validation" in response.content.decode()
    assert "nouvelle@example.org" in response.content.decode()
    # The network stays closed: the admin and other closed pages send back to the waiting page.
    assert client.get("/admin/").status_code == 302
    # Account management stays available while pending.
    assert client.get(reverse("account_change_password")).status_code == 200


def test_home_page_tells_a_pending_person_their_account_awaits_validation(client, pending_user):
    client.force_login(pending_user)
    content = client.get("/").content.decode()
    assert "Votre compte est en attente de validation par l'équipe CNCD" in content


def test_approval_lets_the_person_in_emails_them_and_is_audited(
    client, pending_user, administrator, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.user_approve(user=pending_user, by=administrator)
    pending_user.refresh_from_db()
    assert pending_user.status == AccountStatus.APPROVED
    assert pending_user.status_changed_by == administrator
    assert mail.outbox[-1].to == [pending_user.email]
    assert "Votre compte est validé" in mail.outbox[-1].subject
    entry = AuditEntry.objects.get(action="members.user.approved")
    assert entry.actor == administrator and entry.target_id == str(pending_user.pk)
    client.force_login(pending_user)
    assert client.get(reverse("members:pending")).status_code == 302


def test_approving_twice_is_refused(pending_user, administrator):
    services.user_approve(user=pending_user, by=administrator)
    with pytest.raises(services.ValidationError):
        services.user_approve(user=pending_user, by=administrator)
    assert AuditEntry.objects.filter(action="members.user.approved").count() == 1


def test_refusal_keeps_the_person_out_and_explains(client, pending_user, curator, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        services.user_refuse(user=pending_user, by=curator, reason="Pas de conseil de développement")
    pending_user.refresh_from_db()
    assert pending_user.status == AccountStatus.REFUSED
    assert "Pas de conseil de développement" in mail.outbox[-1].body
    client.force_login(pending_user)
    response = client.get(reverse("members:pending"))
    assert "Votre demande n'a pas été retenue" in response.content.decode()


def test_administrator_approves_from_the_django_admin(client, administrator, django_capture_on_commit_callbacks):
    waiting = UserFactory.create_batch(2, pending=True)
    client.force_login(administrator)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:members_user_changelist"),
            {"action": "approve", "_selected_action": [u.pk for u in waiting]},
            follow=True,
        )
    assert "2 comptes validés." in response.content.decode()
    assert set(User.objects.filter(pk__in=[u.pk for u in waiting]).values_list("status", flat=True)) == {"approved"}
    assert len(mail.outbox) == 2


def test_curators_cannot_open_the_django_admin(client, curator):
    client.force_login(curator)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_role_change_gives_admin_access_only_to_administrators(member, administrator):
    services.user_set_role(user=member, role=Role.ADMIN, by=administrator)
    member.refresh_from_db()
    assert member.is_staff and member.is_superuser
    services.user_set_role(user=member, role=Role.CURATOR, by=administrator)
    member.refresh_from_db()
    assert not member.is_staff and not member.is_superuser


def test_login_with_email_then_logout(client, member):
    response = client.post(
        reverse("account_login"), {"login": member.email, "password": "motdepasse-solide-42"}, follow=True
    )
    assert response.context["user"].is_authenticated
    response = client.post(reverse("account_logout"), follow=True)
    assert not response.context["user"].is_authenticated


def test_password_reset_sends_a_link(client, member):
    client.post(reverse("account_reset_password"), {"email": member.email})
    assert "/comptes/password/reset/key/" in mail.outbox[-1].body


def test_argon2_hashes_passwords_outside_tests():
    from codev_network.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
