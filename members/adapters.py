from allauth.account.adapter import DefaultAccountAdapter
from django.urls import reverse

from members.enums import AccountStatus


class AccountAdapter(DefaultAccountAdapter):
    """New accounts wait for the CNCD team; unapproved people land on the waiting page."""

    def save_user(self, request, user, form, commit=True):
        user.status = AccountStatus.PENDING
        return super().save_user(request, user, form, commit=commit)

    def get_login_redirect_url(self, request):
        if request.user.is_authenticated and not request.user.is_approved:
            return reverse("members:pending")
        return super().get_login_redirect_url(request)
