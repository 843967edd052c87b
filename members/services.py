import re
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models.functions import Lower
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core import concurrency
from core.audit import audit_log
from core.diff import similarity
from core.enums import Role
from core.mail import queue_email
from core.personal_data import personal_data_erase
from core.spreadsheets import SpreadsheetRefused, csv_rows
from members.enums import AccountStatus, InvitationOutcome
from members.models import Council, Invitation, Profile, User


def _send_status_email(*, user: User, template: str, context: dict) -> None:
    with translation.override(settings.LANGUAGE_CODE):
        context = {"user": user, "site_url": settings.SITE_URL, **context}
        subject = render_to_string(f"members/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"members/email/{template}_message.txt", context)
    queue_email(subject=subject, body=body, to=[user.email])


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


# --- Profiles -----------------------------------------------------------------------------------


def profile_get_or_create(*, user: User) -> Profile:
    """The member's profile, created on first use with their account name as display name."""
    profile = Profile.objects.filter(user=user).select_related("council").first()
    if profile is not None:
        return profile
    with transaction.atomic():
        profile, _created = Profile.objects.get_or_create(
            user=user, defaults={"display_name": user.get_full_name() or user.email.split("@")[0]}
        )
    return profile


def profile_update(
    *, profile: Profile, data: dict, photo=None, remove_photo: bool = False, lock_version: int | None = None
) -> Profile:
    """Save the member's profile; a new photo replaces the old one, whose file is then deleted.

    `lock_version` is the profile's as the form was opened: EditConflict when it was saved since
    (the form open in two tabs), nothing written.
    """
    if photo is not None and not profile.user.is_approved:
        # Nobody shows a photo to the network before the CNCD team has approved the account.
        raise ValidationError(_("Un compte en attente de validation ne peut pas ajouter de photo."), code="pending")
    with transaction.atomic():
        concurrency.version_claim(profile, expected=lock_version)
        for name, value in data.items():
            setattr(profile, name, value)
        old_photo_name = profile.photo.name if profile.photo else ""
        if photo is not None:
            profile.photo.save(photo.name, photo, save=False)
        elif remove_photo:
            profile.photo = None
        profile.full_clean()
        profile.save()
        new_photo_name = profile.photo.name if profile.photo else ""
        if old_photo_name and old_photo_name != new_photo_name:
            storage = profile.photo.storage
            transaction.on_commit(lambda: storage.delete(old_photo_name))
    return profile


# --- Councils -----------------------------------------------------------------------------------

# Words that say nothing about which council it is; dropped before comparing names.
_NAME_NOISE = {
    "conseil",
    "conseils",
    "developpement",
    "codev",
    "cd",
    "de",
    "du",
    "des",
    "la",
    "le",
    "les",
    "l",
    "d",
    "et",
    "en",
}
SIMILAR_NAME_RATIO = 0.85


def council_name_key(name: str) -> str:
    """A council name without accents, case, punctuation or generic words, for comparisons."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(char for char in text if not unicodedata.combining(char)).lower()
    words = re.findall(r"[a-z0-9]+", text)
    return " ".join(word for word in words if word not in _NAME_NOISE)


def council_find_similar(*, name: str, exclude_pk: int | None = None) -> Council | None:
    """The existing council whose name is (nearly) the same as `name`, if any."""
    key = council_name_key(name)
    if not key:
        return None
    best, best_ratio = None, 0.0
    for council in Council.objects.exclude(pk=exclude_pk).only("pk", "name"):
        other = council_name_key(council.name)
        # Bounded: a crafted name costs no more than a real one (difflib alone can take cubic time).
        ratio = 1.0 if other == key else similarity(key, other)
        if ratio > best_ratio:
            best, best_ratio = council, ratio
    return best if best_ratio >= SIMILAR_NAME_RATIO else None


def council_duplicate_error(council: Council) -> ValidationError:
    """The error that names the existing council a new name is too close to."""
    return ValidationError(
        _("Ce conseil semble déjà exister sous le nom « %(name)s ». Choisissez-le dans la liste de votre profil."),
        code="duplicate",
        params={"name": council.name},
    )


def council_declare(*, name: str, kind: str, authority_name: str, departments, website: str = "", by: User) -> Council:
    """Add a council missing from the list (unvalidated until the team checks it) and make it the declarer's."""
    with transaction.atomic():
        similar = council_find_similar(name=name)
        if similar is not None:
            raise ValidationError({"name": council_duplicate_error(similar)})
        council = Council(name=name.strip(), kind=kind, authority_name=authority_name, website=website, declared_by=by)
        council.full_clean(exclude=["departments"])
        council.save()
        council.departments.set(departments)
        profile = profile_get_or_create(user=by)
        profile.council = council
        profile.save(update_fields=["council", "updated_at"])
    return council


def council_validate(*, council: Council, by: User) -> Council:
    """Mark a declared council as checked by the CNCD team, so every member can pick it."""
    with transaction.atomic():
        council = Council.objects.select_for_update().get(pk=council.pk)
        if council.is_validated:
            raise ValidationError(_("Ce conseil est déjà validé."))
        council.is_validated = True
        council.save(update_fields=["is_validated"])
        audit_log(actor=by, action="members.council.validated", target=council)
    return council


# --- Invitations --------------------------------------------------------------------------------

MAX_INVITATIONS_PER_BATCH = 500
# Bounds of an uploaded list: blank lines and extra columns (names, notes) are allowed, within reason.
MAX_INVITATION_CSV_LINES = 5000
MAX_INVITATION_CSV_CELL_CHARS = 1000


@dataclass
class InvitationLine:
    """One line of an invitation list and what became of it."""

    number: int
    value: str
    outcome: InvitationOutcome

    @property
    def outcome_label(self) -> str:
        return self.outcome.label

    @property
    def is_success(self) -> bool:
        return self.outcome == InvitationOutcome.INVITED


def invitation_lines_from_text(text: str) -> list[str]:
    """The non-empty lines of a pasted list (commas and semicolons also separate addresses)."""
    values = []
    for line in text.splitlines():
        values.extend(part.strip() for part in re.split(r"[,;\t]", line) if part.strip())
    return values


def invitation_lines_from_csv(content: bytes) -> list[str]:
    """The first non-empty cell of each row of a CSV file, skipping a header row; ValidationError if malformed."""
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    delimiter = ";" if text.count(";") >= text.count(",") else ","
    try:
        rows = csv_rows(
            text,
            delimiter=delimiter,
            max_rows=MAX_INVITATION_CSV_LINES,
            max_field_chars=MAX_INVITATION_CSV_CELL_CHARS,
        )
    except SpreadsheetRefused as refused:
        raise ValidationError(str(refused), code="bad_csv") from None
    values = []
    for index, (_line, row) in enumerate(rows):
        cells = [cell.strip() for cell in row if cell.strip()]
        if not cells:
            continue
        if index == 0 and "@" not in cells[0] and cells[0].lower().replace("-", "") in {"email", "courriel", "adresse"}:
            continue
        values.append(cells[0])
    return values


def invitations_send(*, values: list[str], by: User) -> list[InvitationLine]:
    """Invite each address of a list, reporting line by line what was done or why not."""
    if len(values) > MAX_INVITATIONS_PER_BATCH:
        raise ValidationError(
            _("La liste compte %(count)d adresses : envoyez-en au plus %(max)d à la fois.")
            % {"count": len(values), "max": MAX_INVITATIONS_PER_BATCH}
        )
    # Only well-formed addresses reach the database: a NUL byte would make PostgreSQL refuse the query,
    # and validate_email accepts up to 320 characters where the column holds fewer.
    max_length = Invitation._meta.get_field("email").max_length
    emails: list[str | None] = []
    for value in values:
        email = value.strip().strip("<>").lower()
        try:
            validate_email(email)
        except ValidationError:
            email = None
        emails.append(email if email and len(email) <= max_length else None)
    lowered = sorted({email for email in emails if email})
    members = set(
        User.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=lowered)
        .values_list("email_lower", flat=True)
    )
    members |= set(
        EmailAddress.objects.annotate(email_lower=Lower("email"))
        .filter(email_lower__in=lowered)
        .values_list("email_lower", flat=True)
    )
    invited = set(
        Invitation.objects.open()
        .annotate(email_lower=Lower("email"))
        .filter(email_lower__in=lowered)
        .values_list("email_lower", flat=True)
    )
    report, seen, to_invite = [], set(), []
    for number, (value, email) in enumerate(zip(values, emails, strict=True), start=1):
        if email is None:
            report.append(InvitationLine(number, value, InvitationOutcome.INVALID))
            continue
        if email in seen:
            outcome = InvitationOutcome.DUPLICATE
        elif email in members:
            outcome = InvitationOutcome.ALREADY_MEMBER
        elif email in invited:
            outcome = InvitationOutcome.ALREADY_INVITED
        else:
            outcome = InvitationOutcome.INVITED
            to_invite.append(email)
        seen.add(email)
        report.append(InvitationLine(number, value, outcome))
    with transaction.atomic():
        invitations = Invitation.objects.bulk_create([Invitation(email=email, invited_by=by) for email in to_invite])
        if invitations:
            audit_log(actor=by, action="members.invitation.sent", data={"count": len(invitations), "emails": to_invite})
            messages = [_invitation_message(invitation) for invitation in invitations]
            transaction.on_commit(lambda: _queue_emails(messages))
    return report


def _queue_emails(messages: list[dict]) -> None:
    for message in messages:
        queue_email(**message)


def _invitation_message(invitation: Invitation) -> dict:
    with translation.override(settings.LANGUAGE_CODE):
        context = {
            "invitation": invitation,
            "site_url": settings.SITE_URL,
            "accept_url": settings.SITE_URL + reverse("members:invitation", args=[invitation.token]),
        }
        subject = render_to_string("members/email/invitation_subject.txt", context).strip()
        body = render_to_string("members/email/invitation_message.txt", context)
    return {"subject": settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + subject, "body": body, "to": [invitation.email]}


def invitation_accept(*, token: str, user: User) -> bool:
    """Approve a new account at once when it was created through a valid invitation for its address."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().filter(token=token).first()
        if invitation is None or invitation.accepted_at is not None or invitation.is_expired:
            return False
        if invitation.email.lower() != user.email.lower():
            return False
        now = timezone.now()
        invitation.accepted_at = now
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        user.status = AccountStatus.APPROVED
        user.status_changed_at = now
        user.status_changed_by = invitation.invited_by
        user.save(update_fields=["status", "status_changed_at", "status_changed_by"])
        audit_log(actor=user, action="members.invitation.accepted", target=user, data={"invitation": invitation.pk})
    return True


# --- Personal data ------------------------------------------------------------------------------


def user_erase(*, user: User) -> User:
    """Erase a member's personal data in every app at their request, keeping an anonymous account row.

    Every kind of data declared to core.personal_data is erased (members/personal_data.py for this
    app's): the row stays (inactive, unusable password, no name, a placeholder address, no session
    left) so that anything the person wrote for the network keeps a valid author, displayed as
    "Ancien·ne membre". The erasure is audited without anything that names the person.
    """
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        personal_data_erase(user)
        # No author: the entry says an account was erased, not by whom it was (its id only).
        audit_log(actor=None, action="members.user.erased", target=user)
    return user


def users_purge_pending(*, older_than_days: int) -> int:
    """Delete accounts still waiting for approval after `older_than_days` days; return how many."""
    limit = timezone.now() - timedelta(days=older_than_days)
    with transaction.atomic():
        users = list(User.objects.pending().filter(date_joined__lt=limit))
        for user in users:
            profile = Profile.objects.filter(user=user).first()
            if profile is not None and profile.photo:
                storage, name = profile.photo.storage, profile.photo.name
                transaction.on_commit(lambda storage=storage, name=name: storage.delete(name))
        count = len(users)
        if users:
            User.objects.filter(pk__in=[user.pk for user in users]).delete()
            audit_log(actor=None, action="members.user.purged", data={"count": count, "days": older_than_days})
    return count
