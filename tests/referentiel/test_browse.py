import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from competences.enums import FrameworkStatus
from tests.referentiel.factories import build_version, small_data

pytestmark = pytest.mark.django_db


def test_referentiel_home_shows_latest_published_version_to_anonymous(client):
    build_version(small_data("v1.0"), status=FrameworkStatus.ARCHIVED)
    data = small_data("v2.0")
    data.missions[0].title = "Animer les travaux du CoDev"
    build_version(data)
    response = client.get(reverse("referentiel:home"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "version v2.0" in content
    assert "Animer les travaux du CoDev" in content
    assert reverse("referentiel:competence", args=["v2.0", "C-2-01"]) in content


def test_older_versions_stay_readable_with_a_notice(client):
    build_version(small_data("v1.0"), status=FrameworkStatus.ARCHIVED)
    build_version(small_data("v2.0"))
    response = client.get(reverse("referentiel:version", args=["v1.0"]))
    assert response.status_code == 200
    assert "Cette version n'est plus en vigueur" in response.content.decode()


def test_drafts_are_hidden_from_public_and_members_but_shown_to_curators(client, member, curator):
    build_version(small_data("v1.0"))
    build_version(small_data("v2.0"), status=FrameworkStatus.DRAFT)
    url = reverse("referentiel:version", args=["v2.0"])
    assert client.get(url).status_code == 404
    assert client.get(reverse("referentiel:competence", args=["v2.0", "C-1-01"])).status_code == 404
    client.force_login(member)
    assert client.get(url).status_code == 404
    assert "version v1.0" in client.get(reverse("referentiel:home")).content.decode()
    client.force_login(curator)
    response = client.get(url)
    assert response.status_code == 200
    assert "Brouillon en préparation" in response.content.decode()


def test_item_permalinks(client):
    build_version()
    competence = client.get(reverse("referentiel:competence", args=["v1.0", "C-1-01"]))
    assert competence.status_code == 200
    content = competence.content.decode()
    assert "Compétence 1.1" in content
    assert "Applique la chose 1.1" in content  # specific level descriptor
    assert "Expertise" in content
    mobilised = client.get(reverse("referentiel:competence", args=["v1.0", "C-2-01"])).content.decode()
    assert "Réaliser l&#x27;activité 1.1" in mobilised
    assert client.get(reverse("referentiel:mission", args=["v1.0", "M1"])).status_code == 200
    assert client.get(reverse("referentiel:activity", args=["v1.0", "M1.A1"])).status_code == 200
    assert client.get(reverse("referentiel:domain", args=["v1.0", "D-1"])).status_code == 200
    assert client.get(reverse("referentiel:competence", args=["v1.0", "C-404"])).status_code == 404


def test_item_page_follows_the_item_across_versions(client):
    build_version(small_data("v1.0"), status=FrameworkStatus.ARCHIVED)
    data = small_data("v2.0")
    data.competences[1].code = "C-1-99"
    data.competences[1].replaces = "C-1-02"
    for activity in data.activities:
        activity.competences = sorted(code.replace("C-1-02", "C-1-99") for code in activity.competences)
    build_version(data)
    content = client.get(reverse("referentiel:competence", args=["v2.0", "C-1-99"])).content.decode()
    assert "Remplace l'élément de code C-1-02" in content
    assert reverse("referentiel:competence", args=["v1.0", "C-1-02"]) in content


def test_search_finds_by_code_and_text_and_serves_htmx_partial(client):
    build_version()
    response = client.get(reverse("referentiel:search"), {"q": "chose 2.3"})
    content = response.content.decode()
    assert "1 résultat pour « chose 2.3 »" in content
    assert "C-2-03" in content
    response = client.get(reverse("referentiel:search"), {"q": "M2.A1"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert "M2.A1" in content and "<html" not in content


def test_changelog_lists_published_versions_with_summary(client):
    build_version(small_data("v1.0"), status=FrameworkStatus.ARCHIVED)
    data = small_data("v2.0")
    data.summary = "Ajout des compétences numériques"
    build_version(data)
    build_version(small_data("v3.0"), status=FrameworkStatus.DRAFT)
    content = client.get(reverse("referentiel:changelog")).content.decode()
    assert "Version v1.0" in content and "Version v2.0" in content
    assert "Version v3.0" not in content
    assert "Voir les changements depuis la v1.0" in content


@pytest.mark.parametrize("url_name", ["referentiel:version", "referentiel:version_competences"])
def test_browse_query_count_does_not_grow_with_items(client, url_name):
    small = build_version(
        small_data("v1.0", missions=1, activities=1, domains=1, competences=1), status=FrameworkStatus.ARCHIVED
    )
    build_version(small_data("v2.0", missions=4, activities=6, domains=4, competences=8))
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(url_name, args=[small.label])).status_code == 200
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse(url_name, args=["v2.0"])).status_code == 200
    assert len(_data_queries(many)) == len(_data_queries(few))
    # The competences page also reads each competence's external links (one prefetch).
    assert len(_data_queries(many)) <= 11


def _data_queries(captured):
    # The database cache backend's own queries are not the page's.
    return [q for q in captured.captured_queries if "codev_network_cache" not in q["sql"]]


@pytest.mark.parametrize(
    ("url_name", "expected"), [("referentiel:version", "M2.A3"), ("referentiel:version_competences", "C-2-04")]
)
def test_released_versions_are_served_from_the_cache_and_drafts_never(curator_client, url_name, expected):
    released = build_version(small_data("v1.0", missions=2, activities=3, domains=2, competences=4))
    draft = build_version(small_data("v2.0"), status=FrameworkStatus.DRAFT)
    url = reverse(url_name, args=[released.label])
    curator_client.get(url)
    with CaptureQueriesContext(connection) as again:
        second = curator_client.get(url).content.decode()
    assert expected in second
    assert not any("competences_competence" in q["sql"] for q in again.captured_queries)

    draft_url = reverse(url_name, args=[draft.label])
    curator_client.get(draft_url)
    with CaptureQueriesContext(connection) as draft_again:
        curator_client.get(draft_url)
    assert any("competences_competence" in q["sql"] for q in draft_again.captured_queries)


def test_compare_page_shows_word_level_changes(client, curator):
    build_version(small_data("v1.0"), status=FrameworkStatus.ARCHIVED)
    data = small_data("v2.0")
    data.competences[0].title = "Compétence 1.1 revue"
    build_version(data)
    build_version(small_data("v3.0"), status=FrameworkStatus.DRAFT)
    url = reverse("referentiel:compare")
    content = client.get(url, {"de": "v1.0", "a": "v2.0"}).content.decode()
    assert "De v1.0 à v2.0" in content
    assert '<ins><span class="visually-hidden">[ajouté :] </span> revue</ins>' in content
    assert "1 modification (dont 1 renommage" in content
    assert (
        "Choisissez deux versions existantes du référentiel."
        in client.get(url, {"de": "v1.0", "a": "v3.0"}).content.decode()
    )
    client.force_login(curator)
    assert "De v1.0 à v3.0" in client.get(url, {"de": "v1.0", "a": "v3.0"}).content.decode()
    assert "De v1.0 à v2.0" in client.get(url).content.decode()  # defaults: previous → current
