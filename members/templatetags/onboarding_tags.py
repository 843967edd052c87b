"""`{% onboarding_checklist %}`: the newcomer's checklist on any page, for the member viewing it."""

from django import template

from members.onboarding import onboarding_steps

register = template.Library()


@register.inclusion_tag("members/includes/onboarding.html", takes_context=True)
def onboarding_checklist(context):
    """Render templates/members/includes/onboarding.html with `onboarding` for the request's user."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"onboarding": onboarding_steps(user), "request": request, "csrf_token": context.get("csrf_token")}
