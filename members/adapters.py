from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from members.enums import AccountStatus
from members.services import invitation_accept


class AccountAdapter(DefaultAccountAdapter):
    """New accounts wait for the CNCD team; unapproved people land on the waiting page.

    Someone who came through a valid invitation link (its token kept in the session) and signs up
    with the invited address is approved at once.
    """

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
