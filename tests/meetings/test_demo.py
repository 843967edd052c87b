"""The meetings' demo content (meetings/demo.py), loaded by `seed_demo`: the founding seminar with its
sub-groups, attendance sheet, minutes and outcomes, and the next meeting open for registration."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from competences.models import Competence, FrameworkVersion
from fiches.models import Suggestion
from meetings import demo
from meetings.enums import AttendanceMode, MeetingFormat, MeetingStatus, OutcomeKind, RegistrationStatus, WorkshopKind
from meetings.models import Material, Meeting, MeetingFollow, Outcome, Registration, Workshop
from members.models import User
from missions.models import Activity, Mission
from tests.html import main_text

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    models = (Meeting, Registration, Workshop, Material, Outcome, MeetingFollow, Suggestion)
    return tuple(model.objects.count() for model in models)


def test_the_demo_holds_the_founding_seminar_and_the_next_meeting_and_a_second_run_creates_nothing():
    call_command("seed_demo", stdout=StringIO())
    now = timezone.now()

    seminar = Meeting.objects.get(title=demo.SEMINAR_TITLE)
    assert seminar.ends_at < now and seminar.format == MeetingFormat.HYBRID
    assert seminar.status == MeetingStatus.PUBLISHED
    # Sixteen technicians present in Paris, others by video in the afternoon.
    present = seminar.registrations.filter(checked_in_at__isnull=False)
    assert present.filter(mode=AttendanceMode.ON_SITE).count() == 16
    assert present.filter(mode=AttendanceMode.REMOTE).exists()
    assert not present.filter(checked_in_by__isnull=True).exists()
    assert not seminar.registrations.exclude(needs="").exists()  # erased the day after
    # World-café tables on the three missions, linked to the demo référentiel, and a debate.
    tables = seminar.workshops.filter(kind=WorkshopKind.TABLE)
    assert tables.count() == 3
    version = FrameworkVersion.objects.current()
    codes = (
        set(Mission.objects.filter(version=version).values_list("code", flat=True))
        | set(Activity.objects.filter(version=version).values_list("code", flat=True))
        | set(Competence.objects.filter(version=version).values_list("code", flat=True))
    )
    assert {table.referentiel_codes[0] for table in tables} == {"M1", "M2", "M3"}
    for workshop in seminar.workshops.all():
        assert workshop.referentiel_codes and set(workshop.referentiel_codes) <= codes, workshop.title
        assert workshop.notes and workshop.notes_updated_by_id and workshop.participants.exists()
        assert workshop.fiche_section is not None
    assert seminar.workshops.filter(kind=WorkshopKind.DEBATE).exists()
    # Minutes published, documents (a link, toolbox resources), outcomes into the fiche and the référentiel.
    assert "Trois missions clés" in seminar.minutes and seminar.minutes_published_at
    assert seminar.materials.exclude(url="").exists()
    assert seminar.materials.filter(resource__isnull=False).count() == 2
    proposal = seminar.outcomes.get(kind=OutcomeKind.FICHE_SUGGESTION)
    assert proposal.suggestion.section.key == "evolution" and proposal.suggestion.status == "open"
    note = seminar.outcomes.get(kind=OutcomeKind.REFERENTIEL_NOTE)
    assert note.handled_at is None and set(note.referentiel_codes) <= codes

    # The next meeting: announced, open, a few places left on site, the video room full with people waiting.
    following = Meeting.objects.get(title=demo.NEXT_TITLE)
    assert following.starts_at > now and following.status == MeetingStatus.PUBLISHED
    assert following.registration_closes_at > now
    confirmed = following.registrations.filter(status=RegistrationStatus.CONFIRMED)
    on_site = confirmed.filter(mode=AttendanceMode.ON_SITE).count()
    assert 0 < following.capacity_on_site - on_site <= 5
    assert confirmed.filter(mode=AttendanceMode.REMOTE).count() == following.capacity_remote
    assert following.registrations.filter(status=RegistrationStatus.WAITING).count() >= 2
    assert not following.registrations.filter(user__email=demo.TECHNICIAN).exists()
    assert following.workshops.count() >= 2

    # The pages read the demo: the public seminar for anyone, the next meeting for the demo technician.
    client = Client()
    assert "Trois missions clés" in main_text(client.get(seminar.get_absolute_url()))
    client.force_login(User.objects.get(email=demo.TECHNICIAN))
    assert demo.NEXT_TITLE in main_text(client.get(following.get_absolute_url()))
    assert demo.NEXT_TITLE in main_text(client.get(reverse("meetings:list")))

    before = _counts()
    demo.seed()
    assert _counts() == before


def test_seed_without_the_other_demo_modules_does_nothing():
    demo.seed()
    assert not Meeting.objects.exists()
