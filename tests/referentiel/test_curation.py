import pytest
from django.urls import reverse

from competences.enums import FrameworkStatus
from competences.models import Competence, FrameworkVersion
from core.models import AuditEntry
from missions.models import Activity, Mission
from tests.referentiel.factories import build_version, small_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    return build_version(small_data("v1.0"))


@pytest.fixture
def draft(published):
    return build_version(small_data("v2.0"), status=FrameworkStatus.DRAFT)


# Who may open each curation page (GET) is in tests/core/test_authorization_matrix.py.


def test_a_member_s_curation_action_is_refused_and_changes_nothing(member_client, draft):
    order = list(Mission.objects.of(draft).values_list("code", flat=True))
    response = member_client.post(
        reverse("referentiel:item_move", args=[draft.label, "missions", "M1"]), {"direction": "down"}
    )
    assert response.status_code == 403
    assert list(Mission.objects.of(draft).values_list("code", flat=True)) == order


def test_curator_creates_a_draft_copy(curator_client, published):
    response = curator_client.post(reverse("referentiel:manage"), {"label": "mauvais"})
    assert "Un libellé de version commence par « v »" in response.content.decode()
    response = curator_client.post(reverse("referentiel:manage"), {"label": "v2.0"}, follow=True)
    assert "Brouillon v2.0 créé" in response.content.decode()
    draft = FrameworkVersion.objects.get(label="v2.0")
    assert draft.status == FrameworkStatus.DRAFT
    assert Competence.objects.of(draft).count() == Competence.objects.of(published).count()


def test_adding_a_competence_with_levels_and_duplicate_code(curator_client, draft):
    url = reverse("referentiel:item_add", args=[draft.label, "competences"])
    domain = draft.domain_set.get(code="D-1")
    payload = {
        "code": "C-1-50",
        "domain": domain.pk,
        "title": "Animer un débat mouvant",
        "description": "Technique d'animation",
        "kind": "savoir-faire",
        "replaces": "",
        "level_3": "Anime seul·e un débat mouvant",
    }
    response = curator_client.post(url, payload)
    assert response.status_code == 302
    competence = Competence.objects.get(version=draft, code="C-1-50")
    assert competence.levels.get().descriptor == "Anime seul·e un débat mouvant"
    assert AuditEntry.objects.filter(action="competences.competence.created").exists()

    payload["code"] = "C-1-01"
    response = curator_client.post(url, payload)
    content = response.content.decode()
    assert "Ce code est déjà utilisé dans cette version." in content
    assert "Animer un débat mouvant" in content  # what was typed is kept


def test_editing_an_activity_changes_its_links(curator_client, draft):
    activity = Activity.objects.get(version=draft, code="M1.A1")
    url = reverse("referentiel:item_edit", args=[draft.label, "activites", "M1.A1"])
    competence = Competence.objects.get(version=draft, code="C-2-03")
    response = curator_client.post(
        url,
        {
            "code": "M1.A1",
            "mission": activity.mission_id,
            "title": "Préparer les séances",
            "description": "",
            "competences": [competence.pk],
            "replaces": "",
            "lock_version": activity.lock_version,
        },
    )
    assert response.status_code == 302
    activity.refresh_from_db()
    assert activity.title == "Préparer les séances"
    assert list(activity.competences.values_list("code", flat=True)) == ["C-2-03"]


def test_move_with_htmx_returns_the_list_and_without_js_redirects(curator_client, draft):
    url = reverse("referentiel:item_move", args=[draft.label, "activites", "M1.A2"])
    response = curator_client.post(url, {"direction": "up"}, headers={"HX-Request": "true"})
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<div id="mission-list">')
    assert content.index("M1.A2") < content.index("M1.A1")
    # M1.A2 is now first: its "up" button is disabled, so the focus goes to its "down" button.
    assert 'value="down" autofocus>' in content
    assert content.count("autofocus") == 1
    assert "HX-Request" in response["Vary"]
    response = curator_client.post(url, {"direction": "down"})
    assert response.status_code == 302
    assert "HX-Request" in response["Vary"]
    assert response["Location"].endswith("#item-M1.A2")
    codes = list(Activity.objects.of(draft).filter(mission__code="M1").order_by("order").values_list("code", flat=True))
    assert codes == ["M1.A1", "M1.A2"]


def test_delete_refuses_non_empty_mission(curator_client, draft):
    url = reverse("referentiel:item_delete", args=[draft.label, "missions", "M1"])
    response = curator_client.post(url)
    assert "contient encore des activités" in response.content.decode()
    response = curator_client.post(reverse("referentiel:item_delete", args=[draft.label, "activites", "M1.A1"]))
    assert response.status_code == 302
    assert not Activity.objects.filter(version=draft, code="M1.A1").exists()


def test_draft_changes_are_invisible_until_published(client, curator_client, draft):
    competence = Competence.objects.get(version=draft, code="C-1-01")
    competence.title = "Intitulé encore secret"
    competence.save()
    client.logout()
    assert (
        "Intitulé encore secret"
        not in client.get(reverse("referentiel:version_competences", args=["v1.0"])).content.decode()
    )
    assert "Intitulé encore secret" not in client.get(reverse("referentiel:home")).content.decode()


def test_publish_screen_shows_diff_and_publishes(curator_client, draft):
    competence = Competence.objects.get(version=draft, code="C-1-01")
    competence.title = "Compétence renommée"
    competence.save()
    url = reverse("referentiel:draft_publish", args=[draft.label])
    content = curator_client.get(url).content.decode()
    assert "Changements par rapport à la version en vigueur (v1.0)" in content
    assert "Renommé" in content and "renommée" in content
    token = FrameworkVersion.objects.get(pk=draft.pk).lock_version
    response = curator_client.post(url, {"summary": "", "confirm": "on", "lock_version": token})
    assert "Ce champ est obligatoire." in response.content.decode()
    response = curator_client.post(
        url, {"summary": "Une compétence renommée", "confirm": "on", "lock_version": token}, follow=True
    )
    assert "La version v2.0 est publiée." in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == FrameworkStatus.PUBLISHED
    assert FrameworkVersion.objects.get(label="v1.0").status == FrameworkStatus.ARCHIVED
    assert curator_client.get(url).status_code == 404  # no longer a draft
    assert (
        "Compétence renommée"
        in curator_client.get(reverse("referentiel:version_competences", args=["v2.0"])).content.decode()
    )


def test_delete_draft(curator_client, draft):
    response = curator_client.post(reverse("referentiel:draft_delete", args=[draft.label]), follow=True)
    assert "Le brouillon v2.0 a été supprimé." in response.content.decode()
    assert not FrameworkVersion.objects.filter(label="v2.0").exists()


def test_scale_is_data_driven_levels_can_be_added_and_removed(curator_client, draft):
    url = reverse("referentiel:scale_add", args=[draft.label])
    response = curator_client.post(url, {"label": "Excellence", "descriptor": "Innove"}, follow=True)
    assert "Le niveau 5 a été ajouté à l&#x27;échelle." in response.content.decode()
    assert draft.scalelevel_set.get(value=5).label == "Excellence"
    response = curator_client.post(reverse("referentiel:scale_remove", args=[draft.label, 3]), follow=True)
    assert "Seul le niveau le plus élevé peut être retiré" in response.content.decode()
    response = curator_client.post(reverse("referentiel:scale_remove", args=[draft.label, 5]), follow=True)
    assert "Le niveau 5 a été retiré de l&#x27;échelle." in response.content.decode()
    # Level 2 is described by C-1-01: once it is the top level, it cannot go.
    for value in (4, 3):
        curator_client.post(reverse("referentiel:scale_remove", args=[draft.label, value]))
    response = curator_client.post(reverse("referentiel:scale_remove", args=[draft.label, 2]), follow=True)
    assert "Des compétences décrivent encore ce niveau" in response.content.decode()
    assert list(draft.scalelevel_set.values_list("value", flat=True)) == [1, 2]


def test_draft_edit_query_count_does_not_grow_with_items(curator_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    build_version(small_data("v1.0", missions=1, activities=1, domains=1, competences=1), status=FrameworkStatus.DRAFT)
    curator_client.get(reverse("referentiel:draft_edit", args=["v1.0"]))  # the layout keeps its header counts
    with CaptureQueriesContext(connection) as few:
        assert curator_client.get(reverse("referentiel:draft_edit", args=["v1.0"])).status_code == 200
    FrameworkVersion.objects.filter(label="v1.0").delete()
    build_version(small_data("v2.0", missions=4, activities=6, domains=4, competences=8), status=FrameworkStatus.DRAFT)
    with CaptureQueriesContext(connection) as many:
        assert curator_client.get(reverse("referentiel:draft_edit", args=["v2.0"])).status_code == 200
    # The cache's own queries are not the page's.
    assert len(_page_queries(many)) == len(_page_queries(few))


def _page_queries(captured) -> list:
    """The queries of a request but the cache's own (reads, writes and the savepoints around them)."""
    return [
        query
        for query in captured.captured_queries
        if "codev_network_cache" not in query["sql"] and "SAVEPOINT" not in query["sql"]
    ]
