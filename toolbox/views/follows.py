"""Follows: a member follows a kind of resource or a référentiel item, and gets its new resources notified."""

from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.htmx import vary_on_htmx, wants_fragment
from toolbox import services
from toolbox.enums import ResourceKind
from toolbox.follows import follow_button, follows_of, item_exists, item_kind_of

CODE_LENGTH = 40
BUTTON = "toolbox/includes/follow_button.html"


def _back(request) -> str:
    """Where to go after the toggle: the page the button was on (this site only), else the catalogue."""
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure()):
        return back
    return reverse("toolbox:catalogue")


@require_POST
def follow(request):
    """Follow a kind (`nature`) or a référentiel item (`code`), or stop: the button toggles."""
    nature = request.POST.get("nature", "").strip()[:16]
    code = request.POST.get("code", "").strip()[:CODE_LENGTH]
    back = _back(request)
    try:
        if code and not item_exists(code):
            raise services.ToolboxError(_("Cet élément du référentiel n'existe pas."))
        following = services.follow_toggle(user=request.user, kind=nature, code=code)
    except services.ToolboxError as error:
        if wants_fragment(request):
            return vary_on_htmx(HttpResponseBadRequest(" ".join(error.messages)))
        for message in error.messages:
            messages.error(request, message)
        return vary_on_htmx(redirect(back))
    button = follow_button(
        code=code, nature=nature, item_kind=item_kind_of(code) if code else "", following=following, next_url=back
    )
    if wants_fragment(request):
        return vary_on_htmx(render(request, BUTTON, {"block_context": button}))
    if following:
        messages.success(request, _("Vous suivez %(target)s.") % {"target": button["target"]})
    else:
        messages.success(request, _("Vous ne suivez plus %(target)s.") % {"target": button["target"]})
    return vary_on_htmx(redirect(back))


def follows(request):
    """What the member follows, each with its button, and a button for each kind of resource."""
    kinds, items = follows_of(request.user)
    here = request.get_full_path()
    context = {
        "kinds": [
            (label, follow_button(nature=value, following=value in kinds, next_url=here))
            for value, label in ResourceKind.choices
        ],
        "items": [
            (item, follow_button(code=item.code, item_kind=item.kind, following=True, next_url=here)) for item in items
        ],
    }
    return render(request, "toolbox/follows.html", context)
