"""The catalogue of the toolbox: who sees what, search, facets and their counts, sorts, pagination, htmx,
and a number of queries that does not grow with the number of resources."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.html import main_text, select, text_of
from tests.members.factories import CouncilFactory, ProfileFactory, UserFactory
from tests.referentiel.factories import build_version, small_data
from tests.toolbox.factories import make_resource
from toolbox import services
from toolbox.enums import Licence, ResourceKind
from toolbox.models import Resource
from toolbox.selectors import PAGE_SIZE, CatalogueParams, catalogue

pytestmark = pytest.mark.django_db

URL = "/boite-a-outils/"


@pytest.fixture
def version(db):
    return build_version(small_data("v1.0"))


def published(curator, *, owner=None, **kwargs):
    return make_resource(owner or UserFactory(), published_by=curator, **kwargs)


def titles(response) -> list[str]:
    return [text_of(link) for link in select(response, "#catalogue-results article h3 a")]


def facet(response, name) -> dict[str, str]:
    """{value: visible label} of a facet of the filter form."""
    found = {}
    fields = f"#catalogue-facets input[name='{name}'], #catalogue-facets select[name='{name}'] option"
    for element in select(response, fields):
        value = element.get("value")
        if value:
            label = select(response, f"label[for='{element.get('id')}']") if element.tag == "input" else [element]
            found[value] = " ".join(text_of(label[0]).split())
    return found


def test_the_url():
    assert reverse("toolbox:catalogue") == URL


# --- Who sees what ------------------------------------------------------------------------------


def test_a_visitor_sees_public_resources_only(client, curator):
    published(curator, title="Ressource ouverte", public=True)
    published(curator, title="Ressource des membres")
    response = client.get(URL)
    assert response.status_code == 200
    assert titles(response) == ["Ressource ouverte"]
    assert "Proposer une ressource" not in main_text(response)


def test_a_pending_account_sees_public_resources_only(client, curator):
    published(curator, title="Ressource ouverte", public=True)
    published(curator, title="Ressource des membres")
    client.force_login(UserFactory(pending=True))
    assert titles(client.get(URL)) == ["Ressource ouverte"]


def test_a_member_sees_every_published_resource_and_never_a_draft(member_client, member, curator):
    published(curator, title="Ressource ouverte", public=True)
    published(curator, title="Ressource des membres")
    make_resource(member, title="Mon brouillon")
    submitted = make_resource(member, title="Ma ressource soumise")
    services.resource_submit(resource_id=submitted.pk, user=member)
    response = member_client.get(URL)
    assert sorted(titles(response)) == ["Ressource des membres", "Ressource ouverte"]
    assert "Proposer une ressource" in main_text(response)


def test_the_team_sees_no_draft_in_the_catalogue(curator_client, curator, member):
    published(curator, title="Ressource publiée")
    make_resource(member, title="Un brouillon")
    assert titles(curator_client.get(URL)) == ["Ressource publiée"]


def test_an_unpublished_resource_leaves_the_catalogue(member_client, curator):
    resource = published(curator, title="Ressource reprise")
    services.resource_request_changes(resource_id=resource.pk, actor=curator, reason="À compléter.")
    assert titles(member_client.get(URL)) == []


def test_the_card(member_client, curator, version):
    resource = published(
        curator,
        kind=ResourceKind.REPORT,
        title="Un forum ouvert",
        summary="Comment nous avons mené un forum ouvert.",
        links=[("mission", "M1", "Mission 1"), ("competence", "C-1-01", "Compétence 1.1")],
        public=True,
        licence=Licence.CC_BY,
    )
    Resource.objects.filter(pk=resource.pk).update(useful_count=3, use_count=2)
    response = member_client.get(URL)
    card = select(response, "#catalogue-results article")[0]
    text = " ".join(text_of(card).split())
    for expected in (
        "Retour d'expérience",
        "Public",
        "Un forum ouvert",
        "Comment nous avons mené un forum ouvert.",
        "CC BY 4.0",
        "3 membres l'ont trouvée utile",
        "utilisée par 2 membres",
        "M1",
        "C-1-01",
    ):
        assert expected in text
    assert select(card, "h3 a")[0].get("href") == f"/boite-a-outils/{resource.pk}/"
    hrefs = [link.get("href") for link in select(card, "a.badge")]
    assert f"{URL}?mission=M1" in hrefs
    assert f"{URL}?competence=C-1-01" in hrefs


def test_the_members_badge(member_client, curator):
    published(curator, title="Réservée")
    card = select(member_client.get(URL), "#catalogue-results article")[0]
    assert "Membres" in text_of(card)


def test_the_header_links_to_the_catalogue(client):
    response = client.get("/")
    assert any(link.get("href") == URL for link in select(response, "nav.main-nav a"))


# --- Facets and filters ---------------------------------------------------------------------------


def test_filter_by_kind_with_counts(member_client, curator):
    for number in range(3):
        published(curator, kind=ResourceKind.METHOD, title=f"Méthode {number}")
    published(curator, kind=ResourceKind.TOOL, title="Un outil")
    response = member_client.get(URL)
    kinds = facet(response, "nature")
    assert kinds == {"methode": "Méthode d'animation (3)", "outil": "Outil numérique (1)"}  # no empty value
    response = member_client.get(URL, {"nature": "outil"})
    assert titles(response) == ["Un outil"]
    # The kind facet still counts the other kinds (it ignores its own filter): one may switch.
    assert facet(response, "nature") == kinds
    assert "1 ressource trouvée" in main_text(response)


def test_each_facet_counts_with_the_other_filters(member_client, curator):
    published(curator, kind=ResourceKind.METHOD, title="Méthode libre", licence=Licence.CC0)
    published(curator, kind=ResourceKind.METHOD, title="Méthode partagée", licence=Licence.CC_BY_SA)
    published(curator, kind=ResourceKind.TOOL, title="Outil partagé", licence=Licence.CC_BY_SA)
    response = member_client.get(URL, {"licence": Licence.CC_BY_SA})
    assert sorted(titles(response)) == ["Méthode partagée", "Outil partagé"]
    assert facet(response, "nature") == {"methode": "Méthode d'animation (1)", "outil": "Outil numérique (1)"}
    assert facet(response, "licence") == {Licence.CC_BY_SA.value: "CC BY-SA 4.0 (2)", Licence.CC0.value: "CC0 1.0 (1)"}
    response = member_client.get(URL, {"licence": Licence.CC_BY_SA, "nature": "outil"})
    assert titles(response) == ["Outil partagé"]
    assert facet(response, "licence") == {Licence.CC_BY_SA.value: "CC BY-SA 4.0 (1)"}


def test_filter_by_mission_follows_activities_and_competences(member_client, curator, version):
    # small_data: M1's activities M1.A1 and M1.A2 mobilise C-1-02, C-1-03 and C-2-01.
    published(curator, title="Liée à la mission", links=[("mission", "M1", "Mission 1")])
    published(curator, title="Liée à une activité", links=[("activite", "M1.A2", "Activité")])
    published(curator, title="Liée à une compétence", links=[("competence", "C-1-02", "Compétence 1.2")])
    published(curator, title="Hors mission", links=[("competence", "C-1-01", "Compétence 1.1")])
    published(curator, title="Sans lien")
    response = member_client.get(URL, {"mission": "M1"})
    assert sorted(titles(response)) == ["Liée à la mission", "Liée à une activité", "Liée à une compétence"]
    missions = facet(response, "mission")
    assert missions["M1"] == "M1 Mission 1 (3)"
    assert missions["M2"] == "M2 Mission 2 (1)"  # M2.A2 mobilises C-1-02 too
    assert facet(response, "competence") == {"C-1-02": "C-1-02 Compétence 1.2 (1)"}
    response = member_client.get(URL, {"competence": "C-1-01"})
    assert titles(response) == ["Hors mission"]
    assert "M1" not in facet(response, "mission")


def test_filter_by_region(member_client, curator):
    breton = ProfileFactory(council=CouncilFactory(departments=["35"])).user
    parisian = ProfileFactory(council=CouncilFactory(departments=["75"])).user
    published(curator, owner=breton, title="De Bretagne")
    published(curator, owner=parisian, title="D'Île-de-France")
    response = member_client.get(URL)
    assert facet(response, "region") == {"53": "Bretagne (1)", "11": "Île-de-France (1)"}
    assert titles(member_client.get(URL, {"region": "53"})) == ["De Bretagne"]


def test_unknown_values_are_ignored(member_client, curator):
    published(curator, title="Une ressource")
    response = member_client.get(URL, {"nature": "inconnue", "licence": "x", "tri": "hasard", "page": "abc"})
    assert response.status_code == 200
    assert titles(response) == ["Une ressource"]


def test_a_chosen_value_without_results_stays_in_the_form(member_client, curator, version):
    published(curator, title="Une ressource")
    response = member_client.get(URL, {"mission": "M2"})
    assert titles(response) == []
    assert "Aucune ressource ne correspond à ces critères." in main_text(response)
    assert [option.get("value") for option in select(response, "select[name='mission'] option[selected]")] == ["M2"]


# --- Search and sorts ------------------------------------------------------------------------------


def test_search(member_client, curator):
    published(curator, title="Débat mouvant", summary="Faire prendre position un groupe.")
    published(curator, title="Forum ouvert", summary="Une méthode pour les grands groupes.")
    response = member_client.get(URL, {"q": "debat"})
    assert titles(response) == ["Débat mouvant"]
    assert select(response, "#catalogue-q")[0].get("value") == "debat"
    assert titles(member_client.get(URL, {"q": "   "})) == ["Forum ouvert", "Débat mouvant"]


def test_search_ranks_title_matches_first_and_sorts_on_demand(member_client, curator):
    in_title = published(curator, title="Porteur de parole", summary="Aller vers les habitants.")
    in_summary = published(curator, title="Micro-trottoir", summary="Une variante du porteur de parole.")
    Resource.objects.filter(pk=in_summary.pk).update(useful_count=5)
    assert titles(member_client.get(URL, {"q": "porteur parole"})) == ["Porteur de parole", "Micro-trottoir"]
    response = member_client.get(URL, {"q": "porteur parole", "tri": "utile"})
    assert titles(response) == ["Micro-trottoir", "Porteur de parole"]
    assert select(response, "#catalogue-sort option[selected]")[0].get("value") == "utile"
    Resource.objects.filter(pk=in_title.pk).update(published_at=in_summary.published_at.replace(year=2020))
    assert titles(member_client.get(URL, {"q": "porteur parole", "tri": "recent"})) == [
        "Micro-trottoir",
        "Porteur de parole",
    ]


def test_without_a_search_the_most_recent_come_first(member_client, curator):
    first = published(curator, title="Ancienne")
    published(curator, title="Récente")
    Resource.objects.filter(pk=first.pk).update(published_at=first.published_at.replace(year=2020))
    response = member_client.get(URL, {"tri": "pertinence"})
    assert titles(response) == ["Récente", "Ancienne"]
    assert select(response, "#catalogue-sort option[selected]")[0].get("value") == "recent"


def test_search_respects_visibility(client, curator):
    published(curator, title="Atelier réservé aux membres")
    assert titles(client.get(URL, {"q": "atelier"})) == []


# --- Pagination and htmx ---------------------------------------------------------------------------


def test_pagination_keeps_the_filters(member_client, curator):
    owner = UserFactory()
    for number in range(PAGE_SIZE + 2):
        published(curator, owner=owner, kind=ResourceKind.TOOL, title=f"Outil {number:02d}")
    published(curator, owner=owner, title="Une méthode")
    response = member_client.get(URL, {"nature": "outil"})
    assert len(titles(response)) == PAGE_SIZE
    assert "22 ressources trouvées" in main_text(response)
    next_link = [link.get("href") for link in select(response, ".pagination a")]
    assert next_link == ["?nature=outil&page=2"]
    response = member_client.get(URL, {"nature": "outil", "page": "2"})
    assert titles(response) == ["Outil 01", "Outil 00"]


def test_htmx_gets_the_results_fragment_with_the_facets_out_of_band(member_client, curator):
    published(curator, kind=ResourceKind.TOOL, title="Un outil")
    response = member_client.get(URL, {"nature": "outil"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1" not in content
    assert 'id="catalogue-results"' in content
    assert 'id="catalogue-facets" hx-swap-oob="true"' in content
    assert 'id="catalogue-status" hx-swap-oob="innerHTML"' in content
    assert "HX-Request" in response["Vary"]
    # The full page, without htmx, works on its own: a GET form with a submit button.
    page = member_client.get(URL)
    form = select(page, "form[role='search']")[0]
    assert form.get("method") == "get"
    assert select(form, "button[type='submit']")


def test_the_selector_takes_the_query_dict(member, curator):
    published(curator, title="Une ressource", kind=ResourceKind.TOOL)
    result = catalogue(user=member, params={"nature": "outil", "q": ""})
    assert result.params == CatalogueParams(nature="outil")
    assert result.total == 1
    assert result.query == "nature=outil"


# --- Queries -----------------------------------------------------------------------------------------


def _queries(user, params: dict, *, expect: int) -> int:
    client = Client()
    if user is not None:
        client.force_login(user)
    client.get(URL, params)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL, params)
    assert response.status_code == 200
    assert len(titles(response)) == expect
    return len(queries)


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "atelier"},
        {"nature": "methode", "licence": Licence.CC_BY_SA, "mission": "M1", "tri": "utile"},
        {"q": "atelier", "competence": "C-1-02", "region": "53", "page": "1"},
    ],
    ids=["plain", "search", "filters", "search-and-filters"],
)
@pytest.mark.parametrize("role", ["anonymous", "member"])
def test_the_number_of_queries_does_not_grow_with_the_resources(curator, version, params, role):
    viewer = None if role == "anonymous" else UserFactory()
    owner = ProfileFactory(council=CouncilFactory(departments=["35"])).user
    links = [("mission", "M1", "Mission 1"), ("competence", "C-1-02", "Compétence 1.2"), ("activite", "M1.A1", "A")]

    def add(count):
        for number in range(count):
            published(curator, owner=owner, title=f"Atelier {number}", links=links, public=True)

    add(3)
    few = _queries(viewer, params, expect=3)
    add(22)
    many = _queries(viewer, params, expect=PAGE_SIZE)
    assert few == many
