"""The tables every figure of the dashboard is made of: the counts of selectors.py, as a page may show them.

A count between 1 and 4 describes so few members that they could be recognised: it is shown as
"moins de 5". A withheld count must not be worked out from the figures that are shown (a total
minus the other rows, the whole network minus the other regions, another filter…): the cells
that would allow it are "masqué" as well (complementary suppression, disclosure.py, applied to
every view of the dashboard at once). Averages and medians computed over fewer than 5 members are
never shown. Every output (page, chart, CSV, XLSX, PDF, public key figures) reads these tables,
so the rule is applied once, here.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from competences.models import FrameworkVersion, ScaleLevel
from core.figures.disclosure import MIN_GROUP_SIZE, CellState, DisclosureError, Publication
from core.figures.tables import (
    Cell,
    Row,
    Table,
    count_cell,
    small_cells,
    statistic_cell,
)
from dashboard.disclosure import (
    assessment_publication,
    network_publication,
    participation_publication,
    post_publication,
    territory_publication,
    training_publication,
)
from dashboard.selectors import (
    ALL,
    NO_COUNCIL,
    POST_BREAKDOWNS,
    TRAINING_THEMES,
    WHOLE_NETWORK,
    AssessmentCounts,
    DashboardFilters,
    MemberCounts,
    NetworkCounts,
    ParticipationCounts,
    PopulationTotals,
    frequency_mean,
    frequency_median,
    network_members,
    participation_counts,
    population_totals,
    post_counts,
    self_assessment_counts,
    sharing_post,
    sharing_post_with_members,
    time_share_frequencies,
    training_counts,
    view_of,
)
from fiches.selectors import ExpectedLevels, expected_levels
from members.enums import TerritoryKind
from members.models import Profile, Region
from missions.models import Mission

# --- Cells read back from a publication ----------------------------------------------------------


def _published_cell(publication: Publication, key: tuple, value: int) -> Cell:
    """A count as the publication shows it; a figure it does not hold is a zero no member is behind."""
    if not publication.has(key):
        if value:
            raise DisclosureError(f"{key!r} is published without being protected")
        return Cell(0)
    state = publication.state(key)
    return Cell(value) if state == CellState.SHOWN else Cell(None, state)


class Figures:
    """The counts of one population (`view`: the population the filters select) and their states."""

    def __init__(self, publication: Publication, values: dict[str, dict[tuple, int]], view: tuple, key=None):
        self.publication = publication
        self.values = values
        self.view = view
        self.key = key or (lambda population: population)
        self.population = self.key(view)

    def of(self, view: tuple) -> "Figures":
        """The figures of another population of the same publication."""
        return Figures(self.publication, self.values, view, self.key)

    def value(self, name: str) -> int:
        return self.values.get(name, {}).get(self.population, 0)

    def cell(self, name: str) -> Cell:
        return _published_cell(self.publication, (name, self.population), self.value(name))

    def state(self, name: str) -> CellState:
        key = (name, self.population)
        return self.publication.state(key) if self.publication.has(key) else CellState.SHOWN


def _of_one(counts: dict[str, int]) -> dict[str, dict[tuple, int]]:
    """The counts of one population on its own, as the whole network's: {figure: {WHOLE_NETWORK: count}}."""
    return {name: {WHOLE_NETWORK: count} for name, count in counts.items()}


# --- Headline figures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    members: Cell
    councils: Cell
    regions: Cell
    median_time_share: Cell
    average_time_share: Cell
    large_enough: bool


def _overview(
    members: Cell, totals: PopulationTotals, shares: dict[int, int], *, time_state: CellState | None
) -> Overview:
    """The headline figures; `time_state` is how the number of time shares given is published (None: on its own)."""
    if totals.members < MIN_GROUP_SIZE:
        withheld = count_cell(min(totals.members, 1))
        return Overview(withheld, withheld, withheld, withheld.as_statistic(), withheld.as_statistic(), False)
    sharing = sum(shares.values())
    if time_state is not None and time_state != CellState.SHOWN:
        # The time shares behind the median are withheld (fewer than 5, or masked so that the sum of
        # a smaller group cannot be worked out): the median and average go with them.
        median = average = Cell(None, time_state, statistic=True)
    else:
        median = statistic_cell(frequency_median(shares), group_size=sharing, digits=0)
        average = statistic_cell(frequency_mean(shares), group_size=sharing, digits=0)
    return Overview(
        members=members,
        # Councils and regions are places, not people: a small number of them identifies nobody.
        councils=Cell(totals.councils),
        regions=Cell(totals.regions),
        median_time_share=median,
        average_time_share=average,
        large_enough=True,
    )


def headline(totals: PopulationTotals, shares: dict[int, int]) -> Overview:
    """Headline figures of one population on its own (`shares`: {time share: members}), withheld below 5 members."""
    return _overview(count_cell(totals.members), totals, shares, time_state=None)


def overview(profiles: QuerySet[Profile]) -> Overview:
    """Headline figures of one population on its own; nothing is shown when it is smaller than the threshold."""
    return headline(population_totals(profiles), time_share_frequencies(sharing_post(profiles)))


# --- Where members work -------------------------------------------------------------------------


def members_by_region(figures: Figures, regions: list[Region]) -> Table:
    """Members per region of their council (a council over two regions counts in both)."""
    _tag, region_filter, kind = figures.view
    table = Table(
        key="regions",
        title=_("Membres par région"),
        columns=[_("Région"), _("Membres")],
        note=_("Un conseil dont le territoire s'étend sur deux régions est compté dans chacune."),
    )
    for region in regions:
        if region_filter in (ALL, region.code):
            population = ("v", region.code, kind)
        else:  # members of the selected region also counted in this one
            population = ("o", *sorted([region_filter, region.code]), kind)
        table.rows.append(Row(region.name, [figures.of(population).cell("members")], code=region.code))
    table.rows.append(Row(_("Conseil non renseigné"), [_no_council_cell(figures)]))
    return table


def members_by_kind(figures: Figures) -> Table:
    """Members per kind of territory of their council."""
    _tag, region, kind_filter = figures.view
    table = Table(
        key="territoires",
        title=_("Membres par type de territoire"),
        columns=[_("Type de territoire"), _("Membres")],
    )
    for value, label in TerritoryKind.choices:
        # A council has one kind: under a kind filter, the other kinds are empty.
        cell = figures.of(("v", region, value)).cell("members") if kind_filter in (ALL, value) else Cell(0)
        table.rows.append(Row(str(label), [cell], code=value))
    table.rows.append(Row(_("Conseil non renseigné"), [_no_council_cell(figures)]))
    return table


def _no_council_cell(figures: Figures) -> Cell:
    if figures.view != WHOLE_NETWORK:
        return Cell(0)  # a filter keeps the members of a council only
    return figures.of(NO_COUNCIL).cell("members")


# --- The post -----------------------------------------------------------------------------------

# The title and first column of the table of each post breakdown (selectors.POST_BREAKDOWNS).
POST_TITLES = {
    "temps": (gettext_lazy("Part du temps consacrée au conseil"), gettext_lazy("Part du temps")),
    "anciennete": (gettext_lazy("Ancienneté dans le poste"), gettext_lazy("Années en poste")),
    "statut": (gettext_lazy("Statut"), gettext_lazy("Statut")),
    "categorie": (gettext_lazy("Catégorie"), gettext_lazy("Catégorie")),
}


@dataclass(frozen=True)
class PostFigures:
    sharing: int
    time_share: Table
    years_in_post: Table
    employment_status: Table
    category: Table
    # How many members share their post facts, as the page may say it.
    sharing_cell: Cell = field(default_factory=lambda: Cell(None, CellState.SMALL))


def _post_tables(figures: Figures) -> PostFigures:
    sharing = figures.value("sharing")
    tables = []
    for key, rows in POST_BREAKDOWNS.items():
        title, column = POST_TITLES[key]
        # Below the threshold even a zero would tell something about the few members left.
        cells = [figures.cell(name) for name, _label in rows] if sharing >= MIN_GROUP_SIZE else small_cells(len(rows))
        table_rows = [Row(str(label), [cell], code=name) for (name, label), cell in zip(rows, cells, strict=True)]
        tables.append(Table(key=key, title=str(title), columns=[str(column), _("Membres")], rows=table_rows))
    sharing_cell = figures.cell("sharing") if sharing >= MIN_GROUP_SIZE else Cell(None, CellState.SMALL)
    return PostFigures(sharing, *tables, sharing_cell=sharing_cell)


def post_tables(counts: dict[str, int]) -> PostFigures:
    """The post breakdowns of one population on its own, from its counts (selectors.post_counts)."""
    values = _of_one(counts)
    return _post_tables(Figures(post_publication(values), values, WHOLE_NETWORK))


def post_figures(profiles: QuerySet[Profile], *, today: date | None = None) -> PostFigures:
    """Time share bands, years in post, status and catégorie of one population on its own."""
    return post_tables(post_counts(profiles, today=today))


# --- Self-assessment ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Heatmap:
    version: FrameworkVersion | None
    levels: list[ScaleLevel]
    table: Table
    # Raw counts {code: {level: members}}, for derived tables that apply the rule themselves.
    counts: dict[str, dict[int, int]] = field(default_factory=dict)


def heatmap_table(assessment: AssessmentCounts) -> Heatmap:
    """Members per competence and level, with the average level: each row protected with its respondents."""
    columns = [_("Compétence")]
    table = Table(key="autoevaluation", title=_("Auto-évaluation : membres par compétence et niveau"), columns=columns)
    if assessment.version is None:
        return Heatmap(None, [], table)
    levels = assessment.levels
    columns += [f"{level.value}. {level.label}" for level in levels]
    columns += [_("Non concerné·e"), _("Répondant·es"), _("Niveau moyen")]
    publication = assessment_publication(assessment)
    for competence in assessment.competences:
        figures = assessment.row(competence.code)
        per_level = figures[: len(levels)]
        respondents = sum(figures)
        rated = sum(per_level)
        if 0 < respondents < MIN_GROUP_SIZE:
            cells = [*small_cells(len(per_level) + 2), Cell(None, CellState.SMALL, statistic=True)]
        elif not respondents:
            cells = [Cell(0) for _figure in figures] + [Cell(0), statistic_cell(None, group_size=0)]
        else:
            keys = assessment.keys(competence.code)
            cells = [_published_cell(publication, key, value) for key, value in zip(keys, figures, strict=True)]
            cells.append(_published_cell(publication, (competence.code, "respondents"), respondents))
            if any(not cell.shown for cell in cells[: len(per_level)]):
                # With the other counts, the average would give the withheld ones away.
                cells.append(Cell(None, CellState.MASKED, statistic=True))
            else:
                average = (
                    sum(level.value * n for level, n in zip(levels, per_level, strict=True)) / rated if rated else None
                )
                cells.append(statistic_cell(average, group_size=rated))
        table.rows.append(Row(f"{competence.code} {competence.title}", cells, code=competence.code))
    return Heatmap(assessment.version, levels, table, assessment.by_code())


def self_assessment_heatmap(profiles: QuerySet[Profile]) -> Heatmap:
    """The self-assessment heatmap of `profiles` (selectors.self_assessment_counts: who is counted)."""
    return heatmap_table(self_assessment_counts(profiles))


def expected_level_gaps(heatmap: Heatmap, expected: ExpectedLevels | None) -> Table | None:
    """Per competence the fiche expects: members at or above the expected level, members below, average gap."""
    if expected is None or not heatmap.levels:
        return None
    table = Table(
        key="ecarts",
        title=_("Écart au niveau attendu par la fiche commune"),
        columns=[
            _("Compétence"),
            _("Niveau attendu"),
            _("Au niveau attendu ou au-delà"),
            _("En deçà"),
            _("Part au niveau attendu (%)"),
            _("Écart moyen (niveaux)"),
        ],
    )
    for row in heatmap.table.rows:
        level = expected.levels.get(row.code)
        if level is None:
            continue
        counts = heatmap.counts.get(row.code, {})
        reached = sum(n for value, n in counts.items() if value >= level)
        below = sum(n for value, n in counts.items() if value < level)
        rated = reached + below
        gap = sum((value - level) * n for value, n in counts.items()) / rated if rated else None
        if 0 < rated < MIN_GROUP_SIZE:
            cells = [*small_cells(2), *[Cell(None, CellState.SMALL, statistic=True)] * 2]
        elif any(not cell.shown for cell in row.cells[: len(heatmap.levels)]):
            # Sums and averages of heatmap counts, one of them withheld: shown beside the heatmap,
            # they would give that count away by subtraction.
            cells = [Cell(None, CellState.MASKED)] * 2 + [Cell(None, CellState.MASKED, statistic=True)] * 2
        else:
            share = round(100 * reached / rated) if rated else None
            cells = [Cell(reached), Cell(below), Cell(share, statistic=True), statistic_cell(gap, group_size=rated)]
        table.rows.append(Row(row.label, [Cell(level), *cells], code=row.code))
    return table


# --- Declared missions -------------------------------------------------------------------------


def _missions_table(figures: Figures, missions: list[Mission]) -> Table:
    """Per mission: members who declare it and the average time share they give it (shown with the count only)."""
    declaring = figures.cell("declaring")
    if declaring.state not in (CellState.MASKED, CellState.WITHDRAWN):
        note = _("%(count)s membres ont déclaré au moins une mission ; une même personne en déclare souvent plusieurs.")
        note %= {"count": declaring.export_value()}
    else:
        note = _(
            "Le nombre de membres qui ont déclaré au moins une mission est masqué (secret secondaire) ; une même "
            "personne en déclare souvent plusieurs."
        )
    table = Table(
        key="missions",
        title=_("Missions déclarées"),
        columns=[_("Mission"), _("Membres qui la déclarent"), _("Part moyenne du temps de travail (%)")],
        note=note,
    )
    for mission in missions:
        count = figures.cell(f"mission:{mission.code}")
        if count.shown and count.value:
            average = Cell(round(figures.value(f"mission_sum:{mission.code}") / count.value), statistic=True)
        elif count.shown:
            average = Cell(None, statistic=True)
        else:  # the sum of time shares behind the average is withheld with the count
            average = Cell(None, count.state, statistic=True)
        table.rows.append(Row(f"{mission.code} {mission.title}", [count, average], code=mission.code))
    return table


# --- Participation in the common fiche ---------------------------------------------------------


def _participation_table(figures: Figures, starts: list[datetime]) -> Table:
    table = Table(
        key="participation",
        title=_("Participation à la fiche commune par mois"),
        columns=[_("Mois"), _("Propositions"), _("Commentaires"), _("Contributeur·rices")],
        note=_("Un mois où moins de 5 membres ont contribué n'est pas détaillé."),
    )
    for index, start in enumerate(starts):
        contributors = figures.cell(f"contributors:{index}")
        cells = [figures.cell(f"proposals:{index}"), figures.cell(f"comments:{index}"), contributors]
        if contributors.state == CellState.SMALL:
            cells = small_cells(3)
        elif not all(cell.shown for cell in cells):
            cells = [Cell(None, CellState.MASKED)] * 3
        table.rows.append(Row(date_format(start, "F Y"), cells, code=date_format(start, "N Y")))
    return table


def participation_table(participation: ParticipationCounts) -> Table:
    """The participation per month of one population on its own, from its counts."""
    values = _of_one({**participation.counts, "members": participation.members})
    publication = participation_publication(values, len(participation.starts))
    return _participation_table(Figures(publication, values, WHOLE_NETWORK), participation.starts)


def fiche_participation(profiles: QuerySet[Profile], *, months: int = 12, today: date | None = None) -> Table:
    """Suggestions, comments and contributors per month over the last `months` months, for one population on its own."""
    return participation_table(participation_counts(profiles, months=months, today=today))


# --- Training wishes ----------------------------------------------------------------------------


def _training_table(figures: Figures) -> Table:
    """Members whose training wishes mention each theme, the most cited first (among the figures shown)."""
    writers = figures.cell("writers")
    note = _(
        "Thèmes repérés dans le texte libre « besoins de formation » ; une même personne peut citer plusieurs thèmes."
    )
    if writers.state in (CellState.MASKED, CellState.WITHDRAWN):
        note += " " + _("Le nombre de membres qui ont décrit leurs besoins est masqué (secret secondaire).")
    else:
        count = writers.export_value()
        note += " " + _("%(count)s membres ont décrit leurs besoins.") % {"count": count}
    table = Table(
        key="formation", title=_("Besoins de formation les plus cités"), columns=[_("Thème"), _("Membres")], note=note
    )
    cells = {key: figures.cell(f"theme:{key}") for key, _label, _words in TRAINING_THEMES}
    # Ranked by what is shown only: an order among withheld figures would say which is larger.
    ranked = sorted(
        TRAINING_THEMES,
        key=lambda theme: (not cells[theme[0]].shown, -(cells[theme[0]].value or 0), str(theme[1])),
    )
    for key, label, _words in ranked:
        table.rows.append(Row(str(label), [cells[key]], code=key))
    return table


def training_table(counts: dict[str, int]) -> Table:
    """The training themes of one population on its own, from its counts (selectors.training_counts)."""
    values = _of_one(counts)
    return _training_table(Figures(training_publication(values), values, WHOLE_NETWORK))


def training_wishes(profiles: QuerySet[Profile]) -> Table:
    """Members whose training wishes mention each theme, for one population on its own."""
    return training_table(training_counts(profiles))


# --- The whole dashboard ------------------------------------------------------------------------


@dataclass(frozen=True)
class Dashboard:
    filters: DashboardFilters
    overview: Overview
    regions: Table
    kinds: Table
    post: PostFigures | None
    heatmap: Heatmap | None
    training: Table | None
    missions: Table | None = None
    expected: ExpectedLevels | None = None
    gaps: Table | None = None
    participation: Table | None = None
    # Under a filter, the heatmap and the gaps (one row per competence) are not published.
    filtered: bool = False

    def tables(self) -> list[Table]:
        """Every table, in page order (for the exports)."""
        tables = [self.regions, self.kinds]
        if self.post is not None:
            tables += [
                self.post.time_share,
                self.post.years_in_post,
                self.post.employment_status,
                self.post.category,
            ]
        if self.missions is not None:
            tables.append(self.missions)
        if self.heatmap is not None:
            tables.append(self.heatmap.table)
        if self.gaps is not None:
            tables.append(self.gaps)
        if self.training is not None:
            tables.append(self.training)
        if self.participation is not None:
            tables.append(self.participation)
        return tables


class NetworkTables:
    """The tables of every view of the dashboard, protected together.

    The member counts are protected first, on their own (the public key figures show the whole
    network's); then every other figure, those counts fixed.
    """

    def __init__(self, *, today: date | None = None):
        self.counts = NetworkCounts(today=today)
        members = self.counts.members
        self.publication = network_publication(self.counts, territory_publication(members.territory, members.values))

    def dashboard(self, filters: DashboardFilters) -> Dashboard:
        counts = self.counts
        population = view_of(filters)
        figures = Figures(self.publication, counts.values, population, counts.territory.key)
        region_table = members_by_region(figures, counts.members.regions)
        kind_table = members_by_kind(figures)
        totals = counts.members.totals(population)
        if totals.members < MIN_GROUP_SIZE:
            # A population this small would be described by any figure, even a zero (which says where
            # they are not): only the map and the two territory tables remain, every cell withheld.
            for table in (region_table, kind_table):
                for row in table.rows:
                    row.cells = small_cells(len(row.cells))
            headline = _overview(figures.cell("members"), totals, {}, time_state=None)
            return Dashboard(filters, headline, region_table, kind_table, None, None, None)
        shares: dict[int, int] = {}
        if figures.state("time_sum") == CellState.SHOWN:
            shares = time_share_frequencies(sharing_post(network_members(filters)))
        headline = _overview(figures.cell("members"), totals, shares, time_state=figures.state("time_sum"))
        heatmap = expected = gaps = None
        whole = population == WHOLE_NETWORK
        if whole:
            heatmap = heatmap_table(self_assessment_counts(network_members(), version=counts.version))
            expected = expected_levels()
            gaps = expected_level_gaps(heatmap, expected)
        return Dashboard(
            filters=filters,
            overview=headline,
            regions=region_table,
            kinds=kind_table,
            post=_post_tables(figures),
            heatmap=heatmap,
            training=_training_table(figures),
            missions=_missions_table(figures, counts.missions) if counts.version else None,
            expected=expected,
            gaps=gaps,
            participation=_participation_table(figures, counts.starts),
            filtered=not whole,
        )


def network_dashboard(filters: DashboardFilters, *, today: date | None = None) -> Dashboard:
    """Every figure of the dashboard for `filters`, protected with those of every other view."""
    return NetworkTables(today=today).dashboard(filters)


def key_figures() -> Overview:
    """The public, non-identifying figures of the whole network.

    The member count is the dashboard's, protected the same way (territory_publication). The
    median time share only counts members whose post facts every member may see: members read
    this page and have the directory.
    """
    members = MemberCounts()
    publication = territory_publication(members.territory, members.values)
    shares = time_share_frequencies(sharing_post_with_members(network_members()))
    figures = Figures(publication, {"members": members.values}, WHOLE_NETWORK, members.territory.key)
    return _overview(figures.cell("members"), members.totals(WHOLE_NETWORK), shares, time_state=None)


# --- What members may read ----------------------------------------------------------------------


@dataclass(frozen=True)
class MembersFigures:
    """The figures of the whole network members may read (members_figures)."""

    post: PostFigures
    median_time_share: Cell
    heatmap: Heatmap
    expected: ExpectedLevels | None
    gaps: Table | None


def members_figures(*, today: date | None = None) -> MembersFigures:
    """The network's figures a member may read, to argue about their post with their employer.

    Members have the directory: every figure counts only the members whose post facts every member
    may see (and, for the levels, whose self-assessment the directory lets members find), protected
    as on the dashboard (small counts withheld, complementary suppression). The median time share is
    the public key figures' own.
    """
    profiles = sharing_post_with_members(network_members())
    heatmap = self_assessment_heatmap(profiles)
    expected = expected_levels()
    return MembersFigures(
        post=post_figures(profiles, today=today),
        median_time_share=key_figures().median_time_share,
        heatmap=heatmap,
        expected=expected,
        gaps=expected_level_gaps(heatmap, expected),
    )
