from django.shortcuts import redirect, render

from codev_network.permissions import pending_allowed


@pending_allowed
def account_pending(request):
    if request.user.is_approved:
        return redirect("home")
    return render(request, "members/account_pending.html")
