"""Reads behind the network dashboard: every figure is aggregated in the database, then protected.

Who is counted: approved technicians (not the CNCD team). A figure only uses what the people who
can read it, and cross it with the directory's filters, may see on the profiles one by one: the
dashboard (read by the CNCD team) counts post facts, declared missions and self-assessments only
for members who show their post group to the team at least, and training wishes only for those
who show their "about" group to the team; the public key figures (read by members too, who have
the directory) use the post facts members may see. A figure therefore never tells what a filter
of the directory would not show anyway.

The dashboard is published under every filter a curator can choose (a region or all, a kind of
territory or all). All these views are computed together, from counts per council (one grouped
query per table, whatever the number of members), and protected together (disclosure.py): no
count from 1 to 4 can be worked out from one view's figures, from several views, or with the
public key figures. The self-assessment heatmap and the gap to the expected levels, with one row
per competence, are published for the whole network only.
"""

import calendar
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time
from itertools import combinations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import TruncMonth, Upper
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from codev_network.dashboard.disclosure import PUBLISHED, TINY, UNPUBLISHED, DisclosureError, Publication
from codev_network.dashboard.tables import (
    MIN_GROUP_SIZE,
    Cell,
    CellState,
    Row,
    Table,
    count_cell,
    small_cells,
    statistic_cell,
)
from competences.models import Competence, FrameworkVersion, Mission, ScaleLevel, SelfAssessment
from fiches.enums import SectionKind
from fiches.models import COMMON_FICHE_SLUG, Comment, Fiche, FicheVersion, Section, Suggestion, VersionEntry
from members.enums import (
    AUDIENCE_VISIBILITIES,
    TIME_SHARE_BOUNDS,
    Audience,
    Category,
    EmploymentStatus,
    Role,
    TerritoryKind,
    TimeShareBand,
    Visibility,
)
from members.models import Council, Profile, Region
from missions.models import MissionDeclaration


@dataclass(frozen=True)
class DashboardFilters:
    region: Region | None = None
    kind: str = ""


def network_members(filters: DashboardFilters | None = None) -> QuerySet[Profile]:
    """Profiles of approved technicians (not the CNCD team), narrowed by `filters`."""
    profiles = Profile.objects.approved().filter(user__role=Role.MEMBER).order_by()
    if filters is None:
        return profiles
    if filters.region:
        profiles = profiles.in_region(filters.region)
    if filters.kind:
        profiles = profiles.of_kind(filters.kind)
    return profiles


def sharing_post(profiles: QuerySet[Profile]) -> QuerySet[Profile]:
    """Profiles whose post facts (declared missions and self-assessments included) the CNCD team may see.

    The directory's filters on these facts match the same profiles for the team (members.models,
    `with_post_visible_to`): a figure counting anyone else could be crossed with them.
    """
    return profiles.exclude(post_visibility=Visibility.HIDDEN)


def sharing_post_with_members(profiles: QuerySet[Profile]) -> QuerySet[Profile]:
    """Profiles whose post facts every member may see (the public figures: members read them too)."""
    return profiles.filter(post_visibility__in=AUDIENCE_VISIBILITIES[Audience.MEMBER])


def sharing_about(profiles: QuerySet[Profile]) -> QuerySet[Profile]:
    """Profiles whose "about" texts (training wishes…) the CNCD team may see."""
    return profiles.exclude(about_visibility=Visibility.HIDDEN)


# --- Headline figures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Overview:
    members: Cell
    councils: Cell
    regions: Cell
    median_time_share: Cell
    average_time_share: Cell
    large_enough: bool


def overview(profiles: QuerySet[Profile]) -> Overview:
    """Headline counts of one population on its own; nothing is shown when it is smaller than the threshold."""
    totals = profiles.aggregate(
        members=Count("pk", distinct=True),
        councils=Count("council", distinct=True),
        regions=Count("council__departments__region", distinct=True),
    )
    return _overview(
        count_cell(totals["members"]), totals, time_share_frequencies(sharing_post(profiles)), time_state=None
    )


def _overview(members: Cell, totals: dict, shares: dict[int, int], *, time_state: CellState | None) -> Overview:
    """The headline figures; `time_state` is how the number of time shares given is published (None: on its own)."""
    if totals["members"] < MIN_GROUP_SIZE:
        withheld = count_cell(min(totals["members"], 1))
        return Overview(withheld, withheld, withheld, withheld, withheld, False)
    sharing = sum(shares.values())
    if time_state is not None and time_state != CellState.SHOWN:
        # The time shares behind the median are withheld (fewer than 5, or masked so that the sum of
        # a smaller group cannot be worked out): the median and average go with them.
        median = average = Cell(None, time_state)
    else:
        median = statistic_cell(_median(shares), group_size=sharing, digits=0)
        average = statistic_cell(_mean(shares), group_size=sharing, digits=0)
    return Overview(
        members=members,
        # Councils and regions are places, not people: a small number of them identifies nobody.
        councils=Cell(totals["councils"]),
        regions=Cell(totals["regions"]),
        median_time_share=median,
        average_time_share=average,
        large_enough=True,
    )


def time_share_frequencies(profiles: QuerySet[Profile]) -> dict[int, int]:
    """How many members give each time share (at most 101 rows, whatever the network's size)."""
    rows = profiles.filter(time_share__isnull=False).values("time_share").annotate(n=Count("pk")).order_by()
    return {row["time_share"]: row["n"] for row in rows}


def _median(frequencies: dict[int, int]) -> float | None:
    """The median of values given as {value: how many}, walking the (at most 101) distinct values."""
    total = sum(frequencies.values())
    if not total:
        return None
    ranks = [(total - 1) // 2, total // 2]  # the middle rank, or the two middle ones
    found, seen = [], 0
    for value, count in sorted(frequencies.items()):
        seen += count
        while len(found) < 2 and ranks[len(found)] < seen:
            found.append(value)
    return sum(found) / 2


def _mean(frequencies: dict[int, int]) -> float | None:
    total = sum(frequencies.values())
    return sum(value * count for value, count in frequencies.items()) / total if total else None


# --- Where members count: the populations the filters select ------------------------------------

ALL = ""  # no filter on this dimension
NO_COUNCIL = ("n",)  # the members who gave no council: counted in the whole network only
WHOLE_NETWORK = ("v", ALL, ALL)


def view_of(filters: DashboardFilters | None) -> tuple:
    """The population `filters` select: ("v", region INSEE code or ALL, kind of territory or ALL)."""
    if filters is None:
        return WHOLE_NETWORK
    return ("v", filters.region.code if filters.region else ALL, filters.kind or ALL)


def council_places() -> dict[int, tuple[tuple[str, ...], str]]:
    """Every council's regions (INSEE codes: one, or several for a territory across a border) and kind."""
    regions: dict[int, set[str]] = defaultdict(set)
    for council_id, code in Council.departments.through.objects.values_list("council_id", "department__region__code"):
        regions[council_id].add(code)
    return {pk: (tuple(sorted(regions[pk])), kind) for pk, kind in Council.objects.values_list("pk", "kind")}


class Territory:
    """Every population the dashboard's filters select, and the sums that tie them.

    An atom gathers the members of the councils with the same regions and kind of territory. A view
    (a region or all, a kind or all) adds up the atoms it selects. A council over two regions counts
    in both: the regions of a kind add up to the kind through the atoms ("a", regions, kind), which
    are never published by themselves. Populations made of the same members (a region whose
    councils are all of one kind and that region's view of that kind, say) are one population,
    under the key of the widest view (`key`): the same figure, shown in several views, is one cell.
    `lines` are the sums every figure follows (total, parts), views and atoms alike; `overlaps`
    are the members counted in two regions at once, which the table of members per region shows
    under a region filter; `inside` lists, for each population, the smaller ones it holds.
    """

    def __init__(self, region_codes: list[str], kinds: list[str], places: dict, members: dict):
        self.region_codes = list(region_codes)
        self.kinds = list(kinds)
        self.places = places
        self.atoms = sorted({places[council] for council, count in members.items() if council is not None and count})
        self.has_no_council = bool(members.get(None))
        atoms = self.atoms

        def selected(key) -> frozenset:
            if key == NO_COUNCIL:
                return frozenset({NO_COUNCIL}) if self.has_no_council else frozenset()
            if key[0] == "v":
                _tag, region, kind = key
                chosen = {atom for atom in atoms if region in (ALL, *atom[0]) and kind in (ALL, atom[1])}
                if region == ALL and kind == ALL and self.has_no_council:
                    chosen.add(NO_COUNCIL)
            elif key[0] == "a":
                _tag, regions, kind = key
                chosen = {atom for atom in atoms if atom[0] == regions and kind in (ALL, atom[1])}
            else:
                _tag, first, second, kind = key
                chosen = {atom for atom in atoms if {first, second} <= set(atom[0]) and kind in (ALL, atom[1])}
            return frozenset(chosen)

        # The widest view first: it names the population.
        views = [("v", region, kind) for region in (ALL, *self.region_codes) for kind in (ALL, *self.kinds)]
        views.sort(key=lambda key: -[key[1], key[2]].count(ALL))
        atom_keys = [("a", regions, kind) for regions in sorted({a[0] for a in atoms}) for kind in (*self.kinds, ALL)]
        crossing = [atom for atom in atoms if len(atom[0]) > 1]
        overlap_keys = sorted(
            {
                ("o", *pair, kind)
                for regions, atom_kind in crossing
                for pair in combinations(regions, 2)
                for kind in (ALL, atom_kind)
            }
        )
        self.canonical: dict[tuple, tuple] = {}
        named: dict[frozenset, tuple] = {}
        for key in [*views, NO_COUNCIL, *atom_keys, *overlap_keys]:
            members_of = selected(key)
            if members_of:
                self.canonical[key] = named.setdefault(members_of, key)
        self.populations = list(dict.fromkeys(self.canonical.values()))
        # Which populations hold which others (as bit sets of atoms).
        bit = {atom: 1 << number for number, atom in enumerate([*atoms, NO_COUNCIL])}
        masks = {key: sum(bit[atom] for atom in members_of) for members_of, key in named.items()}
        self.inside: dict[tuple, list[tuple]] = {
            key: [other for other, other_mask in masks.items() if other_mask != mask and other_mask & ~mask == 0]
            for key, mask in masks.items()
        }
        self.overlap_keys = [key for key in overlap_keys if key in self.canonical]

        lines: dict[tuple, None] = {}

        def line(total, parts) -> None:
            total = self.canonical[total]
            parts = tuple(sorted({self.canonical[part] for part in parts if part in self.canonical}))
            if parts and parts != (total,):
                lines.setdefault((total, parts), None)

        for kind in (ALL, *self.kinds):
            sets = sorted({regions for regions, atom_kind in atoms if kind in (ALL, atom_kind)})
            if not sets and not (kind == ALL and self.has_no_council):
                continue
            line(("v", ALL, kind), [("a", regions, kind) for regions in sets] + [NO_COUNCIL] * (kind == ALL))
            for region in self.region_codes:
                over = [("a", regions, kind) for regions in sets if region in regions]
                if over:
                    line(("v", region, kind), over)
        for region in (ALL, *self.region_codes):
            if ("v", region, ALL) in self.canonical:
                line(("v", region, ALL), [("v", region, kind) for kind in self.kinds] + [NO_COUNCIL] * (region == ALL))
        for regions in sorted({regions for regions, _kind in atoms}):
            line(("a", regions, ALL), [("a", regions, kind) for kind in self.kinds])
        for key in overlap_keys:
            _tag, first, second, kind = key
            line(key, [("a", regions, kind) for regions, atom_kind in crossing if {first, second} <= set(regions)])
        self.lines = [(total, list(parts)) for total, parts in lines]
        # Where councils cross a border, the regions of a kind add up to the kind plus the members
        # counted twice: a reader adds the regions' figures and subtracts. ("Σ", kind) is that sum
        # over the regions (a piece of arithmetic, not a population): one sum gives it from the
        # regions, the other from the kind and the councils over several regions.
        self.region_sums: list[tuple] = []
        for kind in (ALL, *self.kinds):
            over = sorted({regions for regions, atom_kind in crossing if kind in (ALL, atom_kind)})
            if not over:
                continue
            outside = sorted({regions for regions, atom_kind in atoms if not regions and kind in (ALL, atom_kind)})
            aux = ("Σ", kind)
            by_region = [
                self.canonical[("v", region, kind)]
                for region in self.region_codes
                if ("v", region, kind) in self.canonical
            ]
            by_region += [self.canonical[("a", regions, kind)] for regions in outside]
            by_region += [NO_COUNCIL] * (kind == ALL and self.has_no_council)
            twice = [self.canonical[("a", regions, kind)] for regions in over for _extra in range(len(regions) - 1)]
            self.lines += [(aux, by_region), (aux, [self.canonical[("v", ALL, kind)], *twice])]
            self.region_sums.append(aux)
        self.populations += self.region_sums

    def key(self, population: tuple) -> tuple:
        """The key of the figures of `population` (a population nobody is in keeps its own: all zeros)."""
        return self.canonical.get(population, population)

    def spread(self, by_council: dict) -> dict[tuple, int]:
        """{population: figure} from {council id (None: no council): figure}."""
        values: dict[tuple, int] = defaultdict(int)
        known = set(self.atoms)
        for council, value in by_council.items():
            if not value:
                continue
            if council is None:
                if self.has_no_council:
                    values[NO_COUNCIL] += value
                    values[WHOLE_NETWORK] += value
                continue
            place = self.places.get(council)
            if place not in known:
                continue  # a council with no member a moment ago: counted at the next reading
            regions, kind = place
            for atom_kind in (kind, ALL):
                values[("a", regions, atom_kind)] += value
                values[("v", ALL, atom_kind)] += value
                for region in regions:
                    values[("v", region, atom_kind)] += value
        for aux in self.region_sums:
            kind = aux[1]
            values[aux] = sum(values[("v", region, kind)] for region in self.region_codes)
            values[aux] += sum(
                values[("a", (), atom_kind)]
                for regions, atom_kind in self.atoms
                if not regions and kind in (ALL, atom_kind)
            )
            values[aux] += values[NO_COUNCIL] if kind == ALL else 0
        for key in self.canonical:
            if key[0] == "o":
                _tag, first, second, kind = key
                crossing = {regions for regions, _kind in self.atoms if {first, second} <= set(regions)}
                values[key] = sum(values[("a", regions, kind)] for regions in crossing)
        return values

    @staticmethod
    def rank(population: tuple) -> int:
        """How reluctantly a figure of `population` is masked: the wider the view, the more it is read."""
        if population[0] == "v":
            return 10 * [population[1], population[2]].count(ALL)
        return 10 if population == NO_COUNCIL else 0


def _members_by_council() -> dict:
    rows = network_members().values("council").annotate(n=Count("pk")).order_by()
    return {row["council"]: row["n"] for row in rows}


def _territory(members_by_council: dict) -> tuple[Territory, list[Region]]:
    regions = list(Region.objects.order_by("name"))
    places = council_places()
    territory = Territory(
        [region.code for region in regions],
        [value for value, _label in TerritoryKind.choices],
        places,
        members_by_council,
    )
    return territory, regions


def _publish_members(publication: Publication, territory: Territory, members: dict, settled=None) -> None:
    """Declare the member counts of every population (`settled`: their states, decided before)."""

    def declare(population, appearance, rank=0):
        key = ("members", population)
        state = settled.state(key) if settled is not None else None
        publication.cell(key, members.get(population, 0), appearance, rank=rank, state=state)

    def tiny(view):
        return members.get(territory.key(view), 0) < MIN_GROUP_SIZE

    for population in territory.populations:
        if population[0] == "v":  # the headline of its own view, "moins de 5" when 1 to 4
            appearance = PUBLISHED
        elif population == NO_COUNCIL:  # a row of the tables of the whole network
            appearance = TINY if tiny(WHOLE_NETWORK) else PUBLISHED
        else:
            appearance = UNPUBLISHED
        declare(population, appearance, Territory.rank(population) + 5)
    for key in territory.overlap_keys:
        # Shown as a region's row under the filter of another region.
        _tag, first, second, kind = key
        hidden = tiny(("v", first, kind)) and tiny(("v", second, kind))
        declare(territory.key(key), TINY if hidden else PUBLISHED)
    for total, parts in territory.lines:
        publication.equation(("members", total), [("members", part) for part in parts])


def _withhold_parts_of_small(publication: Publication, territory: Territory, names) -> None:
    """A count whose larger population reads "moins de 5" is withheld too, zeros included: it is
    about part of a group of fewer than 5 members (and a zero would say where they are not)."""
    for name in names:
        for population in territory.populations:
            key = (name, population)
            if publication.has(key) and publication.reads_small(key):
                for inner in territory.inside.get(population, ()):
                    if publication.has((name, inner)):
                        publication.include_zeros((name, inner))


def _region_sums_unprotected(publication: Publication, territory: Territory, names) -> None:
    """The sums over the regions (`Territory.region_sums`) are arithmetic, not groups of members."""
    for name in names:
        for aux in territory.region_sums:
            key = (name, aux)
            if publication.has(key):
                publication.cell(key, publication.value(key), UNPUBLISHED, protected=False)


def territory_publication(territory: Territory, members: dict) -> Publication:
    """The member counts of every view, protected on their own (the public key figures need only these)."""
    publication = Publication()
    _publish_members(publication, territory, members)
    _withhold_parts_of_small(publication, territory, ["members"])
    _region_sums_unprotected(publication, territory, ["members"])
    publication.protect()
    return publication


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

YEARS_IN_POST_BINS = [
    # (lowest completed years, highest completed years or None, label)
    (0, 0, gettext_lazy("Moins d'un an")),
    (1, 2, gettext_lazy("1 à 2 ans")),
    (3, 5, gettext_lazy("3 à 5 ans")),
    (6, 10, gettext_lazy("6 à 10 ans")),
    (11, None, gettext_lazy("Plus de 10 ans")),
]
NOT_GIVEN = gettext_lazy("Non renseigné")

# The four tables of the post: (key, title, first column, [(figure, row label)]); each adds up to
# the members sharing their post facts ("sharing").
POST_TABLES = [
    (
        "temps",
        gettext_lazy("Part du temps consacrée au conseil"),
        gettext_lazy("Part du temps"),
        [(f"band_{band.value}", band.label) for band in TimeShareBand] + [("band_none", NOT_GIVEN)],
    ),
    (
        "anciennete",
        gettext_lazy("Ancienneté dans le poste"),
        gettext_lazy("Années en poste"),
        [(f"years_{index}", label) for index, (_low, _high, label) in enumerate(YEARS_IN_POST_BINS)]
        + [("years_none", NOT_GIVEN)],
    ),
    (
        "statut",
        gettext_lazy("Statut"),
        gettext_lazy("Statut"),
        [(f"status_{value}", label) for value, label in EmploymentStatus.choices] + [("status_none", NOT_GIVEN)],
    ),
    (
        "categorie",
        gettext_lazy("Catégorie"),
        gettext_lazy("Catégorie"),
        [(f"category_{value}", label) for value, label in Category.choices] + [("category_none", NOT_GIVEN)],
    ),
]


def years_ago(today: date, years: int) -> date:
    """The same day `years` earlier (28 February for a 29 February)."""
    year = today.year - years
    day = min(today.day, calendar.monthrange(year, today.month)[1])
    return today.replace(year=year, day=day)


def _completed_years_q(low: int, high: int | None, today: date) -> Q:
    # Someone has completed at least `low` years when they started on or before `low` years ago.
    condition = Q(started_on__lte=years_ago(today, low)) if low else Q(started_on__isnull=False)
    if high is not None:
        condition &= Q(started_on__gt=years_ago(today, high + 1))
    return condition


def _post_aggregates(today: date) -> dict:
    """Every count of the post tables, plus the time shares given (how many, and their sum)."""
    aggregates = {
        "sharing": Count("pk"),
        "time_given": Count("pk", filter=Q(time_share__isnull=False)),
        "time_sum": Sum("time_share", default=0),
    }
    for band in TimeShareBand:
        low, high = TIME_SHARE_BOUNDS[band]
        aggregates[f"band_{band.value}"] = Count("pk", filter=Q(time_share__gte=low, time_share__lte=high))
    aggregates["band_none"] = Count("pk", filter=Q(time_share__isnull=True))
    for index, (low, high, _label) in enumerate(YEARS_IN_POST_BINS):
        aggregates[f"years_{index}"] = Count("pk", filter=_completed_years_q(low, high, today))
    aggregates["years_none"] = Count("pk", filter=Q(started_on__isnull=True))
    for value, _label in EmploymentStatus.choices:
        aggregates[f"status_{value}"] = Count("pk", filter=Q(employment_status=value))
    aggregates["status_none"] = Count("pk", filter=Q(employment_status=""))
    for value, _label in Category.choices:
        aggregates[f"category_{value}"] = Count("pk", filter=Q(category=value))
    aggregates["category_none"] = Count("pk", filter=Q(category=""))
    return aggregates


@dataclass(frozen=True)
class PostFigures:
    sharing: int
    time_share: Table
    years_in_post: Table
    employment_status: Table
    category: Table
    # How many members share their post facts, as the page may say it.
    sharing_cell: Cell = field(default_factory=lambda: Cell(None, CellState.SMALL))


def _declare_post(publication: Publication, values: dict, population: tuple, appearance: str, rank: int) -> None:
    sharing = values["sharing"].get(population, 0)
    if appearance == PUBLISHED and sharing < MIN_GROUP_SIZE:
        appearance = TINY  # every figure of the post reads "moins de 5", zeros too
    publication.cell(("sharing", population), sharing, appearance, rank=rank + 5)
    for _key, _title, _column, rows in POST_TABLES:
        for name, _label in rows:
            publication.cell((name, population), values[name].get(population, 0), appearance, rank=rank)
        publication.equation(("sharing", population), [(name, population) for name, _label in rows])
    # The median and average time shares: withheld below 5 time shares given, like the sum behind them.
    given = values["time_given"].get(population, 0)
    eligible = appearance == PUBLISHED and not 0 < given < MIN_GROUP_SIZE
    publication.cell(
        ("time_sum", population),
        values["time_sum"].get(population, 0),
        PUBLISHED if eligible else UNPUBLISHED,
        rank=rank,
        withheld=not eligible,
        protected=0 < given < MIN_GROUP_SIZE,
        floor=0,
    )


def _post_tables(figures: Figures) -> PostFigures:
    sharing = figures.value("sharing")
    tables = []
    for key, title, column, rows in POST_TABLES:
        # Below the threshold even a zero would tell something about the few members left.
        cells = [figures.cell(name) for name, _label in rows] if sharing >= MIN_GROUP_SIZE else small_cells(len(rows))
        table_rows = [Row(str(label), [cell], code=name) for (name, label), cell in zip(rows, cells, strict=True)]
        tables.append(Table(key=key, title=str(title), columns=[str(column), _("Membres")], rows=table_rows))
    sharing_cell = figures.cell("sharing") if sharing >= MIN_GROUP_SIZE else Cell(None, CellState.SMALL)
    return PostFigures(sharing, *tables, sharing_cell=sharing_cell)


def post_figures(profiles: QuerySet[Profile], *, today: date | None = None) -> PostFigures:
    """Time share bands, years in post, status and catégorie of one population on its own."""
    totals = sharing_post(profiles).aggregate(**_post_aggregates(today or timezone.localdate()))
    values = {name: {WHOLE_NETWORK: count} for name, count in totals.items()}
    publication = Publication()
    _declare_post(publication, values, WHOLE_NETWORK, PUBLISHED, 0)
    publication.protect()
    return _post_tables(Figures(publication, values, WHOLE_NETWORK))


# --- Self-assessment ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Heatmap:
    version: FrameworkVersion | None
    levels: list[ScaleLevel]
    table: Table
    # Raw counts {code: {level: members}}, for derived tables that apply the rule themselves.
    counts: dict[str, dict[int, int]] = field(default_factory=dict)


def self_assessment_heatmap(profiles: QuerySet[Profile]) -> Heatmap:
    """Members per competence and level of the current référentiel, with the average level.

    Only members who show their post to the CNCD team are counted: the directory lets the team
    find them by competence and level, and no one else (a heatmap counting a member who hid their
    post, minus what the directory shows, would give that member's rating away).
    """
    version = FrameworkVersion.objects.current()
    columns = [_("Compétence")]
    table = Table(key="autoevaluation", title=_("Auto-évaluation : membres par compétence et niveau"), columns=columns)
    if version is None:
        return Heatmap(None, [], table)
    levels = list(ScaleLevel.objects.filter(version=version).order_by("value"))
    competences = list(Competence.objects.filter(version=version).order_by("domain__order", "order", "code"))
    ratings = (
        SelfAssessment.objects.filter(
            user__in=sharing_post(profiles).values("user_id"), code__in=[competence.code for competence in competences]
        )
        .filter(Q(level__isnull=False) | Q(not_concerned=True))
        .values("code", "level", "not_concerned")
        .annotate(n=Count("pk"))
        .order_by()
    )
    counts: dict[tuple[str, int | None], int] = {}
    for rating in ratings:
        key = (rating["code"], None if rating["not_concerned"] else rating["level"])
        counts[key] = counts.get(key, 0) + rating["n"]
    columns += [f"{level.value}. {level.label}" for level in levels]
    columns += [_("Non concerné·e"), _("Répondant·es"), _("Niveau moyen")]
    # Each row adds up to its respondents: protected together, then read back row by row.
    publication = Publication()
    rows = []
    for competence in competences:
        code = competence.code
        per_level = [counts.get((code, level.value), 0) for level in levels]
        figures = [*per_level, counts.get((code, None), 0)]
        respondents = sum(figures)
        keys = [(code, level.value) for level in levels] + [(code, None)]
        rows.append((competence, per_level, figures, keys, respondents))
        if respondents >= MIN_GROUP_SIZE:
            for key, value in zip(keys, figures, strict=True):
                publication.cell(key, value)
            publication.cell((code, "respondents"), respondents, rank=5)
            publication.equation((code, "respondents"), keys)
    publication.protect()
    for competence, per_level, figures, keys, respondents in rows:
        rated = sum(per_level)
        if 0 < respondents < MIN_GROUP_SIZE:
            cells = small_cells(len(per_level) + 3)
        elif not respondents:
            cells = [Cell(0) for _figure in figures] + [Cell(0), statistic_cell(None, group_size=0)]
        else:
            cells = [_published_cell(publication, key, value) for key, value in zip(keys, figures, strict=True)]
            cells.append(_published_cell(publication, (competence.code, "respondents"), respondents))
            if any(not cell.shown for cell in cells[: len(per_level)]):
                # With the other counts, the average would give the withheld ones away.
                cells.append(Cell(None, CellState.MASKED))
            else:
                average = (
                    sum(level.value * n for level, n in zip(levels, per_level, strict=True)) / rated if rated else None
                )
                cells.append(statistic_cell(average, group_size=rated))
        table.rows.append(Row(f"{competence.code} {competence.title}", cells, code=competence.code))
    by_code: dict[str, dict[int, int]] = {}
    for (code, level), count in counts.items():
        if level is not None:
            by_code.setdefault(code, {})[level] = count
    return Heatmap(version, levels, table, by_code)


# --- Declared missions -------------------------------------------------------------------------


def _declare_missions(publication, values, population, appearance, rank, missions) -> None:
    publication.cell(("declaring", population), values["declaring"].get(population, 0), appearance, rank=rank + 5)
    for mission in missions:
        name = f"mission:{mission.code}"
        publication.cell((name, population), values[name].get(population, 0), appearance, rank=rank)
        publication.at_most((name, population), ("declaring", population))


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
            average = Cell(round(figures.value(f"mission_sum:{mission.code}") / count.value))
        elif count.shown:
            average = Cell(None)
        else:  # the sum of time shares behind the average is withheld with the count
            average = Cell(None, count.state)
        table.rows.append(Row(f"{mission.code} {mission.title}", [count, average], code=mission.code))
    return table


# --- The common fiche --------------------------------------------------------------------------

# A competence line of a structured section, in the canonical form the fiches app writes back:
# "C-ANI-02 : niveau 3 — Title (Maîtrise)".
_EXPECTED_LINE = re.compile(r"^\s*(?P<code>[A-Za-z0-9][A-Za-z0-9._-]*)\s*:\s*niveau\s*(?P<level>\d+)", re.IGNORECASE)


@dataclass(frozen=True)
class ExpectedLevels:
    source: str  # the label of the published version, or "" for the text being written
    levels: dict[str, int]


def expected_levels() -> ExpectedLevels | None:
    """The level the common fiche expects for each competence: its latest published version, else its current text."""
    fiche = Fiche.objects.filter(slug=COMMON_FICHE_SLUG).first()
    if fiche is None:
        return None
    version = FicheVersion.objects.latest_of(fiche)
    if version is not None:
        bodies = VersionEntry.objects.filter(version=version, section__kind=SectionKind.COMPETENCES).values_list(
            "revision__body", flat=True
        )
    else:
        bodies = Section.objects.filter(fiche=fiche, kind=SectionKind.COMPETENCES).values_list(
            "current_revision__body", flat=True
        )
    levels = {}
    for body in bodies:
        for line in (body or "").splitlines():
            match = _EXPECTED_LINE.match(line)
            if match:
                levels.setdefault(match["code"], int(match["level"]))
    if not levels:
        return None
    return ExpectedLevels(version.label if version else "", levels)


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
            cells = small_cells(4)
        elif any(not cell.shown for cell in row.cells[: len(heatmap.levels)]):
            # Sums and averages of heatmap counts, one of them withheld: shown beside the heatmap,
            # they would give that count away by subtraction.
            cells = [Cell(None, CellState.MASKED)] * 4
        else:
            share = round(100 * reached / rated) if rated else None
            cells = [Cell(reached), Cell(below), Cell(share), statistic_cell(gap, group_size=rated)]
        table.rows.append(Row(row.label, [Cell(level), *cells], code=row.code))
    return table


def _month_starts(today: date, months: int) -> list[datetime]:
    return [_month_start(today, back) for back in range(months - 1, -1, -1)]


def _participation_counts(profiles: QuerySet[Profile], starts: list[datetime], *, per_council: bool) -> dict:
    """{group: {figure: count}}: suggestions, comments and contributors per month, for the whole of
    `profiles` (group None) or per council of the authors."""
    window = {"created_at__gte": starts[0], "created_at__lt": _next_month(starts[-1])}
    authors = profiles.values("user_id")
    suggestions = Suggestion.objects.filter(author__in=authors, **window)
    comments = Comment.objects.filter(author__in=authors, hidden_at__isnull=True, **window)
    group = ["author__profile__council"] if per_council else []
    # One grouped query per table; TruncMonth uses the current time zone, as _month_start does.
    # Contributors = suggestion authors + comment authors - those who did both in the same month.
    suggestion_rows = (
        suggestions.annotate(month=TruncMonth("created_at"))
        .values(*group, "month")
        .annotate(n=Count("pk"), authors=Count("author", distinct=True))
        .order_by()
    )
    also_suggested = Exists(
        suggestions.filter(author=OuterRef("author"))
        .annotate(month=TruncMonth("created_at"))
        .filter(month=OuterRef("month"))
    )
    comment_rows = (
        comments.annotate(month=TruncMonth("created_at"))
        .values(*group, "month")
        .annotate(
            n=Count("pk"),
            authors=Count("author", distinct=True),
            both=Count("author", distinct=True, filter=Q(also_suggested)),
        )
        .order_by()
    )
    index_of = {(start.year, start.month): index for index, start in enumerate(starts)}
    counts: dict = defaultdict(lambda: defaultdict(int))
    for rows, figures in (
        (suggestion_rows, {"n": "proposals", "authors": "contributors"}),
        (comment_rows, {"n": "comments", "authors": "contributors", "both": "contributors"}),
    ):
        for row in rows:
            month = timezone.localtime(row["month"]) if timezone.is_aware(row["month"]) else row["month"]
            index = index_of.get((month.year, month.month))
            if index is None:
                continue
            key = row["author__profile__council"] if per_council else None
            for column, figure in figures.items():
                sign = -1 if column == "both" else 1
                counts[key][f"{figure}:{index}"] += sign * row[column]
    return counts


def _declare_participation(publication, values, population, appearance, rank, months: int) -> None:
    for index in range(months):
        contributors = values.get(f"contributors:{index}", {}).get(population, 0)
        publication.cell((f"contributors:{index}", population), contributors, appearance, rank=rank)
        publication.at_most((f"contributors:{index}", population), ("members", population))
        # A month's proposals and comments are withheld with its contributors, whatever their number.
        withheld = appearance != PUBLISHED or 0 < contributors < MIN_GROUP_SIZE
        for figure in ("proposals", "comments"):
            publication.cell(
                (f"{figure}:{index}", population),
                values.get(f"{figure}:{index}", {}).get(population, 0),
                appearance if appearance == PUBLISHED else UNPUBLISHED,
                rank=rank,
                withheld=withheld,
                protected=0 < contributors < MIN_GROUP_SIZE,
                floor=0,
            )


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


def fiche_participation(profiles: QuerySet[Profile], *, months: int = 12, today: date | None = None) -> Table:
    """Suggestions, comments and contributors per month over the last `months` months, for one population on its own."""
    starts = _month_starts(today or timezone.localdate(), months)
    counts = _participation_counts(profiles, starts, per_council=False).get(None, {})
    values = {name: {WHOLE_NETWORK: count} for name, count in counts.items()}
    values["members"] = {WHOLE_NETWORK: profiles.count()}
    publication = Publication()
    publication.cell(("members", WHOLE_NETWORK), values["members"][WHOLE_NETWORK], UNPUBLISHED, protected=False)
    _declare_participation(publication, values, WHOLE_NETWORK, PUBLISHED, 0, months)
    publication.protect()
    return _participation_table(Figures(publication, values, WHOLE_NETWORK), starts)


def _month_start(today: date, months_back: int) -> datetime:
    """Midnight, local time, on the first day of the month `months_back` months before `today`'s."""
    index = today.year * 12 + today.month - 1 - months_back
    first = date(index // 12, index % 12 + 1, 1)
    return timezone.make_aware(datetime.combine(first, time.min))


def _next_month(start: datetime) -> datetime:
    return _month_start(timezone.localtime(start).date(), -1)


# --- Training wishes ----------------------------------------------------------------------------

# Themes searched in the free-text training wishes. Words that may start a sentence with an
# accented capital are given in both cases: SQLite only folds the case of ASCII letters.
TRAINING_THEMES = [
    (
        "animation",
        gettext_lazy("Animation et facilitation"),
        ["anima", "facilit", "world café", "débat mouvant", "intelligence collective", "concertation"],
    ),
    ("posture", gettext_lazy("Posture et médiation"), ["posture", "médiat", "conflit", "tension", "neutralit"]),
    (
        "juridique",
        gettext_lazy("Cadre juridique et fonctionnement des EPCI"),
        ["juridi", "droit", "cgct", "epci", "statut"],
    ),
    (
        "politiques",
        gettext_lazy("Politiques publiques (SCoT, PLUi, PCAET…)"),
        ["scot", "plui", "pcaet", "urbanis", "transition", "mobilit", "prospective", "projet de territoire"],
    ),
    ("redaction", gettext_lazy("Rédaction et synthèse"), ["rédac", "rédig", "synthè", "écrit", "Écrit", " avis"]),
    (
        "communication",
        gettext_lazy("Communication et valorisation"),
        ["communic", "valoris", "réseaux sociaux", "vidéo"],
    ),
    (
        "numerique",
        gettext_lazy("Numérique et intelligence artificielle"),
        ["numérique", "intelligence artificielle", " ia ", " ia,", " ia.", "(ia)", "visio", "hybride"],
    ),
    ("evaluation", gettext_lazy("Évaluation"), ["évaluat", "Évaluat", "indicateur"]),
    (
        "projet",
        gettext_lazy("Gestion de projet et budget"),
        ["gestion de projet", "conduite de projet", "budget", "planifi"],
    ),
    ("rgpd", gettext_lazy("RGPD et données personnelles"), ["rgpd", "données personnelles", "protection des données"]),
    (
        "mobilisation",
        gettext_lazy("Mobiliser des publics variés"),
        ["mobilis", "jeunes", "publics éloignés", "diversit", "recrut"],
    ),
]


def _any_word(words: list[str]) -> Q:
    # `wishes` is the text in capitals: `icontains` (UPPER(text) LIKE UPPER(word)) without
    # capitalising the text again for each of the ~60 words.
    condition = Q()
    for word in words:
        condition |= Q(wishes__contains=Upper(Value(word)))
    return condition


def _training_counts(profiles: QuerySet[Profile], *, per_council: bool) -> dict:
    """{group: {"writers": n, theme: n}}, for the whole of `profiles` (group None) or per council."""
    written = sharing_about(profiles).exclude(training_wishes="")
    aggregates = {"writers": Count("pk")}
    for key, _label, words in TRAINING_THEMES:
        aggregates[f"theme:{key}"] = Count("pk", filter=_any_word(words))
    if not per_council:
        # DISTINCT (harmless: the primary key is selected) makes the aggregate read a subquery, so the
        # text is put in capitals once per member: a third of the time of the plain `icontains`.
        totals = written.values("pk", wishes=Upper("training_wishes")).distinct().aggregate(**aggregates)
        return {None: totals}
    rows = written.alias(wishes=Upper("training_wishes")).values("council").annotate(**aggregates).order_by()
    return {row["council"]: {name: row[name] for name in aggregates} for row in rows}


def _declare_training(publication, values, population, appearance, rank) -> None:
    publication.cell(("writers", population), values["writers"].get(population, 0), appearance, rank=rank + 5)
    for key, _label, _words in TRAINING_THEMES:
        name = f"theme:{key}"
        publication.cell((name, population), values[name].get(population, 0), appearance, rank=rank)
        publication.at_most((name, population), ("writers", population))


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


def training_wishes(profiles: QuerySet[Profile]) -> Table:
    """Members whose training wishes mention each theme, for one population on its own."""
    totals = _training_counts(profiles, per_council=False)[None]
    values = {name: {WHOLE_NETWORK: count} for name, count in totals.items()}
    publication = Publication()
    _declare_training(publication, values, WHOLE_NETWORK, PUBLISHED, 0)
    publication.protect()
    return _training_table(Figures(publication, values, WHOLE_NETWORK))


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


class NetworkFigures:
    """The figures of every view of the dashboard, computed and protected together.

    Every view's figures are read from counts per council: one grouped query per table, whatever
    the number of members and of views. The member counts are protected first, on their own (the
    public key figures show the whole network's); then every other figure, those counts fixed.
    """

    def __init__(self, *, today: date | None = None):
        today = today or timezone.localdate()
        members = _members_by_council()
        self.territory, self.regions = _territory(members)
        spread = self.territory.spread
        self.members_by_council = members
        values: dict[str, dict[tuple, int]] = {"members": spread(members)}
        self.territory_publication = territory_publication(self.territory, values["members"])

        network = network_members()
        post = _per_council(sharing_post(network), _post_aggregates(today))
        self.version = FrameworkVersion.objects.current()
        self.missions = (
            list(Mission.objects.filter(version=self.version).order_by("order", "code")) if self.version else []
        )
        missions = self._mission_counts(network) if self.version else {}
        training = _training_counts(network, per_council=True)
        self.starts = _month_starts(today, 12)
        participation = _participation_counts(network, self.starts, per_council=True)
        for by_council in (post, missions, training, participation):
            names = {name for counts in by_council.values() for name in counts}
            for name in names:
                values[name] = spread({council: counts.get(name, 0) for council, counts in by_council.items()})
        for name in self._figure_names():
            values.setdefault(name, {})
        self.values = values
        self.publication = self._protect()

    def _figure_names(self) -> list[str]:
        names = ["sharing", "time_given", "time_sum", "declaring", "writers"]
        names += [name for _key, _title, _column, rows in POST_TABLES for name, _label in rows]
        names += [f"mission:{mission.code}" for mission in self.missions]
        names += [f"mission_sum:{mission.code}" for mission in self.missions]
        names += [f"theme:{key}" for key, _label, _words in TRAINING_THEMES]
        names += [f"{figure}:{index}" for figure in ("contributors", "proposals", "comments") for index in range(12)]
        return names

    def _mission_counts(self, network: QuerySet[Profile]) -> dict:
        declarations = MissionDeclaration.objects.filter(user__in=sharing_post(network).values("user_id"))
        counts: dict = defaultdict(dict)
        rows = declarations.values("user__profile__council").annotate(n=Count("user", distinct=True)).order_by()
        for row in rows:
            counts[row["user__profile__council"]]["declaring"] = row["n"]
        rows = (
            declarations.filter(mission_code__in=[mission.code for mission in self.missions])
            .values("user__profile__council", "mission_code")
            .annotate(n=Count("pk"), total=Sum("time_share", default=0))
            .order_by()
        )
        for row in rows:
            counts[row["user__profile__council"]][f"mission:{row['mission_code']}"] = row["n"]
            counts[row["user__profile__council"]][f"mission_sum:{row['mission_code']}"] = row["total"]
        return counts

    def _protect(self) -> Publication:
        """Declare every figure of every view, the sums between them, and protect them."""
        values = self.values
        members = values["members"]
        publication = Publication()
        _publish_members(publication, self.territory, members, settled=self.territory_publication)
        for population in self.territory.populations:
            rank = Territory.rank(population)
            if population[0] != "v":
                appearance = UNPUBLISHED
            elif members.get(population, 0) < MIN_GROUP_SIZE:
                appearance = TINY  # a view of fewer than 5 members: every figure reads "moins de 5"
            else:
                appearance = PUBLISHED
            _declare_post(publication, values, population, appearance, rank)
            publication.at_most(("sharing", population), ("members", population))
            _declare_training(publication, values, population, appearance, rank)
            publication.at_most(("writers", population), ("members", population))
            if self.version is not None:
                _declare_missions(publication, values, population, appearance, rank, self.missions)
                publication.at_most(("declaring", population), ("members", population))
            _declare_participation(publication, values, population, appearance, rank, len(self.starts))
        # Every figure adds up over the territory like the members do.
        names = [name for name in self._figure_names() if not name.startswith(("mission_sum:", "time_given"))]
        for total, parts in self.territory.lines:
            for name in names:
                if publication.has((name, total)):
                    publication.equation((name, total), [(name, part) for part in parts])
        _withhold_parts_of_small(publication, self.territory, ["members", *names])
        _region_sums_unprotected(publication, self.territory, ["members", *names])
        publication.protect()
        return publication

    def _places_of(self, population: tuple) -> list[int]:
        """The councils (with members) in a view."""
        _tag, region, kind = population
        found = []
        for council, count in self.members_by_council.items():
            if council is None or not count or council not in self.territory.places:
                continue
            regions, council_kind = self.territory.places[council]
            if (region == ALL or region in regions) and kind in (ALL, council_kind):
                found.append(council)
        return found

    def totals(self, population: tuple) -> dict:
        councils = self._places_of(population)
        regions = {region for council in councils for region in self.territory.places[council][0]}
        return {
            "members": self.values["members"].get(population, 0),
            "councils": len(councils),
            "regions": len(regions),
        }

    def dashboard(self, filters: DashboardFilters) -> Dashboard:
        population = view_of(filters)
        figures = Figures(self.publication, self.values, population, self.territory.key)
        region_table = members_by_region(figures, self.regions)
        kind_table = members_by_kind(figures)
        totals = self.totals(population)
        if totals["members"] < MIN_GROUP_SIZE:
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
            heatmap = self_assessment_heatmap(network_members())
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
            missions=_missions_table(figures, self.missions) if self.version else None,
            expected=expected,
            gaps=gaps,
            participation=_participation_table(figures, self.starts),
            filtered=not whole,
        )


def _per_council(queryset: QuerySet, aggregates: dict) -> dict:
    """{council id (None: no council): {figure: count}}, in one grouped query."""
    rows = queryset.values("council").annotate(**aggregates).order_by()
    return {row["council"]: {name: row[name] for name in aggregates} for row in rows}


def network_dashboard(filters: DashboardFilters, *, today: date | None = None) -> Dashboard:
    """Every figure of the dashboard for `filters`, protected with those of every other view."""
    return NetworkFigures(today=today).dashboard(filters)


def key_figures() -> Overview:
    """The public, non-identifying figures of the whole network.

    The member count is the dashboard's, protected the same way (territory_publication). The
    median time share only counts members whose post facts every member may see: members read
    this page and have the directory.
    """
    members = _members_by_council()
    territory, _regions = _territory(members)
    counts = territory.spread(members)
    publication = territory_publication(territory, counts)
    councils = [council for council, count in members.items() if council is not None and count]
    regions = {region for council in councils for region in territory.places.get(council, ((), ""))[0]}
    totals = {"members": counts.get(WHOLE_NETWORK, 0), "councils": len(councils), "regions": len(regions)}
    shares = time_share_frequencies(sharing_post_with_members(network_members()))
    members_cell = Figures(publication, {"members": counts}, WHOLE_NETWORK, territory.key).cell("members")
    return _overview(members_cell, totals, shares, time_state=None)
