"""Dates written out in full, the one way the site writes them: "1er janvier 2026 à 17:25".

French writes the first day of a month as an ordinal ("1er"), and joins a date and a time with "à";
other languages get Django's own words for the date and a comma. Naive values and dates are
written as they are; aware datetimes in the current time zone.
"""

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language


def _is_french() -> bool:
    return (get_language() or "fr").split("-")[0] == "fr"


def _local(value):
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def long_date(value) -> str:
    """ "1er janvier 2026", "3 mars 2026" (in English "1 January 2026"); "" for no date."""
    if not value:
        return ""
    value = _local(value)
    if _is_french() and value.day == 1:
        return date_format(value, r"j\e\r F Y")
    return date_format(value, "j F Y")


def long_datetime(value) -> str:
    """ "1er janvier 2026 à 17:25" (in English "1 January 2026, 17:25"); "" for no date."""
    if not value:
        return ""
    value = _local(value)
    time = date_format(value, "H:i")
    if _is_french():
        return f"{long_date(value)} à {time}"
    return f"{long_date(value)}, {time}"
