import csv
import io

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from competences.models import FrameworkVersion
from fiches.enums import RevisionSource, SectionKind
from fiches.models import COMMON_FICHE_SLUG, Fiche, Revision, Section
from members.models import Region
from missions.models import MissionDeclaration
from tests.dashboard.ratings import rated
from tests.members.factories import ProfileFactory
from tests.referentiel.factories import build_version

NETWORK_URL = reverse("dashboard:network")
CSV_URL = reverse("dashboard:network_csv")
XLSX_URL = reverse("dashboard:network_xlsx")
KEY_FIGURES_URL = reverse("dashboard:key_figures")


def csv_rows(response):
    text = response.content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


def csv_block(rows, title):
    """The data rows of the table titled `title`, as {label: value}."""
    start = rows.index([title]) + 2
    block = {}
    for row in rows[start:]:
        if not row or len(row) < 2:
            break
        block[row[0]] = row[1]
    return block


# --- Access -------------------------------------------------------------------------------------


# Who may open the dashboard and its exports is in tests/core/test_authorization_matrix.py.


def test_key_figures_are_public(client, db):
    response = client.get(KEY_FIGURES_URL)
    assert response.status_code == 200
    assert "Chiffres clés du réseau" in response.text


# --- The dashboard page -------------------------------------------------------------------------


def test_dashboard_shows_figures_map_and_tables(curator_client, network):
    response = curator_client.get(NETWORK_URL)
    html = response.text
    assert "<h1" in html and "Chiffres du réseau" in html
    # The map: one tile per region, with a text alternative and the count written on the tile.
    assert 'id="chart-regions-map-title"' in html
    assert "<title>Bretagne : 8</title>" in html
    assert "<title>Occitanie : moins de 5</title>" in html
    assert "<title>Auvergne-Rhône-Alpes : masqué</title>" in html
    # The table beside it.
    assert "<caption>Membres par région</caption>" in html
    assert '<th scope="row">Occitanie</th>' in html
    # Every chart has a title and a description.
    assert html.count('<svg class="dashboard-chart') == html.count("<desc id=")
    assert " style=" not in html and "<style" not in html  # the CSP forbids inline styles


def test_filtering_on_a_small_region_hides_everything_about_its_members(curator_client, network):
    occitania = Region.objects.get(name="Occitanie")
    response = curator_client.get(NETWORK_URL, {"region": occitania.code})
    html = response.text
    assert "Moins de 5 membres correspondent à ces filtres" in html
    assert "<title>Occitanie : moins de 5</title>" in html
    main = html[html.index("<main") :]  # the team's menu links to the parcours' "Besoins de formation" page
    assert "Le poste" not in main
    assert "Besoins de formation" not in main
    assert "Temps plein" not in main


def test_filters_come_back_as_an_htmx_partial(curator_client, network):
    response = curator_client.get(NETWORK_URL, {"kind": "communaute_agglomeration"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="dashboard-results"')
    assert "<html" not in response.text
    assert "<title>Bretagne : 8</title>" in response.text


def test_an_unknown_filter_value_is_ignored(curator_client, network):
    response = curator_client.get(NETWORK_URL, {"region": "zz", "kind": "nope"})
    assert response.status_code == 200
    assert "<title>Bretagne : 8</title>" in response.text


def _page_queries(client, count):
    version = FrameworkVersion.objects.current()
    for _index in range(count):
        profile = ProfileFactory()
        rated(user=profile.user, code="C-1-01", level=3, version=version)
        MissionDeclaration.objects.create(user=profile.user, mission_code="M1", time_share=30)
    with CaptureQueriesContext(connection) as context:
        assert client.get(NETWORK_URL).status_code == 200
    return len(context.captured_queries)


def test_page_query_count_does_not_grow_with_members(curator_client, db):
    build_version()
    fiche = Fiche.objects.create(slug=COMMON_FICHE_SLUG, title="Fiche commune")
    section = Section.objects.create(fiche=fiche, key="competences", title="Compétences", kind=SectionKind.COMPETENCES)
    revision = Revision.objects.create(
        section=section, number=1, body="C-1-01 : niveau 3", source=RevisionSource.CREATED
    )
    Section.objects.filter(pk=section.pk).update(current_revision=revision)
    curator_client.get(NETWORK_URL)  # what every page keeps (the header) kept from the first page on
    # New members: the figures are computed again, with as many queries whatever their number.
    assert _page_queries(curator_client, 5) == _page_queries(curator_client, 35)


# --- Exports ------------------------------------------------------------------------------------


def test_csv_export_carries_the_same_withheld_figures(curator_client, network):
    response = curator_client.get(CSV_URL)
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = csv_rows(response)
    regions = csv_block(rows, "Membres par région")
    assert regions["Bretagne"] == "8"
    assert regions["Occitanie"] == "moins de 5"
    assert regions["Auvergne-Rhône-Alpes"] == "masqué"
    assert csv_block(rows, "Catégorie")["Catégorie A"] == "12"
    status = csv_block(rows, "Statut")
    assert status == {"Titulaire": "masqué", "Contractuel·le": "masqué", "Autre": "0", "Non renseigné": "moins de 5"}


def test_csv_export_follows_the_filters(curator_client, network):
    occitania = Region.objects.get(name="Occitanie")
    rows = csv_rows(curator_client.get(CSV_URL, {"region": occitania.code}))
    assert ["Région", "Occitanie"] in rows
    assert csv_block(rows, "Membres par région")["Occitanie"] == "moins de 5"
    assert csv_block(rows, "Membres par type de territoire")["Communauté de communes"] == "moins de 5"
    assert ["Statut"] not in rows
    assert csv_block(rows, "Membres par région")["Bretagne"] == "moins de 5"
    figures = [cell for row in rows[5:] for cell in row[1:] if cell.isdigit()]
    assert figures == []


def test_xlsx_export(curator_client, network):
    response = curator_client.get(XLSX_URL)
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[0] == "Présentation"
    sheet = workbook["Membres par région"]
    values = {row[0]: row[1] for row in sheet.iter_rows(min_row=3, values_only=True) if row[0]}
    assert values["Bretagne"] == 8
    assert values["Occitanie"] == "moins de 5"
    assert values["Auvergne-Rhône-Alpes"] == "masqué"
    # ":" is not allowed in sheet names, which hold 31 characters at most.
    assert "Auto-évaluation membres par com" in workbook.sheetnames


# --- Public key figures -------------------------------------------------------------------------


def test_key_figures_show_network_aggregates(client, network):
    html = client.get(KEY_FIGURES_URL).text
    assert "Technicien·nes inscrit·es" in html
    assert ">16<" in html  # members
    assert ">3<" in html  # councils and regions
    assert "50&nbsp;%" in html  # median time share


def test_key_figures_are_withheld_for_a_tiny_network(client, db):
    for _index in range(3):
        ProfileFactory()
    html = client.get(KEY_FIGURES_URL).text
    assert "trop peu de membres" in html
    assert "Technicien·nes inscrit·es" not in html


def test_csv_export_writes_decimals_the_french_way(curator_client, network):
    version = build_version()
    for index, profile in enumerate(network["bretagne"] + network["ara"][:3]):
        rated(user=profile.user, code="C-1-01", level=2 + index % 2, version=version)
    rows = csv_rows(curator_client.get(CSV_URL))
    heatmap_row = next(row for row in rows if row and row[0].startswith("C-1-01 "))
    # Levels 1–4, not concerned, respondents, average (5 at level 2, 5 at level 3 → 2.5).
    assert heatmap_row[1:] == ["0", "5", "5", "0", "0", "10", "2,5"]
