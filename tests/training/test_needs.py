"""The network's training needs for the CNCD team: counts, the small-numbers rule, filters, exports."""

import csv
import io
import random

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from competences.models import AssessmentSharing, SelfAssessment
from core.figures.disclosure import CellState
from core.figures.tables import STATISTIC_WITHHELD_LABEL
from fiches import services as fiche_services
from fiches.enums import SectionKind
from fiches.models import COMMON_FICHE_SLUG, Fiche
from members.enums import Visibility
from members.models import Region
from tests.html import page_text, select, select_one, text_of
from tests.members.factories import CouncilFactory, ProfileFactory
from tests.referentiel.factories import build_version, small_data
from tests.training.factories import make_training
from training.needs import ALL, NeedsFilters, NeedsPublication, needs_counts, needs_forget, training_needs

pytestmark = pytest.mark.django_db

URL = reverse("training:needs")


@pytest.fixture(autouse=True)
def _fresh_figures():
    """Each test counts its own network (the page keeps its figures a few minutes otherwise)."""
    needs_forget()
    yield
    needs_forget()


@pytest.fixture
def version(db):
    return build_version(small_data("v1.0"))


@pytest.fixture
def fiche(db):
    fiche = Fiche.objects.create(slug=COMMON_FICHE_SLUG, title="Fiche de poste commune")
    fiche_services.section_create(
        fiche=fiche,
        key="competences",
        title="Compétences",
        kind=SectionKind.COMPETENCES,
        body="C-1-01 : niveau 3 — Compétence 1.1\nC-1-02 : niveau 2 — Compétence 1.2",
        order=1,
    )
    return fiche


def rated(profile, version, *, share=True, **levels):
    for code, level in levels.items():
        SelfAssessment.objects.create(user=profile.user, code=code.replace("_", "-"), level=level, version=version)
    AssessmentSharing.objects.create(user=profile.user, in_directory=share)
    return profile


@pytest.fixture
def network(version, fiche):
    """15 counted technicians, plus two who are never counted.

    Bretagne (35): 7, catégorie A, C-1-01 at 1 (below 3), C-1-02 at 3.
    Auvergne-Rhône-Alpes (69): 5, catégorie A, both at 3.
    Occitanie (31): 3, catégorie B, both at 1 (below on both).
    """
    brittany = CouncilFactory(departments=["35"])
    lyon = CouncilFactory(departments=["69"])
    occitania = CouncilFactory(departments=["31"])
    for _index in range(7):
        rated(ProfileFactory(council=brittany, category="A"), version, C_1_01=1, C_1_02=3)
    for _index in range(5):
        rated(ProfileFactory(council=lyon, category="A"), version, C_1_01=3, C_1_02=3)
    for _index in range(3):
        rated(ProfileFactory(council=occitania, category="B"), version, C_1_01=1, C_1_02=1)
    # Not counted: one did not agree to be found by level, the other hides their post.
    rated(ProfileFactory(council=occitania, category="B"), version, share=False, C_1_01=1, C_1_02=1)
    rated(
        ProfileFactory(council=occitania, category="B", post_visibility=Visibility.HIDDEN),
        version,
        C_1_01=1,
        C_1_02=1,
    )
    return {"brittany": brittany, "lyon": lyon, "occitania": occitania}


def row_of(table, code):
    (row,) = [row for row in table.rows if row.code == code]
    return row


def test_counts_members_below_the_expected_level(network):
    needs = training_needs(NeedsFilters())
    assert needs.available and needs.large_enough
    assert needs.members.value == 15
    first = row_of(needs.ranking, "C-1-01")
    expected, below, rated_cell, share = first.cells
    assert (expected.value, below.value, rated_cell.value, share.value) == (3, 10, 15, 67)
    # The most often below comes first.
    assert needs.ranking.rows[0].code == "C-1-01"


def test_a_competence_below_for_1_to_4_members_reads_moins_de_5(curator_client, network):
    needs = training_needs(NeedsFilters())
    below = row_of(needs.ranking, "C-1-02").cells[1]
    assert below.value is None and below.withheld_label == "moins de 5"
    text = page_text(curator_client.get(URL))
    assert "moins de 5" in text


def test_the_complement_that_would_give_a_small_count_back_is_masked(network):
    needs = training_needs(NeedsFilters())
    # C-1-01 below: 10 in all, 7 in catégorie A, 3 in catégorie B: showing A would give B back.
    category_a, category_b, _category_c, _none = row_of(needs.by_category, "C-1-01").cells
    assert category_b.withheld_label == "moins de 5"
    assert not category_a.shown and category_a.withheld_label in {"masqué", "moins de 5"}
    # Nor can the regions give it back: Occitanie's 3 members are never shown, nor worked out.
    by_region = {row.code: row.cells for row in needs.by_region.rows}
    occitania = by_region[Region.objects.get(name="Occitanie").code]
    assert all(not cell.shown for cell in occitania)
    brittany = by_region[Region.objects.get(name="Bretagne").code][1]
    lyon = by_region[Region.objects.get(name="Auvergne-Rhône-Alpes").code][1]
    whole = row_of(needs.ranking, "C-1-01").cells[1]
    # The whole network minus the other regions would give Occitanie's 3 back.
    assert not (whole.shown and brittany.shown and lyon.shown)


def test_a_filter_selecting_fewer_than_5_members_shows_no_figure(curator_client, network):
    occitania = Region.objects.get(name="Occitanie")
    response = curator_client.get(URL, {"region": occitania.code})
    text = page_text(response)
    assert response.status_code == 200
    assert "Moins de 5 membres correspondent à ces filtres" in text
    assert "Compétences le plus souvent en deçà" not in text
    needs = training_needs(NeedsFilters(category="B"))
    assert not needs.large_enough and needs.ranking is None
    assert needs.members.withheld_label == "moins de 5"


def test_a_filter_on_a_large_enough_group_shows_its_figures(curator_client, network):
    brittany = Region.objects.get(name="Bretagne")
    needs = training_needs(NeedsFilters(region=brittany))
    assert needs.large_enough and needs.ranking is not None
    # Bretagne's 7 and Auvergne-Rhône-Alpes' 5 with the whole network's 15 would give Occitanie's 3 back.
    assert needs.members.withheld_label == "masqué"
    assert needs.by_region is None  # a region is chosen: no table by region
    text = page_text(curator_client.get(URL, {"region": brittany.code}))
    assert "Compétences le plus souvent en deçà" in text and "Moins de 5 membres" not in text


def test_each_competence_links_to_the_trainings_that_develop_it(curator_client, network):
    make_training(title="Concevoir une concertation", codes=("C-1-01",))
    response = curator_client.get(URL)
    text = response.content.decode()
    assert reverse("training:catalogue") + "?competence=C-1-01" in text
    assert "1 formation" in page_text(response)


def _page_rows(response) -> dict[str, list[str]]:
    """The ranking table's rows as the page shows them (label → figures)."""
    rows = {}
    for tr in select(select(response, "table")[0], "tbody tr"):
        label = text_of(select_one(tr, "th"))
        # A withheld share reads "—" with its reason for screen readers; the exports write the "—".
        rows[label] = [text_of(td).replace(str(STATISTIC_WITHHELD_LABEL), "") for td in select(tr, "td")][:4]
    return rows


def test_the_exports_hold_exactly_what_the_page_shows(curator_client, network):
    page = _page_rows(curator_client.get(URL))
    content = curator_client.get(reverse("training:needs_csv")).content.decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(content), delimiter=";"))
    start = next(index for index, line in enumerate(lines) if line and line[0].startswith("Compétences le plus"))
    exported = {line[0]: line[1:5] for line in lines[start + 2 : start + 2 + len(page)]}
    assert exported == page
    workbook = load_workbook(io.BytesIO(curator_client.get(reverse("training:needs_xlsx")).content))
    sheet = workbook.worksheets[1]
    xlsx = {
        row[0]: [str(value) for value in row[1:5]] for row in sheet.iter_rows(min_row=3, values_only=True) if row[0]
    }
    assert {label: xlsx[label] for label in page} == page


def test_members_may_not_open_the_needs(member_client, network):
    assert member_client.get(URL).status_code == 403
    assert member_client.get(reverse("training:needs_csv")).status_code == 403


def test_the_page_reads_in_a_constant_number_of_queries(curator_client, network, version):
    def count() -> int:
        needs_forget()  # the whole computation, not the kept figures
        with CaptureQueriesContext(connection) as queries:
            assert curator_client.get(URL).status_code == 200
        return len(queries)

    count()  # the first reading also stores the generations its page is kept under
    first = count()
    lille = CouncilFactory(departments=["59"])
    for _index in range(6):
        rated(ProfileFactory(council=lille, category="C"), version, C_1_01=2, C_1_02=1)
    assert count() == first


def test_the_figures_are_kept_a_few_minutes_for_the_page_and_its_exports(curator_client, network, version):
    before = training_needs(NeedsFilters()).members.value
    lille = CouncilFactory(departments=["59"])
    rated(ProfileFactory(council=lille, category="C"), version, C_1_01=2, C_1_02=1)
    assert training_needs(NeedsFilters()).members.value == before
    needs_forget()
    assert training_needs(NeedsFilters()).members.value == before + 1


def test_no_expected_level_means_nothing_to_count(curator_client, version):
    needs = training_needs(NeedsFilters())
    assert not needs.available
    assert "Aucun niveau attendu" in page_text(curator_client.get(URL))
    assert ALL == "*"


def test_no_withheld_count_can_be_worked_out_on_a_mixed_network(version, fiche):
    """A network with a council over two regions, every category and small groups everywhere."""
    rng = random.Random(17)
    councils = [
        CouncilFactory(departments=["35"]),
        CouncilFactory(departments=["69"]),
        CouncilFactory(departments=["31"]),
        CouncilFactory(departments=["59", "80"]),  # Hauts-de-France only, two départements
        CouncilFactory(departments=["01", "39"]),  # Auvergne-Rhône-Alpes and Bourgogne-Franche-Comté
        None,
    ]
    for _index in range(60):
        rated(
            ProfileFactory(council=rng.choice(councils), category=rng.choice(["A", "A", "B", "C", ""])),
            version,
            C_1_01=rng.randint(1, 4),
            C_1_02=rng.randint(1, 4),
        )
    publication = NeedsPublication(needs_counts())
    assert publication.publication.disclosed() == []
    for key, value in publication.values.items():
        state = publication.publication.state(key)
        if state == CellState.SHOWN:
            assert not 0 < value < 5, key


def test_the_members_rated_do_not_give_away_the_heatmaps_not_concerned(version, fiche):
    """The dashboard's heatmap shows 12 respondents for C-1-01, 2 of them "non concerné·e" (withheld there):
    10 members rated here, beside it, would say 2."""
    council = CouncilFactory(departments=["35"])
    for level in [1] * 5 + [3] * 5:
        rated(ProfileFactory(council=council), version, C_1_01=level)
    for _index in range(2):
        profile = ProfileFactory(council=council)
        SelfAssessment.objects.create(user=profile.user, code="C-1-01", not_concerned=True, version=version)
        AssessmentSharing.objects.create(user=profile.user, in_directory=True)
    needs = training_needs(NeedsFilters())
    _expected, _below, rated_cell, _share = row_of(needs.ranking, "C-1-01").cells
    assert not rated_cell.shown
