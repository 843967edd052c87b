"""What the moderation tools next to a question or an answer offer the person looking (no database query)."""

from django import template
from django.urls import reverse

from exchange.models import Answer, Question

register = template.Library()


@register.simple_tag(takes_context=True)
def moderation_tools(context, post) -> dict:
    """The links of the tools for `post` (a Question or an Answer): "Signaler" for members, the team's actions."""
    user = context.get("user")
    if user is None or not user.is_authenticated or not user.is_approved or post is None:
        return {}
    kind = "question" if isinstance(post, Question) else "answer" if isinstance(post, Answer) else ""
    if not kind:
        return {}
    prefix = f"exchange:moderation_{kind}"
    if user.is_curator:
        tools = {
            "kind": kind,
            "team": True,
            "hide_url": "" if post.is_hidden else reverse(f"{prefix}_hide", args=[post.pk]),
            "restore_url": reverse(f"{prefix}_restore", args=[post.pk]) if post.is_hidden else "",
            "lock_url": "",
            "unlock_url": "",
            "move_url": "",
            "report_url": "",
        }
        if kind == "question":
            tools["lock_url"] = "" if post.is_locked else reverse(f"{prefix}_lock", args=[post.pk])
            tools["unlock_url"] = reverse(f"{prefix}_unlock", args=[post.pk]) if post.is_locked else ""
            tools["move_url"] = reverse(f"{prefix}_move", args=[post.pk])
        return tools
    if post.is_hidden or post.author_id == user.pk:
        return {}
    return {"kind": kind, "team": False, "report_url": reverse(f"{prefix}_report", args=[post.pk])}
