from django import template
from django.utils.safestring import mark_safe

from fiches.rendering import render_markdown

register = template.Library()


@register.filter
def markdown(text):
    """Markdown → sanitised HTML (the fiche's one renderer, nh3 behind it)."""
    return mark_safe(render_markdown(str(text or "")))  # noqa: S308 - sanitised by render_markdown
