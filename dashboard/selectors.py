"""Reads behind the network dashboard: every figure counted in the database, as plain numbers.

Who is counted: approved technicians (not the CNCD team). A figure only uses what the people who
can read it, and cross it with the directory's filters, may see on the profiles one by one: the
dashboard (read by the CNCD team) counts post facts, declared missions and self-assessments only
for members who show their post group to the team at least, and training wishes only for those
who show their "about" group to the team; the public key figures (read by members too, who have
the directory) use the post facts members may see. A figure therefore never tells what a filter
of the directory would not show anyway.

The dashboard is published under every filter a curator can choose (a region or all, a kind of
territory or all). All these views are counted together, from counts per council (one grouped
query per table, whatever the number of members), and spread over the populations the filters
select (`Territory`). This module returns numbers only: which of them a page may show (no count
from 1 to 4, nor what would give one away) is decided in tables.py, with disclosure.py.
"""

import calendar
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import combinations

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum, Value
from django.db.models.functions import TruncMonth, Upper
from django.utils import timezone
from django.utils.translation import gettext_lazy

from competences.models import Competence, FrameworkVersion, ScaleLevel, SelfAssessment
from core.enums import Role
from fiches.models import Comment, Suggestion
from members.enums import (
    TIME_SHARE_BOUNDS,
    Audience,
    Category,
    EmploymentStatus,
    TerritoryKind,
    TimeShareBand,
    Visibility,
)
from members.models import Council, Profile, Region
from missions.models import Mission, MissionDeclaration
from referentiel.selectors import domain_tree


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

    The directory's filters on these facts match the same profiles for the team: a figure counting
    anyone else could be crossed with them.
    """
    return profiles.with_post_visible_to(Audience.TEAM)


def sharing_post_with_members(profiles: QuerySet[Profile]) -> QuerySet[Profile]:
    """Profiles whose post facts every member may see (the public figures: members read them too)."""
    return profiles.with_post_visible_to(Audience.MEMBER)


def sharing_about(profiles: QuerySet[Profile]) -> QuerySet[Profile]:
    """Profiles whose "about" texts (training wishes…) the CNCD team may see."""
    return profiles.exclude(about_visibility=Visibility.HIDDEN)


# --- Headline figures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PopulationTotals:
    """How many members, and the councils and regions they come from."""

    members: int
    councils: int
    regions: int


def population_totals(profiles: QuerySet[Profile]) -> PopulationTotals:
    """The members of `profiles`, their councils and their regions, in one query."""
    totals = profiles.aggregate(
        members=Count("pk", distinct=True),
        councils=Count("council", distinct=True),
        regions=Count("council__departments__region", distinct=True),
    )
    return PopulationTotals(**totals)


def time_share_frequencies(profiles: QuerySet[Profile]) -> dict[int, int]:
    """How many members give each time share (at most 101 rows, whatever the network's size)."""
    rows = profiles.filter(time_share__isnull=False).values("time_share").annotate(n=Count("pk")).order_by()
    return {row["time_share"]: row["n"] for row in rows}


def frequency_median(frequencies: dict[int, int]) -> float | None:
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


def frequency_mean(frequencies: dict[int, int]) -> float | None:
    """The mean of values given as {value: how many}."""
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


def members_by_council() -> dict:
    """{council id (None: no council): members}, in one grouped query."""
    rows = network_members().values("council").annotate(n=Count("pk")).order_by()
    return {row["council"]: row["n"] for row in rows}


class MemberCounts:
    """How many members each population the filters select holds, read from one count per council."""

    def __init__(self):
        self.by_council = members_by_council()
        self.regions = list(Region.objects.order_by("name"))
        self.territory = Territory(
            [region.code for region in self.regions],
            [value for value, _label in TerritoryKind.choices],
            council_places(),
            self.by_council,
        )
        self.values = self.territory.spread(self.by_council)

    def councils_of(self, population: tuple) -> list[int]:
        """The councils (with members) in a view."""
        _tag, region, kind = population
        found = []
        for council, count in self.by_council.items():
            if council is None or not count or council not in self.territory.places:
                continue
            regions, council_kind = self.territory.places[council]
            if (region == ALL or region in regions) and kind in (ALL, council_kind):
                found.append(council)
        return found

    def totals(self, population: tuple) -> PopulationTotals:
        """The members of a view, and the councils and regions they come from."""
        councils = self.councils_of(population)
        regions = {region for council in councils for region in self.territory.places[council][0]}
        return PopulationTotals(self.values.get(population, 0), len(councils), len(regions))


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

# The four breakdowns of the post, {key: [(figure, row label)]}; each adds up to the members
# sharing their post facts ("sharing").
POST_BREAKDOWNS = {
    "temps": [(f"band_{band.value}", band.label) for band in TimeShareBand] + [("band_none", NOT_GIVEN)],
    "anciennete": [(f"years_{index}", label) for index, (_low, _high, label) in enumerate(YEARS_IN_POST_BINS)]
    + [("years_none", NOT_GIVEN)],
    "statut": [(f"status_{value}", label) for value, label in EmploymentStatus.choices] + [("status_none", NOT_GIVEN)],
    "categorie": [(f"category_{value}", label) for value, label in Category.choices] + [("category_none", NOT_GIVEN)],
}


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
    """Every count of the post breakdowns, plus the time shares given (how many, and their sum)."""
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


def post_counts(profiles: QuerySet[Profile], *, today: date | None = None) -> dict[str, int]:
    """{figure: count} of the post breakdowns, for the members of `profiles` sharing their post facts."""
    return sharing_post(profiles).aggregate(**_post_aggregates(today or timezone.localdate()))


def _per_council(queryset: QuerySet, aggregates: dict) -> dict:
    """{council id (None: no council): {figure: count}}, in one grouped query."""
    rows = queryset.values("council").annotate(**aggregates).order_by()
    return {row["council"]: {name: row[name] for name in aggregates} for row in rows}


# --- Self-assessment ----------------------------------------------------------------------------


@dataclass(frozen=True)
class AssessmentCounts:
    """Members per competence and level of the current référentiel (level None: not concerned)."""

    version: FrameworkVersion | None
    levels: list[ScaleLevel]
    competences: list[Competence]
    counts: dict[tuple[str, int | None], int]

    def keys(self, code: str) -> list[tuple[str, int | None]]:
        """The keys of a competence's counts: one per level, then the not concerned."""
        return [(code, level.value) for level in self.levels] + [(code, None)]

    def row(self, code: str) -> list[int]:
        """Members at each level of a competence, then the not concerned."""
        return [self.counts.get(key, 0) for key in self.keys(code)]

    def by_code(self) -> dict[str, dict[int, int]]:
        """{code: {level: members}}, the not concerned left out."""
        found: dict[str, dict[int, int]] = {}
        for (code, level), count in self.counts.items():
            if level is not None:
                found.setdefault(code, {})[level] = count
        return found


def self_assessment_counts(profiles: QuerySet[Profile], *, version: FrameworkVersion | None = None) -> AssessmentCounts:
    """Members per competence and level of the current référentiel (`version`, when already read).

    Only members the directory lets the CNCD team find by competence and level are counted: those
    who agreed to be found so (competences.AssessmentSharing) and show their post to the team. A
    heatmap counting anyone else, minus what the directory shows, would give their rating away; and
    the self-assessment page promises a member who did not agree that their answers stay theirs.
    """
    version = version or FrameworkVersion.objects.current()
    if version is None:
        return AssessmentCounts(None, [], [], {})
    levels = list(ScaleLevel.objects.of(version).order_by("value"))
    # In the order of the référentiel's pages: domains in tree order, then each domain's competences.
    competences = [competence for domain in domain_tree(version) for competence in domain.competences.all()]
    ratings = (
        SelfAssessment.objects.shared_in_directory()
        .filter(
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
    return AssessmentCounts(version, levels, competences, counts)


# --- The common fiche (the levels it expects: fiches.selectors.expected_levels) ----------------


def _month_starts(today: date, months: int) -> list[datetime]:
    return [_month_start(today, back) for back in range(months - 1, -1, -1)]


def _participation_counts(profiles: QuerySet[Profile], starts: list[datetime], *, per_council: bool) -> dict:
    """{group: {figure: count}}: suggestions, comments and contributors per month, for the whole of
    `profiles` (group None) or per council of the authors."""
    window = {"created_at__gte": starts[0], "created_at__lt": _next_month(starts[-1])}
    authors = profiles.values("user_id")
    suggestions = Suggestion.objects.filter(author__in=authors, **window)
    comments = Comment.objects.not_hidden().filter(author__in=authors, **window)
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


def _month_start(today: date, months_back: int) -> datetime:
    """Midnight, local time, on the first day of the month `months_back` months before `today`'s."""
    index = today.year * 12 + today.month - 1 - months_back
    first = date(index // 12, index % 12 + 1, 1)
    return timezone.make_aware(datetime.combine(first, time.min))


def _next_month(start: datetime) -> datetime:
    return _month_start(timezone.localtime(start).date(), -1)


@dataclass(frozen=True)
class ParticipationCounts:
    """Suggestions, comments and contributors per month: {"proposals:<month index>": count, …}."""

    starts: list[datetime]  # the first moment of each month, oldest first
    counts: dict[str, int]
    members: int  # the members of the population, contributors or not


def participation_counts(
    profiles: QuerySet[Profile], *, months: int = 12, today: date | None = None
) -> ParticipationCounts:
    """Suggestions, comments and contributors per month over the last `months` months, for `profiles`."""
    starts = _month_starts(today or timezone.localdate(), months)
    counts = _participation_counts(profiles, starts, per_council=False).get(None, {})
    return ParticipationCounts(starts, dict(counts), profiles.count())


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


def training_counts(profiles: QuerySet[Profile]) -> dict[str, int]:
    """{"writers": members who wrote training wishes, "theme:<key>": members citing it}, for `profiles`."""
    return _training_counts(profiles, per_council=False)[None]


# --- Every view at once -------------------------------------------------------------------------


class NetworkCounts:
    """Every count of every population the dashboard's filters select.

    `values` is {figure: {population: count}}, read from counts per council: one grouped query per
    table, whatever the number of members and of views.
    """

    def __init__(self, *, today: date | None = None):
        today = today or timezone.localdate()
        self.members = MemberCounts()
        spread = self.territory.spread
        values: dict[str, dict[tuple, int]] = {"members": self.members.values}
        network = network_members()
        post = _per_council(sharing_post(network), _post_aggregates(today))
        self.version = FrameworkVersion.objects.current()
        self.missions = list(Mission.objects.of(self.version).order_by("order", "code")) if self.version else []
        missions = self._mission_counts(network) if self.version else {}
        training = _training_counts(network, per_council=True)
        self.starts = _month_starts(today, 12)
        participation = _participation_counts(network, self.starts, per_council=True)
        for by_council in (post, missions, training, participation):
            names = {name for counts in by_council.values() for name in counts}
            for name in names:
                values[name] = spread({council: counts.get(name, 0) for council, counts in by_council.items()})
        for name in self.figure_names():
            values.setdefault(name, {})
        self.values = values

    @property
    def territory(self) -> Territory:
        return self.members.territory

    def figure_names(self) -> list[str]:
        """Every figure counted for each population (the members apart)."""
        names = ["sharing", "time_given", "time_sum", "declaring", "writers"]
        names += [name for rows in POST_BREAKDOWNS.values() for name, _label in rows]
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
