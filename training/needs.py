"""The network's training needs, for the CNCD team: the competences most often below the expected level.

A member is below on a competence when their self-assessed level is lower than the level the common
fiche expects (`fiches.selectors.expected_levels`), as training/levels.py defines a gap. Who is counted:
approved technicians (not the team) who show their post to the team and agreed to be found by competence
and level (`AssessmentSharing.in_directory`): the same people as the dashboard's self-assessment heatmap,
so that no figure here, set beside the heatmap, tells a rating the dashboard withholds.

Every count is read in a few grouped queries (per council, category of post and competence) and spread
over the populations the filters select: a region (a member counts in each region of their council; no
council: "non renseignée") and a category of post (A, B, C, none given), or both. All of them are declared
to one `Publication` (core/figures/disclosure.py) with the sums that tie them, the heatmap's own cells
fixed as the dashboard publishes them; its complementary suppression decides what reads "moins de 5" or
"masqué", for the page, its charts and its exports alike.
"""

import secrets
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils.translation import gettext as _

from competences.models import Competence, FrameworkVersion, ScaleLevel, SelfAssessment
from core.enums import Role
from core.figures.disclosure import MIN_GROUP_SIZE, PUBLISHED, TINY, UNPUBLISHED, CellState, Publication
from core.figures.tables import Cell, Row, Table, small_cells, statistic_cell
from fiches.selectors import expected_levels
from members.enums import Audience, Category
from members.models import Council, Profile, Region
from training.models import Training, TrainingCompetence

ALL = "*"
NO_REGION = "-"  # members whose council is not given (or has no département)
NO_CATEGORY = ""
CATEGORIES = [NO_CATEGORY, *Category.values]
# Competences shown in the table by region (the most often below in the selection, among those shown).
REGION_COLUMNS = 5
CHART_ROWS = 15
# Counting and protecting every selection takes a while on a national network: the result is kept a few
# minutes, for everyone of the team, and the exports read the same one as the page. Each computation has
# its own edition, kept as long (EDITION_KEY): the page's rendered tables are kept under it (views/needs.py).
CACHE_KEY = "training:needs:snapshot:v2"
EDITION_KEY = "training:needs:snapshot:edition"
CACHE_SECONDS = 300
UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class NeedsFilters:
    region: Region | None = None
    category: str = ""  # "" for every category

    @property
    def view(self) -> tuple[str, str]:
        return (self.region.code if self.region else ALL, self.category or ALL)


def counted_profiles():
    """Profiles whose ratings count: approved technicians sharing their post with the team."""
    return Profile.objects.approved().filter(user__role=Role.MEMBER).with_post_visible_to(Audience.TEAM).order_by()


@dataclass
class NeedsCounts:
    """The counts per group of members (their council's regions, their category), straight from the database."""

    competences: list[Competence]
    expected: dict[str, int]
    source: str
    regions: list[Region]
    # {(regions tuple, category): {"members": n, ("below", code): n, ("rated", code): n}}
    groups: dict[tuple, dict] = field(default_factory=dict)
    # {(code, level or None): n} over everyone counted: the dashboard heatmap's cells.
    heatmap: dict[tuple, int] = field(default_factory=dict)
    levels: list[int] = field(default_factory=list)


def needs_counts() -> NeedsCounts | None:
    """Grouped counts of members below the expected level; None when nothing is expected or published."""
    version = FrameworkVersion.objects.current()
    expected = expected_levels()
    if version is None or expected is None:
        return None
    competences = list(
        Competence.objects.of(version)
        .filter(code__in=list(expected.levels))
        .select_related("domain")
        .only("code", "title", "domain__order", "domain__code", "order")
        .order_by("domain__order", "domain__code", "order", "code")
    )
    codes = {competence.code: expected.levels[competence.code] for competence in competences}
    levels = list(ScaleLevel.objects.of(version).order_by("value").values_list("value", flat=True))
    counts = NeedsCounts(competences, codes, expected.source, list(Region.objects.order_by("name")), levels=levels)
    if not codes:
        return counts
    users = counted_profiles().values("user_id")
    shared = SelfAssessment.objects.shared_in_directory().filter(user__in=users, code__in=list(codes))
    places = _council_regions()
    group_of = {}

    def group(council, category):
        key = (council, category)
        if key not in group_of:
            group_of[key] = (places.get(council, ()), category or NO_CATEGORY)
        return counts.groups.setdefault(group_of[key], defaultdict(int))

    council, category = "user__profile__council", "user__profile__category"
    # One grouped query gives the ratings per group, competence and level: the gaps and the heatmap's cells.
    rows = (
        shared.filter(Q(level__in=levels) | Q(not_concerned=True))
        .values(council, category, "code", "level", "not_concerned")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for row in rows:
        code, level = row["code"], None if row["not_concerned"] else row["level"]
        counts.heatmap[(code, level)] = counts.heatmap.get((code, level), 0) + row["n"]
        if level is None:
            continue
        figures = group(row[council], row[category])
        figures[("rated", code)] += row["n"]
        if level < codes[code]:
            figures[("below", code)] += row["n"]
    members = shared.filter(level__in=levels).values(council, category).annotate(n=Count("user", distinct=True))
    for row in members.order_by():
        group(row[council], row[category])["members"] += row["n"]
    return counts


def _council_regions() -> dict[int | None, tuple[str, ...]]:
    """Each council's regions (INSEE codes; several for a territory across a border)."""
    regions: dict[int, set[str]] = defaultdict(set)
    for council_id, code in Council.departments.through.objects.values_list("council_id", "department__region__code"):
        regions[council_id].add(code)
    return {council: tuple(sorted(codes)) for council, codes in regions.items()}


# --- The publication ----------------------------------------------------------------------------


def _views(counts: NeedsCounts) -> list[tuple[str, str]]:
    regions = [ALL, *(region.code for region in counts.regions), NO_REGION]
    return [(region, category) for region in regions for category in [ALL, *CATEGORIES]]


def _selects(view: tuple[str, str], group: tuple) -> bool:
    region, category = view
    atom, group_category = group
    in_region = region == ALL or (region == NO_REGION and not atom) or region in atom
    return in_region and category in (ALL, group_category)


def _heatmap_states(counts: NeedsCounts) -> Publication:
    """The dashboard heatmap's publication for these competences (dashboard.disclosure.assessment_publication)."""
    publication = Publication()
    for code in counts.expected:
        keys = [(code, level) for level in counts.levels] + [(code, None)]
        figures = [counts.heatmap.get(key, 0) for key in keys]
        if sum(figures) >= MIN_GROUP_SIZE:
            for key, value in zip(keys, figures, strict=True):
                publication.cell(key, value)
            publication.cell((code, "respondents"), sum(figures), rank=5)
            publication.equation((code, "respondents"), keys)
    publication.protect()
    return publication


class NeedsPublication:
    """Every figure of every selection (region × category), protected together."""

    def __init__(self, counts: NeedsCounts):
        self.counts = counts
        self.views = _views(counts)
        groups = counts.groups
        self.members_of = {view: frozenset(group for group in groups if _selects(view, group)) for view in self.views}
        measures = ["members"] + [(name, code) for code in counts.expected for name in ("below", "rated")]
        self.values: dict[tuple, int] = {}
        tiny = {view for view in self.views if self._sum("members", self.members_of[view]) < MIN_GROUP_SIZE}
        # First the whole network's figures on their own (with the heatmap's cells): the ranking is what the
        # page is for, so the breakdowns are masked around it rather than the other way round.
        whole = (ALL, ALL)
        first = Publication()
        for measure in measures:
            value = self._sum(measure, self.members_of[whole])
            first.cell((measure, whole), value, TINY if (measure != "members" and whole in tiny) else PUBLISHED)
        for code in counts.expected:
            first.at_most((("below", code), whole), (("rated", code), whole))
        self._fix_heatmap(first)
        first.protect()
        publication = Publication()
        for measure in measures:
            for group in groups:
                key = (measure, "g", group)
                publication.cell(key, groups[group].get(measure, 0), UNPUBLISHED)
            for view in self.views:
                value = self._sum(measure, self.members_of[view])
                self.values[(measure, view)] = value
                appearance = TINY if (measure != "members" and view in tiny) else PUBLISHED
                rank = 10 * list(view).count(ALL) + (5 if measure == "members" or measure[0] == "rated" else 0)
                settled = first.state((measure, view)) if view == whole else None
                publication.cell((measure, view), value, appearance, rank=rank, state=settled)
                if self.members_of[view]:
                    publication.equation((measure, view), [(measure, "g", group) for group in self.members_of[view]])
            for view in self.views:
                region, category = view
                if category == ALL:
                    parts = [(measure, (region, other)) for other in CATEGORIES]
                    publication.equation((measure, view), parts)
        for code in counts.expected:
            for view in self.views:
                publication.at_most((("below", code), view), (("rated", code), view))
        self._fix_heatmap(publication)
        # A figure about part of a group that reads "moins de 5" is withheld too, zeros included.
        for measure in measures:
            for view in self.views:
                key = (measure, view)
                if publication.reads_small(key) or (view in tiny and measure != "members"):
                    for other in self.views:
                        inner = self.members_of[other]
                        if other != view and inner and inner < self.members_of[view]:
                            publication.include_zeros((measure, other))
        publication.protect()
        self.publication = publication

    @staticmethod
    def _sum_of(groups, measure, members) -> int:
        return sum(groups[group].get(measure, 0) for group in members)

    def _sum(self, measure, members) -> int:
        return self._sum_of(self.counts.groups, measure, members)

    def _fix_heatmap(self, publication: Publication) -> None:
        """The dashboard's heatmap cells, as it publishes them, tied to the whole network's figures here."""
        counts = self.counts
        heatmap = _heatmap_states(counts)
        whole = (ALL, ALL)
        for code, expected in counts.expected.items():
            keys = [(code, level) for level in counts.levels]
            respondents = sum(counts.heatmap.get(key, 0) for key in [*keys, (code, None)])
            if not respondents:
                continue
            if respondents < MIN_GROUP_SIZE:
                # The dashboard shows this row as "moins de 5" whole: nothing about it is told here either.
                publication.include_zeros((("below", code), whole))
                publication.include_zeros((("rated", code), whole))
                continue
            for key in [*keys, (code, None)]:
                publication.cell(("hm", key), counts.heatmap.get(key, 0), state=heatmap.state(key))
            # The heatmap's respondents count the "non concerné·e" too: with it, the members rated here
            # would give the not concerned back.
            total = (code, "respondents")
            publication.cell(("hm", total), respondents, state=heatmap.state(total))
            publication.equation(("hm", total), [("hm", key) for key in [*keys, (code, None)]])
            publication.equation((("rated", code), whole), [("hm", key) for key in keys])
            below = [("hm", (code, level)) for level in counts.levels if level < expected]
            if below:
                publication.equation((("below", code), whole), below)

    def cell(self, measure, view) -> Cell:
        key = (measure, view)
        value = self.values.get(key, 0)
        state = self.publication.state(key)
        return Cell(value) if state == CellState.SHOWN else Cell(None, state)

    def size(self, view) -> int:
        return self.values.get(("members", view), 0)


# --- The tables ---------------------------------------------------------------------------------


@dataclass
class Needs:
    filters: NeedsFilters
    available: bool
    large_enough: bool = False
    members: Cell = field(default_factory=lambda: Cell(0))
    source: str = ""
    ranking: Table | None = None
    chart_table: Table | None = None
    by_category: Table | None = None
    by_region: Table | None = None
    trainings: dict[str, int] = field(default_factory=dict)
    edition: str = ""  # the snapshot's (NeedsSnapshot.edition): "" when nothing is available

    @property
    def ranking_links(self) -> list[tuple[Row, int]]:
        """The ranking's rows, each with the number of published trainings developing its competence."""
        rows = self.ranking.rows if self.ranking is not None else []
        return [(row, self.trainings.get(row.code, 0)) for row in rows]

    def tables(self) -> list[Table]:
        """Every table the page shows, in page order (for the exports)."""
        return [table for table in (self.ranking, self.by_category, self.by_region) if table is not None]


def _label(competence) -> str:
    return f"{competence.code} {competence.title}"


@dataclass(frozen=True)
class Item:
    code: str
    title: str

    @property
    def name(self) -> str:
        return self.title


@dataclass
class NeedsSnapshot:
    """Every published figure of every selection, with its state: what the cache keeps between requests."""

    competences: list[Item]
    expected: dict[str, int]
    source: str
    regions: list[Item]
    cells: dict[tuple, tuple[int, str]]
    edition: str = ""  # this computation's, never the same twice

    def cell(self, measure, view) -> Cell:
        value, state = self.cells.get((measure, view), (0, CellState.SHOWN))
        return Cell(value) if state == CellState.SHOWN else Cell(None, CellState(state))

    def size(self, view) -> int:
        return self.cells.get(("members", view), (0, ""))[0]


def needs_snapshot() -> NeedsSnapshot | None:
    """Count and protect every selection at once (None: nothing is expected, or no référentiel)."""
    counts = needs_counts()
    if counts is None or not counts.competences:
        return None
    publication = NeedsPublication(counts)
    cells = {
        key: (value, str(publication.publication.state(key)))
        for key, value in publication.values.items()
        if publication.publication.has(key)
    }
    return NeedsSnapshot(
        competences=[Item(competence.code, competence.title) for competence in counts.competences],
        expected=counts.expected,
        source=counts.source,
        regions=[Item(region.code, region.name) for region in counts.regions],
        cells=cells,
        edition=secrets.token_hex(8),
    )


def cached_needs_snapshot() -> NeedsSnapshot | None:
    """The snapshot, computed at most once every `CACHE_SECONDS` (the same for the page and its exports)."""
    snapshot = cache.get(CACHE_KEY)
    if snapshot is None:
        snapshot = needs_snapshot() or UNAVAILABLE
        edition = snapshot.edition if snapshot != UNAVAILABLE else secrets.token_hex(8)
        cache.set_many({CACHE_KEY: snapshot, EDITION_KEY: edition}, CACHE_SECONDS)
    return None if snapshot == UNAVAILABLE else snapshot


def needs_forget() -> None:
    """Count again at the next reading (the kept figures and the tables rendered from them)."""
    cache.delete_many([CACHE_KEY, EDITION_KEY])


def training_needs(filters: NeedsFilters) -> Needs:
    """The needs for the selection `filters`, protected with every other selection."""
    counts = publication = cached_needs_snapshot()
    if counts is None:
        return Needs(filters, available=False)
    view = filters.view
    needs = Needs(
        filters, available=True, members=publication.cell("members", view), source=counts.source, edition=counts.edition
    )
    needs.large_enough = publication.size(view) >= MIN_GROUP_SIZE
    if not needs.large_enough:
        return needs
    cells = {
        code: (publication.cell(("below", code), view), publication.cell(("rated", code), view))
        for code in counts.expected
    }
    # Ranked by what is shown only: an order among withheld figures would say which is larger.
    order = sorted(
        counts.competences,
        key=lambda competence: (not cells[competence.code][0].shown, -(cells[competence.code][0].value or 0)),
    )
    ranking = Table(
        key="besoins",
        title=_("Compétences le plus souvent en deçà du niveau attendu"),
        columns=[
            _("Compétence"),
            _("Niveau attendu"),
            _("Membres en deçà"),
            _("Membres qui se sont évalués"),
            _("Part en deçà (%)"),
        ],
        note=_(
            "Un membre est en deçà quand le niveau qu'il ou elle s'attribue est inférieur au niveau attendu par la "
            "fiche commune. Seules les auto-évaluations des membres qui partagent leur poste avec l'équipe et "
            "acceptent d'être trouvés par compétence sont comptées."
        ),
    )
    for competence in order:
        below, rated = cells[competence.code]
        if below.shown and rated.shown and rated.value:
            share = statistic_cell(100 * below.value / rated.value, group_size=rated.value, digits=0)
        else:
            share = Cell(None, below.state if not below.shown else rated.state, statistic=True)
        expected = Cell(counts.expected[competence.code])
        ranking.rows.append(Row(_label(competence), [expected, below, rated, share], code=competence.code))
    needs.ranking = ranking
    needs.chart_table = Table(
        key="besoins-graphique",
        title=_("Membres en deçà du niveau attendu (compétences les plus concernées)"),
        columns=[_("Compétence"), _("Membres en deçà")],
        rows=[Row(row.label, [row.cells[1]], code=row.code) for row in ranking.rows[:CHART_ROWS]],
    )
    region, category = view
    if category == ALL:
        by_category = Table(
            key="categories",
            title=_("Membres en deçà du niveau attendu, par catégorie de poste"),
            columns=[_("Compétence"), *[str(label) for label in Category.labels], _("Catégorie non renseignée")],
        )
        for competence in order:
            row_cells = [publication.cell(("below", competence.code), (region, other)) for other in Category.values]
            row_cells.append(publication.cell(("below", competence.code), (region, NO_CATEGORY)))
            by_category.rows.append(Row(_label(competence), row_cells, code=competence.code))
        needs.by_category = by_category
    if region == ALL:
        top = [competence for competence in order if cells[competence.code][0].value][:REGION_COLUMNS]
        by_region = Table(
            key="regions",
            title=_("Membres en deçà du niveau attendu, par région"),
            columns=[_("Région"), _("Membres qui se sont évalués"), *[competence.code for competence in top]],
            note=_(
                "Colonnes : les compétences le plus souvent en deçà dans la sélection. Un conseil dont le territoire "
                "s'étend sur deux régions est compté dans chacune."
            ),
        )
        places = [(item.code, item.name) for item in counts.regions] + [(NO_REGION, _("Conseil non renseigné"))]
        for code, name in places:
            place_view = (code, category)
            members = publication.cell("members", place_view)
            if members.shown and not members.value:
                row_cells = [members, *[Cell(0) for _competence in top]]
            elif publication.size(place_view) < MIN_GROUP_SIZE:
                row_cells = [members, *small_cells(len(top))]
            else:
                row_cells = [members, *[publication.cell(("below", item.code), place_view) for item in top]]
            by_region.rows.append(Row(name, row_cells, code=code))
        needs.by_region = by_region
    needs.trainings = trainings_by_code(list(counts.expected))
    return needs


def trainings_by_code(codes: list[str]) -> dict[str, int]:
    """How many published trainings of the catalogue develop each competence of `codes` (one query)."""
    rows = (
        TrainingCompetence.objects.filter(code__in=codes, training__in=Training.objects.published())
        .values("code")
        .annotate(n=Count("training", distinct=True))
        .order_by()
    )
    return {row["code"]: row["n"] for row in rows}
