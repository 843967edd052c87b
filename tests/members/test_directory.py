import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.enums import EmploymentStatus, TerritoryKind, Visibility
from members.models import Department, Region
from tests.members.factories import CouncilFactory, ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db

URL = "/membres/annuaire/"


@pytest.fixture
def network():
    rennes = CouncilFactory(
        name="Conseil de développement de Rennes Métropole", kind=TerritoryKind.METROPOLE, departments=["35"]
    )
    lozere = CouncilFactory(
        name="Conseil de développement du PETR Sud Lozère", kind=TerritoryKind.PETR, departments=["48"]
    )
    return {
        "alice": ProfileFactory(
            display_name="Alice Bréhat",
            council=rennes,
            employment_status=EmploymentStatus.TITULAIRE,
            time_share=100,
        ),
        "bruno": ProfileFactory(
            display_name="Bruno Causse",
            council=lozere,
            employment_status=EmploymentStatus.CONTRACTUEL,
            time_share=20,
        ),
        "chloe": ProfileFactory(
            display_name="Chloé Secret",
            council=lozere,
            employment_status=EmploymentStatus.CONTRACTUEL,
            time_share=20,
            post_visibility=Visibility.TEAM,
        ),
    }


def names(response):
    page = response.content.decode()
    return {name for name in ("Alice Bréhat", "Bruno Causse", "Chloé Secret") if name in page}


def test_members_see_every_approved_member(member_client, network):
    ProfileFactory(display_name="Personne En Attente", user=UserFactory(pending=True))
    response = member_client.get(URL)
    page = response.content.decode()
    assert "<h1" in page and "Annuaire des technicien·nes" in page
    assert names(response) == {"Alice Bréhat", "Bruno Causse", "Chloé Secret"}
    assert "Personne En Attente" not in page
    assert "3 technicien·nes trouvé·es" in page
    assert 'hx-trigger="input changed delay:300ms, change"' in page
    assert 'hx-push-url="true"' in page


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"q": "bréhat"}, {"Alice Bréhat"}),
        ({"q": "Rennes"}, {"Alice Bréhat"}),
        ({"q": "Lozère"}, {"Bruno Causse", "Chloé Secret"}),
        ({"q": "Occitanie"}, {"Bruno Causse", "Chloé Secret"}),
        ({"q": "Personne"}, set()),
        ({"q": "BREHAT"}, {"Alice Bréhat"}),
        ({"q": "lozere"}, {"Bruno Causse", "Chloé Secret"}),
        ({"q": "sud lozère"}, {"Bruno Causse", "Chloé Secret"}),
        ({"q": "48"}, {"Bruno Causse", "Chloé Secret"}),
        ({"q": "ile-de-france"}, set()),
    ],
)
def test_search_by_name_council_or_territory(member_client, network, params, expected):
    assert names(member_client.get(URL, params)) == expected


def test_filters_by_region_departement_and_kind(member_client, network):
    brittany = Region.objects.get(code="53")
    assert names(member_client.get(URL, {"region": brittany.pk})) == {"Alice Bréhat"}
    lozere = Department.objects.get(code="48")
    assert names(member_client.get(URL, {"departement": lozere.pk})) == {"Bruno Causse", "Chloé Secret"}
    assert names(member_client.get(URL, {"type": TerritoryKind.METROPOLE})) == {"Alice Bréhat"}


def test_filters_on_post_facts_skip_members_who_hid_them(client, member, curator, network):
    # Chloé shows her post facts to the CNCD team only: a member filtering on them must not find her.
    params = {"statut": EmploymentStatus.CONTRACTUEL}
    client.force_login(member)
    assert names(client.get(URL, params)) == {"Bruno Causse"}
    assert names(client.get(URL, {"temps": "0-25"})) == {"Bruno Causse"}
    assert names(client.get(URL, {"temps": "100"})) == {"Alice Bréhat"}
    client.force_login(curator)
    assert names(client.get(URL, params)) == {"Bruno Causse", "Chloé Secret"}


def test_htmx_requests_get_only_the_results(member_client, network):
    response = member_client.get(URL, {"q": "Alice"}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert '<section id="directory-results"' in page
    assert '<p id="directory-status" hx-swap-oob="innerHTML">1 technicien·ne trouvé·e</p>' in page
    assert "<html" not in page
    assert "Alice Bréhat" in page
    assert "HX-Request" in response["Vary"]


def test_htmx_history_restoration_gets_the_whole_page(member_client, network):
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    response = member_client.get(URL, {"q": "Alice"}, headers=headers)
    page = response.content.decode()
    assert "<html" in page
    assert "Alice Bréhat" in page
    # The live region's out-of-band copy is for swaps: the page has its own, once.
    assert page.count('id="directory-status"') == 1
    assert "HX-Request" in response["Vary"]


def test_an_unknown_filter_value_is_ignored_not_an_error(member_client, network):
    response = member_client.get(URL, {"region": "999999", "type": "galaxie"})
    assert response.status_code == 200
    assert names(response) == {"Alice Bréhat", "Bruno Causse", "Chloé Secret"}


def test_results_are_paginated_keeping_the_filters(member_client):
    council = CouncilFactory(kind=TerritoryKind.COMMUNES)
    for number in range(25):
        ProfileFactory(display_name=f"Technicienne {number:02d}", council=council)
    page = member_client.get(URL, {"type": TerritoryKind.COMMUNES}).content.decode()
    assert "Page 1 sur 2" in page
    assert "?type=communaute_communes&amp;page=2" in page
    page = member_client.get(URL, {"type": TerritoryKind.COMMUNES, "page": 2}).content.decode()
    assert "Technicienne 24" in page
    assert "Technicienne 00" not in page


def _count_queries(client) -> tuple[int, int, int]:
    """The queries of a first request and of a second one, the cache's own left out (the database cache keeps
    each new entry in a savepoint of its own), and all the queries of the second one."""

    def data(captured):
        return [
            query for query in captured if "codev_network_cache" not in query["sql"] and "SAVEPOINT" not in query["sql"]
        ]

    with CaptureQueriesContext(connection) as first:
        assert client.get(URL).status_code == 200
    with CaptureQueriesContext(connection) as again:
        response = client.get(URL)
    assert response.status_code == 200
    return len(data(first.captured_queries)), len(data(again.captured_queries)), len(again.captured_queries)


def test_the_number_of_queries_does_not_grow_with_the_results(member_client):
    councils = [CouncilFactory(departments=[code, "22"]) for code in ("29", "35", "56")]
    member_client.get(URL)  # the filter form and its choices are kept from the first request on
    for number in range(5):
        ProfileFactory(council=councils[number % 3])
    few = _count_queries(member_client)
    for number in range(25):
        ProfileFactory(council=councils[number % 3])
    many = _count_queries(member_client)
    # New profiles make a new page of results: computed again in as many queries, none per row.
    assert few == many
    # Once kept, the page of results is one cache read: no profile, council or count query.
    assert many[1] < many[0]
    # The session, the account and the cache reads, besides what the layout reads.
    assert many[2] <= 12
