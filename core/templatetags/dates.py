"""Template filters for dates written out in full (core.dates), built into every template (settings TEMPLATES)."""

from django import template

from core import dates

register = template.Library()


@register.filter
def long_date(value):
    """{{ version.published_at|long_date }} → "1er janvier 2026"."""
    return dates.long_date(value)


@register.filter
def long_datetime(value):
    """{{ comment.created_at|long_datetime }} → "1er janvier 2026 à 17:25"."""
    return dates.long_datetime(value)
