"""Dates written out in full (core.dates, |long_date and |long_datetime): "1er janvier", no French in English."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from core.dates import long_date, long_datetime

PARIS = ZoneInfo("Europe/Paris")


@pytest.mark.parametrize(
    ("value", "french", "english"),
    [
        (datetime.date(2026, 1, 1), "1er janvier 2026", "1 January 2026"),
        (datetime.date(2026, 3, 2), "2 mars 2026", "2 March 2026"),
        (datetime.date(2026, 3, 11), "11 mars 2026", "11 March 2026"),
        (None, "", ""),
    ],
)
def test_long_date_writes_the_first_of_the_month_as_an_ordinal_in_french(value, french, english):
    with translation.override("fr"):
        assert long_date(value) == french
    with translation.override("en"):
        assert long_date(value) == english


def test_long_datetime_joins_date_and_time_in_the_language_of_the_page():
    # 16:25 UTC is 17:25 in Paris (the site's time zone).
    moment = datetime.datetime(2026, 12, 1, 16, 25, tzinfo=datetime.UTC)
    with translation.override("fr"):
        assert long_datetime(moment) == "1er décembre 2026 à 17:25"
    with translation.override("en"):
        assert long_datetime(moment) == "1 December 2026, 17:25"
        assert "à" not in long_datetime(moment)


def test_the_filters_are_built_into_every_template():
    template = Template("{{ day|long_date }} · {{ moment|long_datetime }}")
    moment = datetime.datetime(2026, 5, 1, 9, 5, tzinfo=PARIS)
    with translation.override("fr"):
        assert template.render(Context({"day": moment.date(), "moment": moment})) == (
            "1er mai 2026 · 1er mai 2026 à 09:05"
        )
