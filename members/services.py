from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from codev_network.audit import audit_log
from members.enums import AccountStatus, Role
from members.models import User


def _send_status_email(*, user: User, template: str, context: dict) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        context = {"user": user, "site_url": settings.SITE_URL, **context}
        subject = render_to_string(f"members/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"members/email/{template}_message.txt", context)
    send_mail(subject, body, None, [user.email])


def user_approve(*, user: User, by: User | None) -> User:
    """Let a pending (or refused) account into the network and tell the person by email."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.status == AccountStatus.APPROVED:
            raise ValidationError(_("Ce compte est déjà validé."))
        user.status = AccountStatus.APPROVED
        user.status_changed_at = timezone.now()
        user.status_changed_by = by
        user.save(update_fields=["status", "status_changed_at", "status_changed_by"])
        audit_log(actor=by, action="members.user.approved", target=user)
        login_url = settings.SITE_URL + reverse("account_login")
        transaction.on_commit(
            lambda: _send_status_email(user=user, template="account_approved", context={"login_url": login_url})
        )
    return user


def user_refuse(*, user: User, by: User | None, reason: str = "") -> User:
    """Refuse a pending account, keeping it out of the network, and tell the person by email."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        if user.status != AccountStatus.PENDING:
            raise ValidationError(_("Seul un compte en attente peut être refusé."))
        user.status = AccountStatus.REFUSED
        user.status_changed_at = timezone.now()
        user.status_changed_by = by
        user.save(update_fields=["status", "status_changed_at", "status_changed_by"])
        audit_log(actor=by, action="members.user.refused", target=user, data={"reason": reason})
        transaction.on_commit(
            lambda: _send_status_email(user=user, template="account_refused", context={"reason": reason})
        )
    return user


def user_set_role(*, user: User, role: Role, by: User | None) -> User:
    """Give an account a role; administrators also get access to the Django admin."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        previous = user.role
        user.role = role
        user.is_staff = user.is_superuser = role == Role.ADMIN
        user.save(update_fields=["role", "is_staff", "is_superuser"])
        audit_log(actor=by, action="members.user.role_changed", target=user, data={"from": previous, "to": role})
    return user
