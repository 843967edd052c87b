"""Figures that read well: withheld averages, the map's legend, the table of contents, the members' page."""

import re

from django.urls import reverse

from competences.models import FrameworkVersion
from members.enums import Visibility
from missions.models import MissionDeclaration
from tests.dashboard.pages import full_page
from tests.dashboard.ratings import rated
from tests.dashboard.test_views import csv_rows
from tests.html import main_text, select, text_of
from tests.members.factories import ProfileFactory
from tests.referentiel.factories import build_version

NETWORK_URL = reverse("dashboard:network")
CSV_URL = reverse("dashboard:network_csv")
MEMBERS_URL = reverse("dashboard:members_figures")
KEY_FIGURES_URL = reverse("dashboard:key_figures")
SMALL = "moins de 5"


def _rows(response, caption: str) -> dict[str, list[str]]:
    """{row label: [cell texts]} of the table captioned `caption`."""
    for table in select(response, "table"):
        captions = [element for element in table.iter() if element.tag.endswith("caption")]
        if captions and text_of(captions[0]) == caption:
            rows = {}
            for tr in table.iter():
                if not tr.tag.endswith("tr"):
                    continue
                header = [cell for cell in tr if cell.tag.endswith("th") and cell.get("scope") == "row"]
                if header:
                    rows[text_of(header[0])] = [text_of(cell) for cell in tr if cell.tag.endswith("td")]
            return rows
    raise AssertionError(f"no table captioned {caption!r}")


# --- An average over withheld counts reads "—", not "moins de 5" -------------------------------------


def test_a_withheld_count_does_not_make_its_average_read_moins_de_5(curator_client, network):
    build_version()
    for profile in network["bretagne"][:2]:  # 2 members declare M1: "moins de 5"
        MissionDeclaration.objects.create(user=profile.user, mission_code="M1", time_share=30)
    for profile in network["bretagne"][:6]:
        MissionDeclaration.objects.create(user=profile.user, mission_code="M2", time_share=20)
    response = full_page(curator_client)
    missions = _rows(response, "Missions déclarées")
    m1 = next(cells for label, cells in missions.items() if label.startswith("M1 "))
    assert m1[0] == SMALL
    assert SMALL not in m1[1]
    assert m1[1].startswith("—")
    # The reason is there for screen readers (and as a tooltip), the dash is hidden from them.
    html = response.text
    assert '<span aria-hidden="true">—</span><span class="visually-hidden">non diffusé' in html
    # The export writes the same dash, and says what it means.
    rows = csv_rows(curator_client.get(CSV_URL))
    start = rows.index(["Missions déclarées"]) + 2
    row = next(row for row in rows[start:] if row and row[0].startswith("M1 "))
    assert row[1:] == [SMALL, "—"]
    assert any(row and row[0].startswith("« — » dans une colonne de part") for row in rows)


def test_averages_of_a_tiny_heatmap_row_and_the_gaps_are_dashes(curator_client, network):
    version = build_version()
    for profile in network["bretagne"][:3]:
        rated(user=profile.user, code="C-1-01", level=3, version=version)
    response = full_page(curator_client)
    row = next(
        cells
        for label, cells in _rows(response, "Auto-évaluation : membres par compétence et niveau").items()
        if label.startswith("C-1-01 ")
    )
    assert row[:6] == [SMALL] * 6  # the counts, zeros included, of a row of 1 to 4 respondents
    assert row[6].startswith("—") and SMALL not in row[6]  # its average


def test_the_median_of_a_small_view_is_a_dash(curator_client, network):
    from members.models import Region

    occitania = Region.objects.get(name="Occitanie")
    text = main_text(curator_client.get(NETWORK_URL, {"region": occitania.code}))
    median = re.search(r"Part médiane du temps consacrée au conseil\s+(\S+)", text)
    assert median and median[1].startswith("—"), text


# --- The map's legend -------------------------------------------------------------------------------


def test_the_map_legend_reads_as_ranges_and_explains_the_hatched_and_masked_tiles(curator_client, network):
    response = curator_client.get(NETWORK_URL)
    legend = [text_of(item) for item in select(response, ".dashboard-legend li")]
    assert "aucun membre" in legend
    assert "1 à 4 membres (« moins de 5 », hachuré)" in legend
    # Auvergne-Rhône-Alpes is masked on this network: its grey class is explained.
    assert any(entry.startswith("masqué : au moins 5 membres") for entry in legend), legend
    ranges = [entry for entry in legend if re.fullmatch(r"\d+( à \d+)? membres", entry)]
    assert ranges, legend
    bounds = [int(number) for entry in ranges for number in re.findall(r"\d+", entry)]
    assert bounds == sorted(bounds) and bounds[0] >= 5  # classes follow each other, none below 5


# --- A table of contents that works without JavaScript -----------------------------------------------


def test_the_network_page_has_a_table_of_contents_with_working_anchors(curator_client, network):
    build_version()
    response = curator_client.get(NETWORK_URL)
    links = select(response, "nav.dashboard-toc a")
    assert len(links) >= 4
    ids = {element.get("id") for element in select(response, "[id]")}
    for link in links:
        assert link.get("href").startswith("#")
        assert link.get("href")[1:] in ids, link.get("href")


# --- The members' view of the network figures --------------------------------------------------------


def test_members_see_the_post_figures_of_those_who_show_their_post_to_members(client, network):
    # Shows their post to the CNCD team only: a member must not find them counted.
    ProfileFactory(council=network["bretagne"][0].council, time_share=100, post_visibility=Visibility.TEAM)
    client.force_login(network["bretagne"][0].user)
    response = client.get(MEMBERS_URL)
    assert response.status_code == 200
    text = main_text(response)
    # 16 members show their post to members (the one hiding it and the team-only one left out).
    assert "Parmi les 15 membres qui montrent les informations de leur poste aux membres" in text
    categories = _rows(response, "Catégorie")
    assert categories["Catégorie A"] == ["12"]
    # 2 in catégorie B and 1 in C: withheld, and not worked out from the total of 15 either.
    assert categories["Catégorie C"] == [SMALL]
    assert categories["Catégorie B"] in ([SMALL], ["masqué"])
    status = _rows(response, "Statut")
    assert status["Non renseigné"] == [SMALL]
    assert "masqué" in status["Titulaire"] + status["Contractuel·le"]  # complementary suppression
    # No figure here the team dashboard protects for members: its public median is the key figures' one.
    assert "50 %" in text


def test_members_see_the_expected_levels_of_the_common_fiche(client, network):
    from fiches.enums import RevisionSource, SectionKind
    from fiches.models import COMMON_FICHE_SLUG, Fiche, Revision, Section

    version = build_version()
    fiche = Fiche.objects.create(slug=COMMON_FICHE_SLUG, title="Fiche commune")
    section = Section.objects.create(fiche=fiche, key="competences", title="Compétences", kind=SectionKind.COMPETENCES)
    revision = Revision.objects.create(
        section=section, number=1, body="C-1-01 : niveau 3", source=RevisionSource.CREATED
    )
    Section.objects.filter(pk=section.pk).update(current_revision=revision)
    for index, profile in enumerate(network["bretagne"] + network["ara"][:3]):
        rated(user=profile.user, code="C-1-01", level=3 if index % 2 else 4, version=version)
    # Team-only post: their rating is not counted on the members' page.
    hidden = ProfileFactory(post_visibility=Visibility.TEAM)
    rated(user=hidden.user, code="C-1-01", level=1, version=version)
    client.force_login(network["ara"][0].user)
    gaps = _rows(client.get(MEMBERS_URL), "Écart au niveau attendu par la fiche commune")
    row = next(cells for label, cells in gaps.items() if label.startswith("C-1-01 "))
    # Expected 3; 5 at level 3 and 5 at level 4: all 10 reach it, none below.
    assert row[:4] == ["3", "10", "0", "100"]
    assert FrameworkVersion.objects.current() == version


def test_the_members_page_is_linked_from_the_key_figures_for_members_only(client, network):
    assert MEMBERS_URL not in client.get(KEY_FIGURES_URL).text
    client.force_login(network["ara"][0].user)
    assert MEMBERS_URL in client.get(KEY_FIGURES_URL).text


def test_the_members_page_withholds_everything_for_a_tiny_network(client, db):
    profiles = [ProfileFactory(time_share=50) for _index in range(3)]
    client.force_login(profiles[0].user)
    response = client.get(MEMBERS_URL)
    assert response.status_code == 200
    assert "Moins de 5 membres montrent les informations de leur poste" in main_text(response)
    time_share = _rows(response, "Part du temps consacrée au conseil")
    assert all(cells == [SMALL] for cells in time_share.values())


def _members_page_queries(client, count: int) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    version = FrameworkVersion.objects.current()
    for _index in range(count):
        profile = ProfileFactory(time_share=50)
        rated(user=profile.user, code="C-1-01", level=3, version=version)
    with CaptureQueriesContext(connection) as context:
        assert client.get(MEMBERS_URL).status_code == 200
    return len(context.captured_queries)


def test_the_members_page_query_count_does_not_grow_with_members(member_client):
    build_version()
    member_client.get(MEMBERS_URL)  # the header's counters and rendering kept from the first page on
    assert _members_page_queries(member_client, 5) == _members_page_queries(member_client, 30)
