"""referentiel.formats.FORMATS is the one list of file formats: pages, views and reader all follow it.

Every test iterates over the registry, so a format added to it is covered without touching this file;
one that cannot carry the whole référentiel must say below what it loses.
"""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from competences.models import FrameworkVersion
from referentiel.demo import v1_data
from referentiel.formats import FORMATS, format_choices, get_format, read_file
from referentiel.framework import FrameworkData, domain_depths, framework_check, framework_snapshot
from tests.referentiel.factories import build_version, rich_data

# What a format cannot carry, by key and kind of item; every other field of comparable() comes back, and so
# does the version's summary (checked apart: comparable() leaves it out). Moodle's CSV has no place for
# the scale's descriptors, for a competence's kind, transversality, level descriptors and external
# alignments, nor for what any item replaces. It keeps the domain tree of any depth, the related
# competences, the proficient levels, titles past its 100 characters, and orders when they are the
# positions among siblings (1, 2, 3…), as in these frameworks.
LOST = {
    "moodle": {
        "scale": {"descriptor"},
        "domains": {"replaces"},
        "competences": {"kind", "levels", "transversal", "alignments", "replaces"},
        "missions": {"replaces"},
        "activities": {"replaces"},
    },
}


def kept(data: FrameworkData, key: str) -> dict:
    """data.comparable() without the fields that format `key` cannot carry."""
    lost = LOST.get(key, {})
    return {
        kind: [{name: value for name, value in item.items() if name not in lost.get(kind, set())} for item in items]
        for kind, items in data.comparable().items()
    }


FORMAT_PARAMS = [pytest.param(registered, id=registered.key) for registered in FORMATS]


@pytest.mark.parametrize("registered", FORMAT_PARAMS)
@pytest.mark.parametrize("make", [v1_data, rich_data], ids=["demo", "rich"])
def test_each_format_writes_then_reads_back_everything_it_can_carry(registered, make):
    data = make()
    result = read_file(raw=registered.writer(data), file_format=registered.key)
    assert result.problems == []
    assert kept(result.data, registered.key) == kept(data, registered.key)
    assert result.data.summary == data.summary
    assert result.data.comparable() != FrameworkData().comparable()  # something was read at all


def test_the_rich_framework_has_what_the_round_trip_must_carry():
    """rich_data() must keep holding what the test above is about, or that test proves less."""
    data = rich_data()
    depths = domain_depths(data.domains)
    assert max(depths.values()) == 5
    assert any(c.related for c in data.competences) and any(c.alignments for c in data.competences)
    assert {level.proficient for level in data.scale} == {True, False}
    assert data.summary
    assert any(len(item.title) > 100 for item in [*data.domains, *data.competences, *data.activities])
    assert framework_check(data) == []


@pytest.mark.parametrize("registered", FORMAT_PARAMS)
def test_lost_names_only_what_a_format_really_drops(registered):
    """Each field LOST names for a format does differ after the round trip of rich_data(): LOST is exact."""
    data = rich_data()
    result = read_file(raw=registered.writer(data), file_format=registered.key)
    for kind, names in LOST.get(registered.key, {}).items():
        for name in names:
            before = [item[name] for item in data.comparable()[kind]]
            after = [item[name] for item in result.data.comparable()[kind]]
            assert before != after, f"{registered.key} keeps {kind}.{name}: take it out of LOST"


@pytest.mark.django_db
@pytest.mark.parametrize("registered", FORMAT_PARAMS)
def test_each_format_round_trips_the_demo_referentiel_through_the_pages(client, curator, registered):
    version = build_version(v1_data())
    page = client.get(reverse("referentiel:version", args=[version.label])).content.decode()
    url = reverse("referentiel:export", args=[version.label, registered.key])
    assert f'href="{url}"' in page
    assert str(registered.link_label) in page
    download = client.get(url)
    assert download.status_code == 200
    assert download["Content-Type"] == registered.content_type
    assert download["Content-Disposition"] == f'attachment; filename="{registered.filename(version.label)}"'

    client.force_login(curator)
    upload = SimpleUploadedFile(registered.filename(version.label), download.content)
    preview = client.post(
        reverse("referentiel:import"), {"file": upload, "file_format": registered.key, "label": "v2.0"}
    )
    assert preview.context["problems"] == []
    assert "Aperçu : le brouillon v2.0 contiendra" in preview.content.decode()
    client.post(reverse("referentiel:import"), {"confirm": "1"})
    draft = FrameworkVersion.objects.get(label="v2.0")
    assert kept(framework_snapshot(draft), registered.key) == kept(framework_snapshot(version), registered.key)


@pytest.mark.django_db
def test_the_pages_offer_exactly_the_registered_formats(client, curator):
    version = build_version(v1_data())
    page = client.get(reverse("referentiel:version", args=[version.label])).content.decode()
    prefix = re.escape(reverse("referentiel:export", args=[version.label, "KEY"]).removesuffix("KEY/"))
    assert re.findall(rf'href="{prefix}([^/"]+)/"', page) == [registered.key for registered in FORMATS]
    client.force_login(curator)
    form = client.get(reverse("referentiel:import")).content.decode()
    options = re.findall(r'<option value="([^"]*)"', form)
    assert options == [key for key, _label in format_choices()] == [registered.key for registered in FORMATS]


@pytest.mark.django_db
def test_a_key_outside_the_registry_is_refused(client):
    version = build_version(v1_data())
    assert get_format("pdf") is None
    assert client.get(reverse("referentiel:export", args=[version.label, "pdf"])).status_code == 404
    assert [str(problem) for problem in read_file(raw=b"type,code\n", file_format="pdf").problems] == [
        "Format de fichier inconnu."
    ]


def test_the_registry_has_one_entry_per_key_and_file_name():
    keys = [registered.key for registered in FORMATS]
    assert len(set(keys)) == len(keys)
    assert len({registered.filename("v1.0") for registered in FORMATS}) == len(FORMATS)
    assert all(get_format(key).key == key for key in keys)
    assert set(LOST) <= set(keys), "LOST names a format that is no longer registered"
