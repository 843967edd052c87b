"""Released versions never change: their comparison and export files are made once and kept (issue 22);
a draft's are made at each request, so that the CNCD team always sees its latest change."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from competences.enums import FrameworkStatus
from competences.models import Competence
from referentiel import services
from referentiel.formats import FORMATS
from tests.html import main_text
from tests.referentiel.factories import build_version, small_data

pytestmark = pytest.mark.django_db

COMPARE = reverse("referentiel:compare")


def _reads_competences(captured) -> bool:
    return any("competences_competence" in query["sql"] for query in captured.captured_queries)


@pytest.fixture
def released():
    build_version(small_data("v1.0"), status=FrameworkStatus.ARCHIVED)
    data = small_data("v2.0")
    data.competences[0].title = "Compétence 1.1 revue"
    return build_version(data)


def test_the_comparison_of_two_released_versions_is_computed_once(client, released):
    first = main_text(client.get(COMPARE, {"de": "v1.0", "a": "v2.0"}))
    with CaptureQueriesContext(connection) as again:
        second = main_text(client.get(COMPARE, {"de": "v1.0", "a": "v2.0"}))
    assert "1 modification (dont 1 renommage" in second
    assert second == first
    assert not _reads_competences(again)
    # Only the list of versions is read from the database, besides the cache (and the savepoints of its writes).
    data = [q for q in again.captured_queries if "codev_network_cache" not in q["sql"] and "SAVEPOINT" not in q["sql"]]
    assert len(data) == 1


def test_each_language_gets_its_own_kept_comparison(client, released):
    params = {"de": "v1.0", "a": "v2.0"}
    assert "De v1.0 à v2.0" in client.get(COMPARE, params).content.decode()
    client.cookies["django_language"] = "en"
    english = client.get(COMPARE, params).content.decode()
    assert "From v1.0 to v2.0" in english
    assert "De v1.0 à v2.0" not in english
    client.cookies["django_language"] = "fr"
    assert "De v1.0 à v2.0" in client.get(COMPARE, params).content.decode()


def test_a_comparison_with_a_draft_shows_its_latest_change(curator_client, released):
    draft = services.draft_create_from(source=released, label="v3.0", actor=None)
    params = {"de": "v2.0", "a": "v3.0"}
    assert "Aucune différence entre v2.0 et v3.0." in curator_client.get(COMPARE, params).content.decode()
    competence = Competence.objects.get(version=draft, code="C-1-01")
    competence.title = "Intitulé du brouillon"
    competence.save()
    with CaptureQueriesContext(connection) as again:
        content = curator_client.get(COMPARE, params).content.decode()
    assert "Intitulé du brouillon" in content
    assert _reads_competences(again)


@pytest.mark.parametrize("registered", FORMATS, ids=lambda registered: registered.key)
def test_a_released_version_s_file_is_made_once_with_the_same_bytes_and_headers(client, released, registered):
    url = reverse("referentiel:export", args=[released.label, registered.key])
    first = client.get(url)
    with CaptureQueriesContext(connection) as again:
        second = client.get(url)
    assert not _reads_competences(again)
    assert second.status_code == 200
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"] == registered.content_type
    assert second["Content-Disposition"] == f'attachment; filename="{registered.filename(released.label)}"'


def test_an_archived_version_s_case_file_says_so_once_archived(client, curator, released):
    url = reverse("referentiel:export", args=[released.label, "case"])
    assert json.loads(client.get(url).content)["CFDocument"]["adoptionStatus"] == "Adopted"
    draft = services.draft_create_from(source=released, label="v3.0", actor=curator)
    services.framework_publish(draft=draft, summary="Nouvelle version", actor=curator)
    assert json.loads(client.get(url).content)["CFDocument"]["adoptionStatus"] == "Deprecated"


def test_a_draft_s_file_is_made_at_each_download(curator_client, released):
    draft = services.draft_create_from(source=released, label="v3.0", actor=None)
    url = reverse("referentiel:export", args=[draft.label, "csv"])
    assert "Intitulé du brouillon" not in curator_client.get(url).content.decode()
    competence = Competence.objects.get(version=draft, code="C-1-01")
    competence.title = "Intitulé du brouillon"
    competence.save()
    assert "Intitulé du brouillon" in curator_client.get(url).content.decode()
