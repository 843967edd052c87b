from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.internal.ratelimit import get_ip
from django.contrib.sites.shortcuts import get_current_site
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from core.mail import on_site, queue_email, site_url
from members.enums import AccountStatus
from members.models import User
from members.services import invitation_accept


class AccountAdapter(DefaultAccountAdapter):
    """New accounts wait for the CNCD team; unapproved people land on the waiting page.

    Someone who came through a valid invitation link (its token kept in the session) and signs up
    with the invited address is approved at once.

    Every email allauth sends (address verification, password reset, security notices of accounts
    and two-factor authentication) is rendered here and queued like the site's own emails. The
    project's templates (templates/account/email/, templates/mfa/email/: French, HTML with a plain-text
    part) greet the person by name (`greeting_name`, User.display_name) and every link in them is on
    settings.SITE_URL (`site_url` in the context; allauth's `*_url` values moved onto it), never on
    the host the request used.

    Failed logins are counted per network address and account together, never per account alone
    (see `_get_login_attempts_cache_key`).
    """

    def _get_login_attempts_cache_key(self, request, **credentials) -> str:
        # allauth's "login_failed" limit per "key" counts failures per account, from anywhere: five
        # wrong passwords from an attacker's machine would lock the real person out too. Keyed by
        # address *and* account, the attacker only locks themselves out; the per-address limit
        # (ACCOUNT_RATE_LIMITS) still bounds how many accounts one address may try. IPv6 addresses
        # count per /64 network, as allauth's per-address limits do.
        return f"{get_ip(request)}:{super()._get_login_attempts_cache_key(request, **credentials)}"

    def get_email_confirmation_url(self, request, emailconfirmation) -> str:
        return on_site(super().get_email_confirmation_url(request, emailconfirmation))

    def get_reset_password_from_key_url(self, key: str) -> str:
        return on_site(super().get_reset_password_from_key_url(key))

    def send_notification_mail(self, template_prefix, user, context=None, email=None) -> None:
        # allauth's security notices do not name the account: the templates greet the person with it.
        super().send_notification_mail(template_prefix, user, {"user": user, **(context or {})}, email)

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # As allauth's own send_mail, except the last step: queue instead of sending during the request.
        request = allauth_context.request
        context = {
            "request": request,
            "email": email,
            # Security notices are sent once the transaction commits, outside the request (allauth's on_commit).
            "current_site": get_current_site(request) if request is not None else None,
            **context,
            **self._site_context(email, context),
        }
        message = self.render_mail(template_prefix, email, context)
        html_body = next(
            (content for content, mimetype in getattr(message, "alternatives", []) if mimetype == "text/html"), ""
        )
        body = message.body
        if message.content_subtype == "html":  # an HTML-only template
            html_body, body = body, strip_tags(body)
        queue_email(
            subject=message.subject,
            body=body,
            to=message.to,
            from_email=message.from_email,
            html_body=html_body,
            reply_to=message.reply_to,
            headers=message.extra_headers,
        )

    @staticmethod
    def _site_context(email: str, context: dict) -> dict:
        """What the project's email templates add to allauth's context: the name, the site's links."""
        user = context.get("user")
        if not isinstance(user, User):
            # "Someone tried to sign up with your address": the address's owner is the one greeted.
            user = User.objects.filter(email__iexact=email, erased_at__isnull=True).first()
        urls = {
            key: on_site(value) for key, value in context.items() if key.endswith("_url") and isinstance(value, str)
        }
        return {
            "user": user,
            "greeting_name": user.display_name if user is not None else "",
            "site_url": site_url("/"),
            "site_name": _("Réseau CoDev"),
            "password_reset_url": site_url(reverse("account_reset_password")),
            "login_url": site_url(reverse("account_login")),
            **urls,
        }

    def save_user(self, request, user, form, commit=True):
        user.status = AccountStatus.PENDING
        user = super().save_user(request, user, form, commit=commit)
        if request is None:
            return user
        stashed = request.session.get("account_verified_email")
        if stashed and stashed.lower() != user.email.lower():
            # The invitation vouches for the invited address only: another address must be verified
            # by email as usual (allauth would otherwise attach the invited address to this account).
            request.session["account_verified_email"] = None
        token = request.session.pop("invitation_token", None)
        if commit and token:
            invitation_accept(token=token, user=user)
        return user

    def get_signup_redirect_url(self, request):
        # Confirming the email ends the sign-up: land on the waiting page (it sends approved accounts home).
        return reverse("members:pending")

    def get_login_redirect_url(self, request):
        if request.user.is_authenticated and not request.user.is_approved:
            return reverse("members:pending")
        return super().get_login_redirect_url(request)
