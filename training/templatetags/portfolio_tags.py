"""Filters of the portfolio's templates (page preview and PDF), whose content holds ISO dates."""

from datetime import date

from django import template

from core import dates

register = template.Library()


@register.filter
def iso_date(value: str) -> str:
    """ "2026-03-12" → "12 mars 2026"; anything else is shown as it is."""
    try:
        return dates.long_date(date.fromisoformat(value))
    except (TypeError, ValueError):
        return value
