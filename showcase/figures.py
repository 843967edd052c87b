"""The vitrine's map and the network's figures, read from public data only.

Only what the public already sees is counted: council pages that are published (`CouncilPage.objects.published()`)
and their published works (`Work.objects.published()`).

The map counts, per region, the councils with a published page and their published works. Those counts are
exact: the councils are listed by name under the map, and every work is in the public library, so withholding
a "3" would hide nothing.

The figures page (works per theme and year, follow-ups by region, uptake) follows the network's small-numbers
rule (core/figures/disclosure.py): a count of 1 to 4 works reads "moins de 5", a share over fewer than 5 works
is not shown, and one `Publication` covers every table of the page so that no withheld count can be worked out
from the others (complementary suppression). The works per region and their total are counts like the others
here (ranked high: masked last). They are not declared as the map shows them (exact): with few works, a year's
count would then equal a shown total and nothing could protect it.

Share of works that received an answer: among the works whose follow-up is filled in (answered, waiting for an
answer, or no answer), those the authority answered. Works whose follow-up is "pas encore renseigné" are left out.

Both are cached a few minutes (the same snapshot for the page and its exports), under a generation that the
services bump on every change a figure shows (`figures_changed`).
"""

import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.figures.disclosure import PUBLISHED, UNPUBLISHED, CellState, Publication
from core.figures.tables import Cell, Row, Table, statistic_cell
from members.models import Region
from showcase.enums import FollowUpAnswer, Uptake
from showcase.models import CouncilPage, Theme, Work

logger = logging.getLogger(__name__)

NO_REGION = "-"
ALL = "*"
# The figures page shows this many years one by one; earlier ones are summed in one column.
YEAR_COLUMNS = 6
EARLIER = "avant"
FILLED = (FollowUpAnswer.ANSWERED, FollowUpAnswer.WAITING, FollowUpAnswer.NO_ANSWER)
CACHE_SECONDS = 300
GENERATION_KEY = "showcase:figures:generation"


# --- Cache -----------------------------------------------------------------------------------------


def figures_generation() -> str:
    """What every cached map or figure is keyed by: the works library's generation (bumped by every write of a
    work or a page, showcase.works.library_changed) and this area's own (`figures_changed`: themes)."""
    from showcase.works import library_generation

    return f"{library_generation()}.{cache.get_or_set(GENERATION_KEY, 1, timeout=None)}"


def _bump() -> None:
    try:
        with transaction.atomic():  # a savepoint: the database cache's failed query leaves the transaction usable
            try:
                cache.incr(GENERATION_KEY)
            except ValueError:
                cache.set(GENERATION_KEY, int(time.time() * 1000), timeout=None)
    except Exception:
        logger.warning("Vitrine : génération des chiffres non mise à jour", exc_info=True)


def figures_changed() -> None:
    """Forget the cached map and figures, now and once the transaction commits. Works and pages need not call
    it (their services bump the library's generation, which keys these too); a theme renamed or removed does."""
    _bump()
    transaction.on_commit(_bump, robust=True)


def _cached(name: str, compute):
    key = f"showcase:figures:{name}:{figures_generation()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, CACHE_SECONDS)
    return value


# --- The map ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MapCouncil:
    name: str
    url: str
    works: int


@dataclass
class RegionEntry:
    code: str
    name: str
    councils: list[MapCouncil] = field(default_factory=list)

    @property
    def works(self) -> int:
        return sum(council.works for council in self.councils)


@dataclass
class MapData:
    regions: list[RegionEntry]
    councils: Table
    works: Table

    @property
    def council_count(self) -> int:
        return sum(len(region.councils) for region in self.regions)

    @property
    def work_count(self) -> int:
        return sum(region.works for region in self.regions)


def map_data() -> MapData:
    """Per region (then "non renseignée"), the councils with a published page and their published works."""
    entries = {region.code: RegionEntry(region.code, region.name) for region in Region.objects.order_by("name")}
    # The works counted from the works themselves, as the figures page counts them.
    works = dict(
        Work.objects.published().values("page_id").annotate(n=Count("pk")).order_by().values_list("page_id", "n")
    )
    pages = (
        CouncilPage.objects.published()
        .order_by("council__name", "pk")
        .values_list("pk", "slug", "council__name", "region__code")
    )
    prefix = reverse("showcase:council", args=["x"])[:-2]  # one reverse() for a thousand pages
    for pk, slug, name, code in pages:
        entry = entries.get(code)
        if entry is None:
            entry = entries.setdefault(NO_REGION, RegionEntry(NO_REGION, _("Région non renseignée")))
        entry.councils.append(MapCouncil(name, f"{prefix}{slug}/", works.get(pk, 0)))
    regions = list(entries.values())
    council_table = Table(
        key="carte-conseils",
        title=_("Conseils ayant une page publiée, par région"),
        columns=[_("Région"), _("Conseils")],
        rows=[Row(entry.name, [Cell(len(entry.councils))], code=entry.code) for entry in regions],
    )
    work_table = Table(
        key="carte-travaux",
        title=_("Travaux publiés, par région"),
        columns=[_("Région"), _("Travaux publiés")],
        rows=[Row(entry.name, [Cell(entry.works)], code=entry.code) for entry in regions],
    )
    return MapData(regions, council_table, work_table)


def cached_map_data() -> MapData:
    return _cached("map", map_data)


# --- The figures -----------------------------------------------------------------------------------


@dataclass
class FigureCounts:
    """The counts behind the figures page, straight from the database (public works only)."""

    themes: list[tuple[int, str]]
    regions: list[tuple[str, str]]
    years: list[int]
    # {(theme_id, year): n}, {year: n}, {(region code, answer): n}, {uptake: n} (answered works only)
    by_theme: dict[tuple[int, int], int] = field(default_factory=dict)
    by_year: dict[int, int] = field(default_factory=dict)
    by_region: dict[tuple[str, str], int] = field(default_factory=dict)
    uptake: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.by_year.values())


def figure_counts() -> FigureCounts:
    """Four grouped queries over the published works."""
    works = Work.objects.published()
    by_year = {
        row["year"]: row["n"]
        for row in works.annotate(year=ExtractYear("issued_on")).values("year").annotate(n=Count("pk")).order_by()
    }
    by_theme = {
        (row["theme_id"], row["year"]): row["n"]
        for row in Work.themes.through.objects.filter(work__in=works.values("pk"))
        .annotate(year=ExtractYear("work__issued_on"))
        .values("theme_id", "year")
        .annotate(n=Count("pk"))
        .order_by()
    }
    by_region = defaultdict(int)
    for row in works.values("region__code", "followup_answer").annotate(n=Count("pk")).order_by():
        by_region[(row["region__code"] or NO_REGION, row["followup_answer"])] += row["n"]
    uptake = {
        row["followup_uptake"]: row["n"]
        for row in works.filter(followup_answer=FollowUpAnswer.ANSWERED)
        .values("followup_uptake")
        .annotate(n=Count("pk"))
        .order_by()
    }
    used = {theme for theme, _year in by_theme}
    themes = [(theme.pk, theme.name) for theme in Theme.objects.filter(pk__in=used).order_by("position", "name")]
    regions = list(Region.objects.order_by("name").values_list("code", "name"))
    if any(code == NO_REGION for code, _answer in by_region):
        regions.append((NO_REGION, _("Région non renseignée")))
    return FigureCounts(themes, regions, sorted(by_year), by_theme, by_year, dict(by_region), uptake)


def _year_columns(years: list[int]) -> list[int | str]:
    """The last YEAR_COLUMNS years with works, the earlier ones in one column."""
    if len(years) <= YEAR_COLUMNS:
        return list(years)
    return [EARLIER, *years[-YEAR_COLUMNS:]]


@dataclass
class Figures:
    total: Cell
    themes: Table
    years: Table
    followups: Table
    uptake: Table
    empty: bool = False

    def tables(self) -> list[Table]:
        """Every table the page shows, in page order (what the exports write)."""
        return [self.years, self.themes, self.followups, self.uptake]


def figures_from(counts: FigureCounts) -> Figures:
    """The page's tables, every count declared to one publication and protected together."""
    publication = Publication()
    columns = _year_columns(counts.years)
    earlier = set(counts.years) - {column for column in columns if column != EARLIER}

    def year_value(values: dict, column) -> int:
        if column == EARLIER:
            return sum(values.get(year, 0) for year in earlier)
        return values.get(column, 0)

    # Works per year, and their total (the whole network: read first, masked last).
    for column in columns:
        publication.cell(("year", column), year_value(counts.by_year, column), rank=5)
    publication.cell("total", counts.total, rank=10)
    publication.equation("total", [("year", column) for column in columns])
    # Works per theme and year (a work with two themes counts in both: themes do not add up to the total).
    for theme, _name in counts.themes:
        values = {year: counts.by_theme.get((theme, year), 0) for year in counts.years}
        for column in columns:
            publication.cell(("theme", theme, column), year_value(values, column))
            publication.at_most(("theme", theme, column), ("year", column))
        publication.cell(("theme", theme), sum(values.values()), rank=2)
        publication.equation(("theme", theme), [("theme", theme, column) for column in columns])
        publication.at_most(("theme", theme), "total")
    # Follow-ups by region.
    measures = ["filled", *FILLED]
    for code, _name in counts.regions:
        published = sum(value for (region, _answer), value in counts.by_region.items() if region == code)
        publication.cell(("published", code), published, rank=6)
        unknown = counts.by_region.get((code, FollowUpAnswer.UNKNOWN), 0)
        publication.cell(("unknown", code), unknown, UNPUBLISHED)
        for answer in FILLED:
            publication.cell((answer, code), counts.by_region.get((code, answer), 0), rank=1)
        publication.cell(("filled", code), sum(counts.by_region.get((code, answer), 0) for answer in FILLED), rank=2)
        publication.equation(("filled", code), [(answer, code) for answer in FILLED])
        publication.equation(("published", code), [("filled", code), ("unknown", code)])
    for measure in [*measures, "unknown"]:
        value = sum(publication.value((measure, code)) for code, _name in counts.regions)
        appearance = UNPUBLISHED if measure == "unknown" else PUBLISHED
        publication.cell((measure, ALL), value, appearance, rank=8)
        publication.equation((measure, ALL), [(measure, code) for code, _name in counts.regions])
    publication.equation("total", [("filled", ALL), ("unknown", ALL)])
    # What a reader adds up directly: the regions' published works make the total.
    publication.equation("total", [("published", code) for code, _name in counts.regions])
    publication.equation(("filled", ALL), [(answer, ALL) for answer in FILLED])
    # Uptake of the answered works.
    for uptake in Uptake.values:
        publication.cell(("uptake", uptake), counts.uptake.get(uptake, 0))
    publication.equation((FollowUpAnswer.ANSWERED, ALL), [("uptake", uptake) for uptake in Uptake.values])
    publication.protect()

    def cell(key) -> Cell:
        state = publication.state(key)
        return Cell(publication.value(key)) if state == CellState.SHOWN else Cell(None, state)

    def share(part, whole) -> Cell:
        part, whole = cell(part), cell(whole)
        if part.shown and whole.shown:
            if not whole.value:
                return Cell(None, statistic=True)
            return statistic_cell(100 * part.value / whole.value, group_size=whole.value, digits=0)
        return Cell(None, part.state if not part.shown else whole.state, statistic=True)

    labels = [_("Avant %(year)s") % {"year": columns[1]} if column == EARLIER else str(column) for column in columns]
    years = Table(
        key="annees",
        title=_("Travaux publiés par année"),
        columns=[_("Année"), _("Travaux publiés")],
        rows=[
            Row(label, [cell(("year", column))], code=str(column))
            for label, column in zip(labels, columns, strict=True)
        ],
    )
    years.rows.append(Row(_("Total"), [cell("total")], code=ALL))
    themes = Table(
        key="themes",
        title=_("Travaux publiés par thème et par année"),
        columns=[_("Thème"), *labels, _("Total")],
        note=_("Un travail qui porte sur plusieurs thèmes est compté dans chacun : les thèmes ne s'additionnent pas."),
    )
    for theme, name in counts.themes:
        row_cells = [cell(("theme", theme, column)) for column in columns] + [cell(("theme", theme))]
        themes.rows.append(Row(name, row_cells, code=str(theme)))
    followups = Table(
        key="suites",
        title=_("Suites données aux travaux par la collectivité, par région"),
        columns=[
            _("Région"),
            _("Travaux publiés"),
            _("Suites renseignées"),
            _("Réponse de la collectivité"),
            _("En attente de réponse"),
            _("Sans réponse"),
            _("Part ayant reçu une réponse (%)"),
        ],
        note=_(
            "Part ayant reçu une réponse : parmi les travaux dont les suites sont renseignées (réponse, attente ou "
            "absence de réponse), ceux auxquels la collectivité a répondu. Les travaux dont les suites ne sont pas "
            "encore renseignées n'y entrent pas."
        ),
    )
    for code, name in [*counts.regions, (ALL, _("Ensemble du réseau"))]:
        published = cell("total" if code == ALL else ("published", code))
        row_cells = [published, *(cell((measure, code)) for measure in measures)]
        row_cells.append(share((FollowUpAnswer.ANSWERED, code), ("filled", code)))
        followups.rows.append(Row(name, row_cells, code=code))
    uptake = Table(
        key="prise-en-compte",
        title=_("Prise en compte des travaux ayant reçu une réponse"),
        columns=[_("Prise en compte"), _("Travaux"), _("Part (%)")],
    )
    # "Non renseigné" last, after the three answers.
    for value, label in sorted(Uptake.choices, key=lambda choice: choice[0] == Uptake.UNKNOWN):
        uptake.rows.append(
            Row(str(label), [cell(("uptake", value)), share(("uptake", value), (FollowUpAnswer.ANSWERED, ALL))], value)
        )
    answered = (FollowUpAnswer.ANSWERED, ALL)
    uptake.rows.append(
        Row(_("Total : travaux ayant reçu une réponse"), [cell(answered), share(answered, answered)], code=ALL)
    )
    return Figures(cell("total"), themes, years, followups, uptake, empty=not counts.total)


def network_figures() -> Figures:
    """The figures page's tables, computed at most once every few minutes (the page and its exports alike)."""
    return _cached("figures", lambda: figures_from(figure_counts()))


def extract_stamp() -> str:
    return timezone.localtime().strftime("%d/%m/%Y %H:%M")
