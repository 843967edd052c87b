"""The vitrine's map and figures in a browser: the public opens the map, follows a region to its councils,
opens the network's figures and downloads the CSV.

Every page of the journey is checked with axe, on a desktop and on a phone's screen (`check_page`).
"""

import datetime

import pytest
from playwright.sync_api import expect

from members.models import Region
from showcase.enums import FollowUpAnswer
from tests.members.factories import CouncilFactory
from tests.showcase.factories import CouncilPageFactory, ThemeFactory, WorkFactory


@pytest.fixture
def vitrine(live_server):
    mobility = ThemeFactory(name="Mobilité", slug="mobilite")
    pages = []
    for name, department, region in (
        ("Conseil de développement de Rennes Métropole", "35", "53"),
        ("Conseil de développement du Pays de Brest", "29", "53"),
        ("Conseil de développement de la Métropole de Lyon", "69", "84"),
    ):
        council = CouncilFactory(name=name, departments=[department])
        pages.append(CouncilPageFactory(council=council, region=Region.objects.get(code=region)))
    for index in range(14):
        WorkFactory(
            page=pages[index % 3],
            themes=[mobility],
            issued_on=datetime.date(2024 + index % 2, 5, 1),
            followup_answer=[FollowUpAnswer.ANSWERED, FollowUpAnswer.WAITING][index % 2],
        )
    return pages


def test_the_public_reads_the_map_and_the_figures(page, live_server, check_page, vitrine):
    page.goto(live_server.url + "/vitrine/carte/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Carte des conseils de développement")
    expect(
        page.get_by_role("img", name="Carte des régions : conseils ayant une page publiée, par région")
    ).to_be_visible()
    table = page.get_by_role("table", name="Conseils ayant une page publiée, par région")
    expect(table.get_by_role("row", name="Bretagne 2")).to_be_visible()
    check_page(page, "vitrine-carte")

    page.get_by_role("link", name="Travaux publiés", exact=True).click()
    expect(page.get_by_role("table", name="Travaux publiés, par région")).to_be_visible()
    check_page(page, "vitrine-carte-travaux")

    # A region leads to its councils.
    page.get_by_role("table", name="Travaux publiés, par région").get_by_role("link", name="Bretagne").click()
    expect(page).to_have_url(live_server.url + "/vitrine/conseils/?region=53")
    expect(page.get_by_role("link", name="Conseil de développement de Rennes Métropole")).to_be_visible()
    expect(page.get_by_role("link", name="Conseil de développement de la Métropole de Lyon")).to_have_count(0)
    check_page(page, "vitrine-conseils-bretagne")

    page.goto(live_server.url + "/vitrine/chiffres/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Chiffres des conseils de développement")
    expect(page.get_by_role("table", name="Suites données aux travaux par la collectivité, par région")).to_be_visible()
    check_page(page, "vitrine-chiffres")
    with page.expect_download() as started:
        page.get_by_role("link", name="Télécharger les tableaux (CSV)").click()
    assert started.value.suggested_filename.startswith("vitrine-chiffres-")
    with open(started.value.path(), encoding="utf-8-sig") as stored:
        text = stored.read()
    assert "Travaux publiés par thème et par année" in text
    assert "Bretagne" in text
