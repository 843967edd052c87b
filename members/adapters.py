from allauth.account.adapter import DefaultAccountAdapter
from allauth.core import context as allauth_context
from allauth.core.internal.ratelimit import get_ip
from django.contrib.sites.shortcuts import get_current_site
from django.urls import reverse
from django.utils.html import strip_tags

from core.mail import queue_email
from members.enums import AccountStatus
from members.services import invitation_accept


class AccountAdapter(DefaultAccountAdapter):
    """New accounts wait for the CNCD team; unapproved people land on the waiting page.

    Someone who came through a valid invitation link (its token kept in the session) and signs up
    with the invited address is approved at once.

    Every email allauth sends (address verification, password reset, security notices of accounts
    and two-factor authentication) is rendered here and queued like the site's own emails.

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

    def send_mail(self, template_prefix: str, email: str, context: dict) -> None:
        # As allauth's own send_mail, except the last step: queue instead of sending during the request.
        request = allauth_context.request
        message = self.render_mail(
            template_prefix,
            email,
            {"request": request, "email": email, "current_site": get_current_site(request), **context},
        )
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
