"""What the members app keeps about a person, declared to the registry of core.personal_data.

Registered from `MembersConfig.ready()`. The account comes first in the archive and is erased last:
its row stays, anonymised, so that whatever the person wrote for the network keeps a valid author,
shown as "Ancien·ne membre" (members.User.__str__).
"""

from importlib import import_module

from allauth.account.models import EmailAddress, EmailConfirmation
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.personal_data import PersonalDataKind, StoredFile, personal_data_exempt, personal_data_register
from members.fields import PROFILE_GROUPS
from members.models import Council, Department, Invitation, Profile, Region, User

NETWORK = _("Les membres du réseau, selon la visibilité que vous avez choisie, et l'équipe CNCD.")
TEAM = _("L'équipe CNCD et les administrateur·rices de la plateforme.")
UNTIL_ERASED = _("Tant que votre compte existe ; supprimé avec votre compte.")
CONTRACT = _("Exécution du service que vous demandez en créant votre compte (RGPD, article 6.1.b).")

# Profile fields exported apart: the council as its own kind, the photo as a file, the address with the account.
PROFILE_APART = {"council", "photo", "email"}
PROFILE_FIELDS = (
    *(name for group in PROFILE_GROUPS for name in group.fields if name not in PROFILE_APART),
    *(group.visibility_field for group in PROFILE_GROUPS),
)
AUTHENTICATOR_LABELS = {
    Authenticator.Type.TOTP: _("Application d'authentification"),
    Authenticator.Type.RECOVERY_CODES: _("Codes de secours"),
    Authenticator.Type.WEBAUTHN: _("Clé de sécurité"),
}
SESSION_BATCH = 1000


def _iso(value):
    return value.isoformat() if value is not None else None


def _value(instance, name: str):
    """A field's value as the person reads it: a choice's label, a date in ISO form."""
    field = instance._meta.get_field(name)
    value = getattr(instance, name)
    if field.choices and value not in (None, ""):
        return str(getattr(instance, f"get_{name}_display")())
    return value.isoformat() if hasattr(value, "isoformat") else value


# --- Account --------------------------------------------------------------------------------------


def _account_retention() -> str:
    # Quotes the setting `purge_pending_accounts` applies, read when the text is shown.
    return gettext(
        "Tant que votre compte existe ; à sa suppression, le compte est anonymisé (plus de nom ni "
        "d'adresse) pour que vos contributions communes restent signées « Ancien·ne membre ». Un compte "
        "jamais validé est supprimé au bout de %(days)s jours."
    ) % {"days": settings.PENDING_ACCOUNT_RETENTION_DAYS}


def account_export(user) -> list[dict]:
    return [
        {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "role": user.get_role_display(),
            "status": user.get_status_display(),
            "status_changed_at": _iso(user.status_changed_at),
            "date_joined": _iso(user.date_joined),
            "last_login": _iso(user.last_login),
            "onboarding_dismissed_at": _iso(user.onboarding_dismissed_at),
        }
    ]


def account_erase(user) -> None:
    """Anonymise the account row (kept as the author of common texts) and close every session at once."""
    sessions_end(user)
    user.email = f"ancien-membre-{user.pk}@supprime.invalid"
    user.first_name = user.last_name = ""
    user.is_active = user.is_staff = user.is_superuser = False
    user.erased_at = timezone.now()
    user.onboarding_dismissed_at = None
    # A new password hash changes the session's authentication hash: a session the database does not
    # hold (cache or signed-cookie sessions) is refused at its next request.
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()


def sessions_end(user) -> int:
    """Delete `user`'s stored sessions (database-backed session engines); returns how many."""
    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    if not hasattr(store_class, "get_model_class"):
        return 0  # cache or cookie sessions: the rotated password hash closes them (account_erase)
    model = store_class.get_model_class()
    keys = []
    # Sessions are not indexed by account: each is decoded, in batches.
    for session in model.objects.only("session_key", "session_data").iterator(chunk_size=SESSION_BATCH):
        if store_class().decode(session.session_data).get(SESSION_KEY) == str(user.pk):
            keys.append(session.session_key)
    model.objects.filter(session_key__in=keys).delete()
    # cached_db also keeps each session in the cache: drop those copies once the erasure is committed.
    transaction.on_commit(lambda: [store_class(session_key=key).delete() for key in keys])
    return len(keys)


# --- Email addresses ------------------------------------------------------------------------------


def email_addresses_export(user) -> list[dict]:
    return [
        {"email": address.email, "verified": address.verified, "primary": address.primary}
        for address in EmailAddress.objects.filter(user=user).order_by("email")
    ]


def email_addresses_erase(user) -> None:
    EmailAddress.objects.filter(user=user).delete()  # their confirmation keys go with them


# --- Profile and photo ----------------------------------------------------------------------------


def _profile(user):
    return Profile.objects.filter(user=user).select_related("council").first()


def _photo_archive_name(profile) -> str:
    extension = profile.photo.name.rsplit(".", 1)[-1] if "." in profile.photo.name else "webp"
    return f"fichiers/photo.{extension}"


def profile_export(user) -> list[dict]:
    profile = _profile(user)
    if profile is None:
        return []
    row = {name: _value(profile, name) for name in PROFILE_FIELDS}
    row["council"] = profile.council.name if profile.council else None
    row["photo"] = _photo_archive_name(profile) if profile.photo else None
    row["updated_at"] = _iso(profile.updated_at)
    return [row]


def profile_files(user):
    profile = _profile(user)
    if profile is not None and profile.photo:
        yield StoredFile(profile.photo.storage, profile.photo.name, _photo_archive_name(profile))


def profile_erase(user) -> None:
    # The photo's file is deleted by core.personal_data once the erasure is committed (profile_files).
    Profile.objects.filter(user=user).delete()


# --- Councils -------------------------------------------------------------------------------------


def _territory(council) -> dict:
    departments = list(council.departments.select_related("region").order_by("code"))
    return {
        "name": council.name,
        "kind": council.get_kind_display(),
        "authority_name": council.authority_name,
        "departments": [f"{department.name} ({department.code})" for department in departments],
        "regions": sorted({department.region.name for department in departments}),
    }


def council_export(user) -> list[dict]:
    profile = _profile(user)
    if profile is None or profile.council is None:
        return []
    return [_territory(profile.council)]


def council_erase(user) -> None:
    # The link is the profile's (profile_erase); the council belongs to the network.
    return None


def councils_declared_export(user) -> list[dict]:
    councils = Council.objects.filter(declared_by=user).order_by("name")
    return [
        {**_territory(council), "declared_at": _iso(council.created_at), "validated": council.is_validated}
        for council in councils
    ]


def councils_declared_erase(user) -> None:
    # A declared council serves every member who picked it: it stays, declared by the anonymised account.
    return None


# --- Invitations ----------------------------------------------------------------------------------


def _invitations_received(user):
    return Invitation.objects.filter(email__iexact=user.email) | Invitation.objects.filter(accepted_by=user)


def invitations_received_export(user) -> list[dict]:
    return [
        {
            "email": invitation.email,
            "sent_at": _iso(invitation.created_at),
            "expires_at": _iso(invitation.expires_at),
            "accepted_at": _iso(invitation.accepted_at),
        }
        for invitation in _invitations_received(user).order_by("created_at", "pk")
    ]


def invitations_received_erase(user) -> None:
    _invitations_received(user).delete()


def invitations_sent_export(user) -> list[dict]:
    return [
        {
            "email": invitation.email,
            "sent_at": _iso(invitation.created_at),
            "accepted": invitation.accepted_at is not None,
        }
        for invitation in Invitation.objects.filter(invited_by=user).order_by("created_at", "pk")
    ]


def invitations_sent_erase(user) -> None:
    # The invitation belongs to the person invited: it stays valid, without its sender.
    Invitation.objects.filter(invited_by=user).update(invited_by=None)


# --- Two-factor authentication --------------------------------------------------------------------


def authenticators_export(user) -> list[dict]:
    # Never the secret or the recovery codes: only what tells the person which means they set up.
    return [
        {
            "type": str(AUTHENTICATOR_LABELS.get(authenticator.type, authenticator.type)),
            "created_at": _iso(authenticator.created_at),
            "last_used_at": _iso(authenticator.last_used_at),
        }
        for authenticator in Authenticator.objects.filter(user=user).order_by("created_at", "pk")
    ]


def authenticators_erase(user) -> None:
    Authenticator.objects.filter(user=user).delete()


def register() -> None:
    """Declare the members app's kinds of personal data (from `MembersConfig.ready()`)."""
    kinds = [
        PersonalDataKind(
            key="membres-compte",
            label=_("Compte"),
            description=_(
                "Votre compte : adresse e-mail, prénom, nom, rôle, statut (et date de son dernier changement), "
                "dates d'inscription et de dernière connexion, date à laquelle vous avez masqué la liste des premiers "
                "pas. Vos sessions de connexion ne sont pas exportées."
            ),
            source=_("Saisi par vous à l'inscription ; statut et rôle décidés par l'équipe CNCD."),
            purpose=_("Vous identifier et réserver le réseau aux technicien·nes des conseils de développement."),
            legal_basis=CONTRACT,
            retention=lazy(_account_retention, str)(),
            recipients=TEAM,
            models=(User, Session),
            export=account_export,
            erase=account_erase,
            order=10,
            columns=(
                "email",
                "first_name",
                "last_name",
                "role",
                "status",
                "status_changed_at",
                "date_joined",
                "last_login",
                "onboarding_dismissed_at",
            ),
        ),
        PersonalDataKind(
            key="membres-adresses-email",
            label=_("Adresses e-mail"),
            description=_("Vos adresses e-mail, et pour chacune si elle est vérifiée et principale."),
            source=_("Saisies par vous à l'inscription ou sur la page « Adresses e-mail »."),
            purpose=_("Vous connecter et vous écrire."),
            legal_basis=CONTRACT,
            retention=UNTIL_ERASED,
            recipients=TEAM,
            models=(EmailAddress, EmailConfirmation),
            export=email_addresses_export,
            erase=email_addresses_erase,
            order=11,
            columns=("email", "verified", "primary"),
        ),
        PersonalDataKind(
            key="membres-profil",
            label=_("Profil"),
            description=_(
                "Votre profil : chacun de ses champs (identité, poste, présentation) et la visibilité choisie "
                "pour chaque groupe ; la photo est dans le dossier « fichiers »."
            ),
            source=_("Saisi par vous sur la page « Mon profil »."),
            purpose=_("Vous présenter au réseau dans l'annuaire, selon la visibilité que vous choisissez."),
            legal_basis=_("Votre consentement (RGPD, article 6.1.a), retirable en modifiant ou supprimant le profil."),
            retention=UNTIL_ERASED,
            recipients=NETWORK,
            models=(Profile,),
            export=profile_export,
            erase=profile_erase,
            files=profile_files,
            order=20,
            columns=(*PROFILE_FIELDS, "council", "photo", "updated_at"),
        ),
        PersonalDataKind(
            key="membres-conseil",
            label=_("Conseil de développement"),
            description=_(
                "Le conseil de développement indiqué dans votre profil et son territoire (collectivité, "
                "départements, régions)."
            ),
            source=_("Choisi par vous sur la page « Mon profil »."),
            purpose=_("Situer votre poste dans le réseau (annuaire, chiffres par territoire)."),
            legal_basis=_("Votre consentement (RGPD, article 6.1.a), retirable en modifiant ou supprimant le profil."),
            retention=UNTIL_ERASED,
            recipients=NETWORK,
            models=(),
            export=council_export,
            erase=council_erase,
            order=21,
            columns=("name", "kind", "authority_name", "departments", "regions"),
        ),
        PersonalDataKind(
            key="membres-conseils-declares",
            label=_("Conseils déclarés"),
            description=_("Les conseils de développement que vous avez ajoutés à la liste, et s'ils sont validés."),
            source=_("Saisis par vous sur la page « Ajouter un conseil »."),
            purpose=_("Compléter la liste des conseils ; l'équipe CNCD vérifie chaque ajout."),
            legal_basis=_("Intérêt légitime (RGPD, article 6.1.f) : tenir à jour la liste des conseils."),
            retention=_(
                "Le conseil reste dans la liste du réseau ; à la suppression de votre compte, il n'est plus "
                "rattaché à votre nom."
            ),
            recipients=TEAM,
            models=(Council,),
            export=councils_declared_export,
            erase=councils_declared_erase,
            order=22,
            columns=("name", "kind", "authority_name", "departments", "regions", "declared_at", "validated"),
        ),
        PersonalDataKind(
            key="membres-invitations-recues",
            label=_("Invitations reçues"),
            description=_(
                "Les invitations envoyées à votre adresse par l'équipe CNCD : dates d'envoi, d'expiration, d'usage."
            ),
            source=_("Saisies par l'équipe CNCD sur la page « Inviter »."),
            purpose=_("Vous inviter à rejoindre le réseau et valider votre compte dès l'inscription."),
            legal_basis=_("Intérêt légitime (RGPD, article 6.1.f) : faire connaître le réseau aux technicien·nes."),
            retention=_("Tant que votre compte existe ; supprimées avec votre compte."),
            recipients=TEAM,
            models=(Invitation,),
            export=invitations_received_export,
            erase=invitations_received_erase,
            order=30,
            columns=("email", "sent_at", "expires_at", "accepted_at"),
        ),
        PersonalDataKind(
            key="membres-invitations-envoyees",
            label=_("Invitations envoyées"),
            description=_("Les invitations que vous avez envoyées : adresse invitée, date, si elle a servi."),
            source=_("Saisies par vous sur la page « Inviter » (équipe CNCD)."),
            purpose=_("Suivre les invitations au réseau."),
            legal_basis=_("Intérêt légitime (RGPD, article 6.1.f) : faire connaître le réseau aux technicien·nes."),
            retention=_(
                "Tant que l'invitation est utile ; à la suppression de votre compte, elle reste, sans votre nom."
            ),
            recipients=TEAM,
            models=(Invitation,),
            export=invitations_sent_export,
            erase=invitations_sent_erase,
            order=31,
            columns=("email", "sent_at", "accepted"),
        ),
        PersonalDataKind(
            key="membres-double-authentification",
            label=_("Double authentification"),
            description=_(
                "Les moyens de double authentification que vous avez activés : type, date d'activation, "
                "dernier usage. Ni le secret ni les codes de secours ne sont exportés."
            ),
            source=_("Activés par vous sur la page « Double authentification »."),
            purpose=_("Protéger votre compte."),
            legal_basis=_("Obligation de sécurité (RGPD, article 32)."),
            retention=UNTIL_ERASED,
            recipients=_("Personne : le secret est chiffré et ne sert qu'à vérifier vos codes."),
            models=(Authenticator,),
            export=authenticators_export,
            erase=authenticators_erase,
            order=40,
            columns=("type", "created_at", "last_used_at"),
        ),
    ]
    for kind in kinds:
        personal_data_register(kind)
    reference = _("Données de référence publiques (code officiel géographique de l'INSEE), sur personne.")
    personal_data_exempt(Region, reason=reference)
    personal_data_exempt(Department, reason=reference)
