"""The works area's demo content (showcase/demo.py `_seed_works`): about thirty works across the demo councils,
follow-ups of every kind, themes, référentiel links, a few PDFs, and nothing new on a second run."""

from io import StringIO

import pytest
from django.core.management import call_command

from showcase.enums import FollowUpAnswer, Uptake
from showcase.models import Work, WorkLink

pytestmark = pytest.mark.django_db


def test_the_demo_fills_the_library():
    call_command("seed_demo", stdout=StringIO())
    works = Work.objects.published()
    assert works.count() >= 25
    assert works.values("page").distinct().count() >= 8
    assert set(works.values_list("followup_answer", flat=True)) == set(FollowUpAnswer.values)
    assert {Uptake.FULLY, Uptake.PARTLY, Uptake.NOT} <= set(works.values_list("followup_uptake", flat=True))
    assert works.filter(themes__isnull=False).distinct().count() == works.count()
    assert WorkLink.objects.filter(work__in=works).exists()
    with_pdf = works.exclude(document="")
    assert 3 <= with_pdf.count() <= 5
    for work in with_pdf:
        with work.document.open("rb") as handle:
            assert handle.read(5) == b"%PDF-"
    assert all(work.search_text for work in works)
    before = Work.objects.count()
    call_command("seed_demo", stdout=StringIO())
    assert Work.objects.count() == before
