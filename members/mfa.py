"""Two-factor authentication (allauth.mfa): secrets encrypted at rest, and forms tuned for the code field.

allauth keeps TOTP secrets and recovery-code seeds in the database; its default adapter stores them
in clear. Here they are encrypted with Fernet under a key derived from SECRET_KEY. Every key in
SECRET_KEY_FALLBACKS can still decrypt, so that rotating SECRET_KEY (old key moved to the
fallbacks) keeps existing authenticators working; new secrets are encrypted with the current key.
"""

import base64
from functools import lru_cache

from allauth.mfa.adapter import DefaultMFAAdapter
from allauth.mfa.base.forms import AuthenticateForm, ReauthenticateForm
from allauth.mfa.totp.forms import ActivateTOTPForm
from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

# Names the purpose of the derived key, so that it differs from any other key derived from SECRET_KEY.
_KEY_PURPOSE = b"codev_network.members.mfa.secrets"


def _fernet_key(secret_key: str) -> bytes:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_KEY_PURPOSE).derive(secret_key.encode())
    return base64.urlsafe_b64encode(derived)


@lru_cache(maxsize=4)
def _cipher(secret_keys: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(_fernet_key(key)) for key in secret_keys])


def cipher() -> MultiFernet:
    """Encrypts with SECRET_KEY; decrypts with SECRET_KEY or any of SECRET_KEY_FALLBACKS."""
    return _cipher((settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS))


class MFAAdapter(DefaultMFAAdapter):
    """allauth's MFA adapter, with the secrets it stores encrypted."""

    def encrypt(self, text: str) -> str:
        return cipher().encrypt(text.encode()).decode("ascii")

    def decrypt(self, encrypted_text: str) -> str:
        try:
            return cipher().decrypt(encrypted_text.encode("ascii")).decode()
        except InvalidToken:
            raise ImproperlyConfigured(
                "Un secret de double authentification ne peut pas être déchiffré : DJANGO_SECRET_KEY a changé "
                "sans que l'ancienne clé soit gardée dans SECRET_KEY_FALLBACKS."
            ) from None


class _CodeFieldForm:
    """The one-time code field, labelled in the site's words, brings up the digit keyboard on phones."""

    label = _("Code de vérification")
    help_text = _("Le code à 6 chiffres de votre application d'authentification, ou l'un de vos codes de récupération.")
    autofocus = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["code"]
        field.label, field.help_text = self.label, self.help_text
        field.widget.attrs.update({"inputmode": "numeric", "spellcheck": "false"})
        if self.autofocus:
            field.widget.attrs["autofocus"] = True


class MFAAuthenticateForm(_CodeFieldForm, AuthenticateForm):
    # The code is all this page asks for: start there.
    autofocus = True


class MFAReauthenticateForm(_CodeFieldForm, ReauthenticateForm):
    autofocus = True


class MFAActivateTOTPForm(_CodeFieldForm, ActivateTOTPForm):
    # No focus jump: the steps above the field must be read first.
    label = _("Code à 6 chiffres")
    help_text = ""


def audit_staff_authenticator_change(sender, *, request=None, user, authenticator, action: str, **kwargs) -> None:
    """Two-factor changes on CNCD team and administrator accounts go to the audit log."""
    from core.audit import audit_log
    from core.enums import Role

    if user.has_role(Role.CURATOR):
        audit_log(actor=user, action=f"members.mfa.{action}", target=user, data={"type": authenticator.type})


def record_second_factor_on_activation(sender, *, instance, created: bool, **kwargs) -> None:
    """Activating an authenticator app counts as passing the second factor in the session that did it.

    The person typed a valid code of the new app, after their password (allauth asks for it again
    before the activation): exactly what a login with that app proves. Without this record,
    StaffMFARequiredMiddleware would ask a curator for a code again right after the activation.
    Only for the logged-in person's own app, created during their request (allauth's context).
    """
    from allauth.account.internal.flows.login import record_authentication
    from allauth.core import context
    from allauth.mfa.models import Authenticator

    request = context.request
    if not created or instance.type != Authenticator.Type.TOTP or request is None:
        return
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.pk != instance.user_id:
        return
    record_authentication(request, user, "mfa", id=instance.pk, type=instance.type, activated=True)


def connect_signals() -> None:
    from functools import partial

    from allauth.mfa import signals
    from allauth.mfa.models import Authenticator
    from django.db.models.signals import post_save

    post_save.connect(
        record_second_factor_on_activation, sender=Authenticator, dispatch_uid="members.mfa.record_activation"
    )

    for signal, action in (
        (signals.authenticator_added, "added"),
        (signals.authenticator_removed, "removed"),
        (signals.authenticator_reset, "reset"),
    ):
        receiver = partial(audit_staff_authenticator_change, action=action)
        signal.connect(receiver, weak=False, dispatch_uid=f"members.mfa.audit.{action}")
