"""Reads behind the network dashboard: every figure is aggregated in the database.

Each selector takes the filtered population of members and returns `Table`s whose cells already
follow the small-numbers rule (tables.py). The number of queries does not depend on the number of
members. Post facts (time share, status, catégorie, start date) and training wishes only count
for members who share them at least with the CNCD team: a group of fields a member hid from
everyone stays out of the statistics too.
"""

import calendar
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Avg, Count, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import TruncMonth, Upper
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from codev_network.dashboard.tables import (
    MIN_GROUP_SIZE,
    Cell,
    CellState,
    Row,
    Table,
    count_cell,
    distribution_cells,
    small_cells,
    statistic_cell,
)
from competences.models import Competence, FrameworkVersion, Mission, ScaleLevel, SelfAssessment
from fiches.enums import SectionKind
from fiches.models import COMMON_FICHE_SLUG, Comment, Fiche, FicheVersion, Section, Suggestion, VersionEntry
from members.enums import (
    TIME_SHARE_BOUNDS,
    Category,
    EmploymentStatus,
    Role,
    TerritoryKind,
    TimeShareBand,
    Visibility,
)
from members.models import Profile, Region
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
    """Profiles whose post facts the CNCD team may see."""
    return profiles.exclude(post_visibility=Visibility.HIDDEN)


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
    """Headline counts; nothing is shown when the population is smaller than the threshold."""
    totals = profiles.aggregate(
        members=Count("pk", distinct=True),
        councils=Count("council", distinct=True),
        regions=Count("council__departments__region", distinct=True),
    )
    shares = time_share_frequencies(sharing_post(profiles))
    sharing = sum(shares.values())
    large_enough = totals["members"] >= MIN_GROUP_SIZE
    if not large_enough:
        withheld = count_cell(min(totals["members"], 1))
        return Overview(withheld, withheld, withheld, withheld, withheld, False)
    return Overview(
        members=Cell(totals["members"]),
        # Councils and regions are places, not people: a small number of them identifies nobody.
        councils=Cell(totals["councils"]),
        regions=Cell(totals["regions"]),
        median_time_share=statistic_cell(_median(shares), group_size=sharing, digits=0),
        average_time_share=statistic_cell(_mean(shares), group_size=sharing, digits=0),
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


# --- Where members work -------------------------------------------------------------------------


def members_by_region(profiles: QuerySet[Profile], regions: list[Region]) -> Table:
    """Members per region of their council (a council over two regions counts in both)."""
    rows = profiles.values("council__departments__region").annotate(n=Count("pk", distinct=True)).order_by()
    counts = {row["council__departments__region"]: row["n"] for row in rows}
    ordered = sorted(regions, key=lambda region: region.name)
    cells = distribution_cells([counts.get(region.pk, 0) for region in ordered] + [counts.get(None, 0)])
    table = Table(
        key="regions",
        title=_("Membres par région"),
        columns=[_("Région"), _("Membres")],
        note=_("Un conseil dont le territoire s'étend sur deux régions est compté dans chacune."),
    )
    for region, cell in zip(ordered, cells[:-1], strict=True):
        table.rows.append(Row(region.name, [cell], code=region.code))
    table.rows.append(Row(_("Conseil non renseigné"), [cells[-1]]))
    return table


def members_by_kind(profiles: QuerySet[Profile]) -> Table:
    """Members per kind of territory of their council."""
    rows = profiles.values("council__kind").annotate(n=Count("pk")).order_by()
    counts = {row["council__kind"]: row["n"] for row in rows}
    labels = [*TerritoryKind.choices, (None, _("Conseil non renseigné"))]
    cells = distribution_cells([counts.get(value, 0) for value, _label in labels])
    return Table(
        key="territoires",
        title=_("Membres par type de territoire"),
        columns=[_("Type de territoire"), _("Membres")],
        rows=[Row(str(label), [cell], code=value or "") for (value, label), cell in zip(labels, cells, strict=True)],
    )


# --- The post -----------------------------------------------------------------------------------

YEARS_IN_POST_BINS = [
    # (lowest completed years, highest completed years or None, label)
    (0, 0, gettext_lazy("Moins d'un an")),
    (1, 2, gettext_lazy("1 à 2 ans")),
    (3, 5, gettext_lazy("3 à 5 ans")),
    (6, 10, gettext_lazy("6 à 10 ans")),
    (11, None, gettext_lazy("Plus de 10 ans")),
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


@dataclass(frozen=True)
class PostFigures:
    sharing: int
    time_share: Table
    years_in_post: Table
    employment_status: Table
    category: Table


def post_figures(profiles: QuerySet[Profile], *, today: date | None = None) -> PostFigures:
    """Time share bands, years in post, status and catégorie, among members sharing their post facts."""
    today = today or timezone.localdate()
    shared = sharing_post(profiles)
    aggregates = {"sharing": Count("pk")}
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
    totals = shared.aggregate(**aggregates)
    sharing = totals["sharing"]
    not_given = _("Non renseigné")

    def table(key, title, column, labelled_keys):
        counts = [totals[name] for name, _label in labelled_keys]
        # Below the threshold even a zero would tell something about the few members left.
        cells = distribution_cells(counts) if sharing >= MIN_GROUP_SIZE else small_cells(len(counts))
        rows = [Row(str(label), [cell], code=name) for (name, label), cell in zip(labelled_keys, cells, strict=True)]
        return Table(key=key, title=title, columns=[column, _("Membres")], rows=rows)

    return PostFigures(
        sharing=sharing,
        time_share=table(
            "temps",
            _("Part du temps consacrée au conseil"),
            _("Part du temps"),
            [(f"band_{band.value}", band.label) for band in TimeShareBand] + [("band_none", not_given)],
        ),
        years_in_post=table(
            "anciennete",
            _("Ancienneté dans le poste"),
            _("Années en poste"),
            [(f"years_{index}", label) for index, (_low, _high, label) in enumerate(YEARS_IN_POST_BINS)]
            + [("years_none", not_given)],
        ),
        employment_status=table(
            "statut",
            _("Statut"),
            _("Statut"),
            [(f"status_{value}", label) for value, label in EmploymentStatus.choices] + [("status_none", not_given)],
        ),
        category=table(
            "categorie",
            _("Catégorie"),
            _("Catégorie"),
            [(f"category_{value}", label) for value, label in Category.choices] + [("category_none", not_given)],
        ),
    )


# --- Self-assessment ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Heatmap:
    version: FrameworkVersion | None
    levels: list[ScaleLevel]
    table: Table
    # Raw counts {code: {level: members}}, for derived tables that apply the rule themselves.
    counts: dict[str, dict[int, int]] = field(default_factory=dict)


def self_assessment_heatmap(profiles: QuerySet[Profile]) -> Heatmap:
    """Members per competence and level of the current référentiel, with the average level."""
    version = FrameworkVersion.objects.current()
    columns = [_("Compétence")]
    table = Table(key="autoevaluation", title=_("Auto-évaluation : membres par compétence et niveau"), columns=columns)
    if version is None:
        return Heatmap(None, [], table)
    levels = list(ScaleLevel.objects.filter(version=version).order_by("value"))
    competences = list(Competence.objects.filter(version=version).order_by("domain__order", "order", "code"))
    ratings = (
        SelfAssessment.objects.filter(
            user__in=profiles.values("user_id"), code__in=[competence.code for competence in competences]
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
    for competence in competences:
        per_level = [counts.get((competence.code, level.value), 0) for level in levels]
        not_concerned = counts.get((competence.code, None), 0)
        respondents = sum(per_level) + not_concerned
        rated = sum(per_level)
        average = sum(level.value * n for level, n in zip(levels, per_level, strict=True)) / rated if rated else None
        if 0 < respondents < MIN_GROUP_SIZE:
            cells = small_cells(len(per_level) + 3)
        else:
            cells = [*distribution_cells([*per_level, not_concerned]), Cell(respondents)]
            if any(not cell.shown for cell in cells[: len(per_level)]):
                # With the other counts, the average would give the withheld ones away.
                cells.append(Cell(None, CellState.MASKED))
            else:
                cells.append(statistic_cell(average, group_size=rated))
        table.rows.append(Row(f"{competence.code} {competence.title}", cells, code=competence.code))
    by_code: dict[str, dict[int, int]] = {}
    for (code, level), count in counts.items():
        if level is not None:
            by_code.setdefault(code, {})[level] = count
    return Heatmap(version, levels, table, by_code)


# --- Declared missions -------------------------------------------------------------------------


def declared_missions(profiles: QuerySet[Profile], version: FrameworkVersion | None) -> Table | None:
    """Per mission of the current référentiel: members who declare it and the average time share they give it."""
    if version is None:
        return None
    missions = list(Mission.objects.filter(version=version).order_by("order", "code"))
    rows = (
        MissionDeclaration.objects.filter(
            user__in=profiles.values("user_id"), mission_code__in=[mission.code for mission in missions]
        )
        .values("mission_code")
        .annotate(n=Count("pk"), average=Avg("time_share"))
        .order_by()
    )
    figures = {row["mission_code"]: row for row in rows}
    declaring = MissionDeclaration.objects.filter(user__in=profiles.values("user_id")).aggregate(
        n=Count("user", distinct=True)
    )["n"]
    table = Table(
        key="missions",
        title=_("Missions déclarées"),
        columns=[_("Mission"), _("Membres qui la déclarent"), _("Part moyenne du temps de travail (%)")],
        note=_("%(count)s membres ont déclaré au moins une mission ; une même personne en déclare souvent plusieurs.")
        % {"count": count_cell(declaring).export_value()},
    )
    for mission in missions:
        row = figures.get(mission.code, {"n": 0, "average": None})
        table.rows.append(
            Row(
                f"{mission.code} {mission.title}",
                [count_cell(row["n"]), statistic_cell(row["average"], group_size=row["n"], digits=0)],
                code=mission.code,
            )
        )
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
            # Sums and averages of heatmap cells, one of them withheld: shown beside the heatmap,
            # they would give that cell away by subtraction.
            cells = [Cell(None, CellState.MASKED)] * 4
        else:
            share = round(100 * reached / rated) if rated else None
            cells = [Cell(reached), Cell(below), Cell(share), statistic_cell(gap, group_size=rated)]
        table.rows.append(Row(row.label, [Cell(level), *cells], code=row.code))
    return table


def fiche_participation(profiles: QuerySet[Profile], *, months: int = 12, today: date | None = None) -> Table:
    """Suggestions, comments and contributors per month over the last `months` months."""
    today = today or timezone.localdate()
    starts = [_month_start(today, back) for back in range(months - 1, -1, -1)]
    bounds = [*starts, _month_start(today, -1)]
    authors = profiles.values("user_id")
    window = {"created_at__gte": bounds[0], "created_at__lt": bounds[-1]}
    suggestions = Suggestion.objects.filter(author__in=authors, **window)
    comments = Comment.objects.filter(author__in=authors, hidden_at__isnull=True, **window)
    # One grouped query per table; TruncMonth uses the current time zone, as _month_start does.
    # Contributors = suggestion authors + comment authors - those who did both in the same month.
    suggestion_rows = (
        suggestions.annotate(month=TruncMonth("created_at"))
        .values("month")
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
        .values("month")
        .annotate(
            n=Count("pk"),
            authors=Count("author", distinct=True),
            both=Count("author", distinct=True, filter=Q(also_suggested)),
        )
        .order_by()
    )
    index_of = {(start.year, start.month): index for index, start in enumerate(starts)}

    def per_month(rows, *names):
        counts = {name: [0] * len(starts) for name in names}
        for row in rows:
            month = timezone.localtime(row["month"]) if timezone.is_aware(row["month"]) else row["month"]
            index = index_of.get((month.year, month.month))
            if index is not None:
                for name in names:
                    counts[name][index] += row[name]
        return counts

    suggested = per_month(suggestion_rows, "n", "authors")
    commented = per_month(comment_rows, "n", "authors", "both")
    table = Table(
        key="participation",
        title=_("Participation à la fiche commune par mois"),
        columns=[_("Mois"), _("Propositions"), _("Commentaires"), _("Contributeur·rices")],
        note=_("Un mois où moins de 5 membres ont contribué n'est pas détaillé."),
    )
    for index, start in enumerate(starts):
        contributors = suggested["authors"][index] + commented["authors"][index] - commented["both"][index]
        if 0 < contributors < MIN_GROUP_SIZE:
            cells = small_cells(3)
        else:
            cells = [Cell(suggested["n"][index]), Cell(commented["n"][index]), Cell(contributors)]
        table.rows.append(Row(date_format(start, "F Y"), cells, code=date_format(start, "N Y")))
    return table


def _month_start(today: date, months_back: int) -> datetime:
    """Midnight, local time, on the first day of the month `months_back` months before `today`'s."""
    index = today.year * 12 + today.month - 1 - months_back
    first = date(index // 12, index % 12 + 1, 1)
    return timezone.make_aware(datetime.combine(first, time.min))


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


def training_wishes(profiles: QuerySet[Profile]) -> Table:
    """Members whose training wishes mention each theme, most requested first."""
    # DISTINCT (harmless: the primary key is selected) makes the aggregate read a subquery, so the
    # text is put in capitals once per member: a third of the time of the plain `icontains`.
    written = (
        sharing_about(profiles).exclude(training_wishes="").values("pk", wishes=Upper("training_wishes")).distinct()
    )
    aggregates = {"writers": Count("pk")}
    for key, _label, words in TRAINING_THEMES:
        aggregates[key] = Count("pk", filter=_any_word(words))
    totals = written.aggregate(**aggregates)
    table = Table(
        key="formation",
        title=_("Besoins de formation les plus cités"),
        columns=[_("Thème"), _("Membres")],
        note=_(
            "Thèmes repérés dans le texte libre « besoins de formation » ; une même personne peut citer "
            "plusieurs thèmes. %(count)s membres ont décrit leurs besoins."
        )
        % {"count": count_cell(totals["writers"]).export_value()},
    )
    ranked = sorted(TRAINING_THEMES, key=lambda theme: (-totals[theme[0]], str(theme[1])))
    for key, label, _words in ranked:
        table.rows.append(Row(str(label), [count_cell(totals[key])], code=key))
    return table


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


def network_dashboard(filters: DashboardFilters) -> Dashboard:
    """Every figure of the dashboard for `filters`; figures on fewer than 5 members are withheld."""
    profiles = network_members(filters)
    regions = list(Region.objects.order_by("name"))
    headline = overview(profiles)
    region_table = members_by_region(profiles, regions)
    kind_table = members_by_kind(profiles)
    if not headline.large_enough:
        # A population this small would be described by any figure, even a zero (which says where
        # they are not): only the map and the two territory tables remain, every cell withheld.
        for table in (region_table, kind_table):
            for row in table.rows:
                row.cells = small_cells(len(row.cells))
        return Dashboard(filters, headline, region_table, kind_table, None, None, None)
    heatmap = self_assessment_heatmap(profiles)
    expected = expected_levels()
    return Dashboard(
        filters=filters,
        overview=headline,
        regions=region_table,
        kinds=kind_table,
        post=post_figures(profiles),
        heatmap=heatmap,
        training=training_wishes(profiles),
        missions=declared_missions(profiles, heatmap.version),
        expected=expected,
        gaps=expected_level_gaps(heatmap, expected),
        participation=fiche_participation(profiles),
    )


def key_figures() -> Overview:
    """The public, non-identifying figures of the whole network."""
    return overview(network_members())
