"""The toolbox's demo content (toolbox/demo.py), loaded by `seed_demo`: every kind, every status the pages
show, links only to the demo référentiel, files stored, and nothing new on a second run."""

from io import StringIO

import pytest
from django.core.management import call_command

from competences.models import Competence, FrameworkVersion
from missions.models import Activity, Mission
from toolbox import demo
from toolbox.enums import Audience, ResourceKind, ResourceStatus
from toolbox.models import Resource, ResourceComment, ResourceFile, ResourceLink, ResourceUse, UsefulMark

pytestmark = pytest.mark.django_db


def _counts() -> tuple[int, ...]:
    models = (Resource, ResourceLink, ResourceFile, UsefulMark, ResourceUse, ResourceComment)
    return tuple(model.objects.count() for model in models)


def test_the_demo_shares_resources_of_every_kind_linked_to_the_demo_referentiel():
    call_command("seed_demo", stdout=StringIO())

    resources = Resource.objects.all()
    assert resources.count() >= 15
    assert set(resources.values_list("kind", flat=True)) == set(ResourceKind.values)
    statuses = list(resources.values_list("status", flat=True))
    assert statuses.count(ResourceStatus.PUBLISHED) > len(statuses) / 2
    for status in (ResourceStatus.SUBMITTED, ResourceStatus.CHANGES, ResourceStatus.DRAFT):
        assert status in statuses, status
    assert Resource.objects.public().count() >= 3
    draft = Resource.objects.get(status=ResourceStatus.DRAFT)
    assert draft.owner.email == demo.TECHNICIAN
    # Two AI tools and one that is not, each with its "usage responsable" block filled in.
    tools = Resource.objects.filter(kind=ResourceKind.TOOL)
    assert tools.filter(is_ai=True).count() >= 2 and tools.filter(is_ai=False).exists()
    for tool in tools:
        assert all((tool.use_purpose, tool.data_flows, tool.hosting, tool.human_part, tool.cost, tool.vigilance))
    # Field reports tell of demo councils.
    assert not Resource.objects.filter(kind=ResourceKind.REPORT, council__isnull=True).exists()
    # Every link names a code of the demo référentiel's published version.
    version = FrameworkVersion.objects.current()
    codes = (
        set(Mission.objects.filter(version=version).values_list("code", flat=True))
        | set(Activity.objects.filter(version=version).values_list("code", flat=True))
        | set(Competence.objects.filter(version=version).values_list("code", flat=True))
    )
    linked = set(ResourceLink.objects.values_list("code", flat=True))
    assert linked and linked <= codes
    assert not Resource.objects.filter(links__isnull=True).exists()
    # Each template carries its PDF, stored.
    for template in Resource.objects.filter(kind=ResourceKind.TEMPLATE):
        [attached] = template.files.all()
        assert attached.content_type == "application/pdf"
        with attached.file.open("rb") as handle:
            assert handle.read(5) == b"%PDF-"
    # Members took part: marks, uses with feedback, comments; the counters agree.
    assert UsefulMark.objects.exists() and ResourceComment.objects.exists()
    assert ResourceUse.objects.exclude(feedback="").exists()
    for resource in resources:
        assert resource.useful_count == resource.useful_marks.count()
        assert resource.use_count == resource.uses.count()
    assert Resource.objects.filter(audience=Audience.PUBLIC, public_approved=False).count() == 0


def test_a_second_run_creates_nothing():
    call_command("seed_demo", stdout=StringIO())
    before = _counts()

    demo.seed()

    assert _counts() == before
