"""The member's own data, as a zip they can download (right of access and portability)."""

import io
import json
import zipfile

from allauth.account.models import EmailAddress
from django.utils import timezone

from core.models import AuditEntry
from members.fields import PROFILE_GROUPS
from members.models import Council, Invitation, Profile, User

# The council is exported by its name and the photo as its file in the archive, after the plain
# values; the email address is the account's, exported with it.
EXPORTED_APART = {"council", "photo", "email"}
PROFILE_FIELDS = [
    *(name for group in PROFILE_GROUPS for name in group.fields if name not in EXPORTED_APART),
    *(group.visibility_field for group in PROFILE_GROUPS),
    "updated_at",
]


def _iso(value):
    return value.isoformat() if value is not None else None


def user_data(*, user: User) -> dict:
    """Everything the platform holds about `user`, as JSON-ready data."""
    profile = Profile.objects.filter(user=user).select_related("council").first()
    data = {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "role": user.role,
            "status": user.status,
            "status_changed_at": _iso(user.status_changed_at),
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
        },
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in EmailAddress.objects.filter(user=user).order_by("email")
        ],
        "profile": None,
        "councils_declared": [
            {"name": council.name, "authority_name": council.authority_name, "validated": council.is_validated}
            for council in user_declared_councils(user)
        ],
        "invitations_received": [
            {
                "email": invitation.email,
                "sent_at": _iso(invitation.created_at),
                "accepted_at": _iso(invitation.accepted_at),
            }
            for invitation in Invitation.objects.filter(email__iexact=user.email)
        ],
        "actions_taken": [
            {"action": entry.action, "date": _iso(entry.created_at), "object": entry.target_repr}
            for entry in AuditEntry.objects.filter(actor=user)
        ],
        "account_history": [
            {"action": entry.action, "date": _iso(entry.created_at), "details": entry.data}
            for entry in AuditEntry.objects.filter(target_type=user._meta.label_lower, target_id=str(user.pk))
        ],
    }
    if profile is not None:
        values = {}
        for name in PROFILE_FIELDS:
            value = getattr(profile, name)
            values[name] = value.isoformat() if hasattr(value, "isoformat") else value
        values["council"] = profile.council.name if profile.council else None
        values["photo"] = _photo_archive_name(profile) or None
        data["profile"] = values
    return data


def user_declared_councils(user: User):
    return Council.objects.filter(declared_by=user).order_by("name")


def _photo_archive_name(profile: Profile) -> str:
    if not profile.photo:
        return ""
    extension = profile.photo.name.rsplit(".", 1)[-1]
    return f"photo.{extension}"


def user_data_archive(*, user: User) -> bytes:
    """A zip holding data.json and, when there is one, the profile photo."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(user_data(user=user), ensure_ascii=False, indent=2))
        profile = Profile.objects.filter(user=user).first()
        if profile is not None and profile.photo:
            try:
                with profile.photo.open("rb") as photo:
                    archive.writestr(_photo_archive_name(profile), photo.read())
            except FileNotFoundError:
                pass
    return buffer.getvalue()
