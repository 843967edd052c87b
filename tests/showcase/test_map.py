"""The vitrine's map (/vitrine/carte/): councils with a published page, and their works, per region."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from members.models import Region
from showcase.enums import PageStatus, WorkStatus
from showcase.figures import map_data
from tests.members.factories import CouncilFactory
from tests.showcase.factories import CouncilPageFactory, WorkFactory

pytestmark = pytest.mark.django_db

MAP = "/vitrine/carte/"


def _page(name: str, department: str, region: str, **fields):
    council = CouncilFactory(name=name, departments=[department], **fields.pop("council", {}))
    return CouncilPageFactory(council=council, region=Region.objects.get(code=region), **fields)


@pytest.fixture
def network():
    rennes = _page("Conseil de développement de Rennes", "35", "53")
    brest = _page("Conseil de développement de Brest", "29", "53")
    paris = _page("Conseil de développement du Grand Paris", "75", "11")
    _page("Conseil en brouillon", "35", "53", status=PageStatus.DRAFT)
    _page("Conseil non validé", "35", "53", council={"is_validated": False})
    for _index in range(3):
        WorkFactory(page=rennes)
    WorkFactory(page=brest)
    WorkFactory(page=paris, status=WorkStatus.DRAFT)
    return {"rennes": rennes, "brest": brest, "paris": paris}


def _row(table, code):
    return next(row for row in table.rows if row.code == code)


def test_map_data_counts_public_pages_and_works_only(network):
    data = map_data()
    assert _row(data.councils, "53").cells[0].value == 2
    assert _row(data.councils, "11").cells[0].value == 1
    assert _row(data.councils, "84").cells[0].value == 0
    assert _row(data.works, "53").cells[0].value == 4  # 3 + 1, exact: these are public, listed works
    assert _row(data.works, "11").cells[0].value == 0  # a draft
    assert (data.council_count, data.work_count) == (3, 4)
    bretagne = next(region for region in data.regions if region.code == "53")
    assert [council.name for council in bretagne.councils] == [
        "Conseil de développement de Brest",
        "Conseil de développement de Rennes",
    ]


def test_map_page_shows_chart_table_links_and_list(client, network):
    response = client.get(MAP)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="chart-showcase-map-title"' in html
    assert "Carte des régions : conseils ayant une page publiée, par région" in html
    # The table beside the map links each region to the councils' list filtered by region.
    assert '<a href="/vitrine/conseils/?region=53">Bretagne</a>' in html
    assert 'href="/vitrine/conseils/?region=11"' in html
    # Every council with a published page, by region, linked to its page; nothing unpublished.
    assert f'href="{network["rennes"].get_absolute_url()}"' in html
    assert "Conseil de développement du Grand Paris" in html
    assert "Conseil en brouillon" not in html
    assert "Conseil non validé" not in html
    assert "aucun conseil" in html  # the legend names what is counted


def test_map_switches_to_works(client, network):
    html = client.get(MAP, {"mesure": "travaux"}).content.decode()
    assert "Carte des régions : travaux publiés par région" in html
    assert 'aria-current="page">Travaux publiés</a>' in html
    table = html[html.index('id="map-table"') :]
    bretagne = table[table.index("Bretagne</a>") :]
    assert '<td class="text-end">4</td>' in bretagne[:200]


def test_a_region_leads_to_its_councils(client, network):
    html = client.get("/vitrine/conseils/", {"region": "53"}).content.decode()
    assert "Conseil de développement de Rennes" in html
    assert "Conseil de développement du Grand Paris" not in html


def test_empty_map(client):
    html = client.get(MAP).content.decode()
    assert "Aucun conseil n" in html
    assert "chart-showcase-map-title" in html  # the map still draws France's regions, each at 0


def test_map_is_cached_until_a_page_or_work_changes(client, network, django_assert_max_num_queries):
    from showcase.works import library_changed

    client.get(MAP)
    with django_assert_max_num_queries(4):  # the generations and the fragment: never the councils
        assert client.get(MAP).status_code == 200
    _page("Conseil de développement de Vannes", "56", "53")
    library_changed()  # what the services call on any change of a page or a work
    assert "Conseil de développement de Vannes" in client.get(MAP).content.decode()


def test_map_query_count_does_not_grow_with_councils(client):
    def cold_queries() -> int:
        cache.clear()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(MAP).status_code == 200
        return len(captured.captured_queries)

    _page("Conseil A", "35", "53")
    few = cold_queries()
    for index in range(12):
        page = _page(
            f"Conseil numéro {index}", ["35", "75", "13", "69"][index % 4], ["53", "11", "93", "84"][index % 4]
        )
        WorkFactory(page=page)
    assert cold_queries() == few
