"""The results of a campaign: counts and distributions per question, under the small-numbers rule.

Every response is read once (`values_list("answers", "region_code", "category")`) and counted into
every *view* it belongs to: the whole campaign, its region, its category of post. Each count of each
view is then one cell of a single `Publication` (core/figures/disclosure.py) with the sums that tie
them — a single choice's options add up to its answered count, the regions add up to the whole, the
categories add up to the whole — so that a count of 1 to 4 ("moins de 5") can never be worked out by
subtracting one view from another: complementary suppression masks whatever would give it back.

Groups. A region (or a category) is offered as a filter only when at least 5 people of it answered
and at least 5 people outside it answered (its complement: the whole minus the region). The regions
not offered form one unpublished group, "the others"; when that group would hold 1 to 4 people
(readable as the whole minus the offered regions), the smallest offered region joins it until it
holds none or at least 5. Every published group, and every group a reader can derive from them,
thus holds 0 or at least 5 respondents; the figures inside them are protected by the publication.

Means are published as sums (`floor=0`) tied across views in the same way, so that a mean over fewer
than 5 answers never comes out of the others; medians and quartiles are shown only over 5 answers
or more, when the count they rest on is shown.

Free texts are listed for the team only, on the whole campaign only (a text next to a small region
could name its author), sorted alphabetically (never in the order they came in).
"""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal, InvalidOperation
from functools import cached_property

from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.concurrency import version_claim
from core.figures.charts import Chart, bar_chart, histogram
from core.figures.disclosure import MIN_GROUP_SIZE, PUBLISHED, UNPUBLISHED, CellState, Publication
from core.figures.tables import Cell, Row, Table, statistic_cell
from members.enums import Category
from members.models import Region
from surveys.enums import CampaignStatus, QuestionKind
from surveys.questions import TEXT_KINDS, question_options, questionnaire_structure

ALL = ("all",)
REGIONS_REST = ("region", None)  # the regions not offered, together (never published)
CATEGORIES_REST = ("category", None)
OTHER_VALUE = "__autre__"
# The bands of a percentage in a split: how many gave each part none, a little, a half, most of it.
SPLIT_BANDS = [(0, 0), (1, 24), (25, 49), (50, 74), (75, 100)]
NUMBER_BANDS = 6
NUMBER_LIMIT = Decimal(10) ** 12
_RANK_ALL, _RANK_CATEGORY, _RANK_REGION = 20, 10, 0


def region_view(code: str) -> tuple:
    return ("region", code)


def category_view(code: str) -> tuple:
    return ("category", code)


# --- Reading one answer -----------------------------------------------------------------------------


def _decimal(value) -> Decimal | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    # Beyond what a number question accepts (12 digits): not an answer answering would have stored.
    return number if number.is_finite() and abs(number) < NUMBER_LIMIT else None


def _split(value, parts: set[str]) -> dict[str, int] | None:
    if not isinstance(value, dict) or not value:
        return None
    shares = {}
    for part, share in value.items():
        if str(part) not in parts or isinstance(share, bool) or not isinstance(share, int) or not 0 <= share <= 100:
            return None
        shares[str(part)] = share
    return shares if sum(shares.values()) == 100 else None


@dataclass
class QuestionSpec:
    """What results need to know of one question: its options, and the figures it publishes."""

    question: object
    options: list[tuple[str, str]]
    bands: list[tuple[Decimal, Decimal, str]] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.question.code

    @property
    def kind(self) -> str:
        return self.question.kind


def _nice_step(span: Decimal) -> Decimal:
    if span <= 0:
        return Decimal(1)
    raw = span / NUMBER_BANDS
    power = Decimal(10) ** int(raw.log10().to_integral_value(rounding=ROUND_FLOOR))
    for factor in (1, 2, 5, 10):
        if raw <= factor * power:
            return factor * power
    return 10 * power


def _number_label(value: Decimal) -> str:
    return number_format(value.normalize() if value == value.to_integral() else value, use_l10n=True)


def number_bands(low: Decimal, high: Decimal) -> list[tuple[Decimal, Decimal, str]]:
    """About six bands of a round width covering low..high: (from, up to excluded, label); the last includes its end."""
    step = _nice_step(high - low)
    start = (low / step).to_integral_value(rounding=ROUND_FLOOR) * step
    bands = []
    edge = start
    while True:
        end = edge + step
        last = end > high
        if last:
            label = _("de %(low)s à %(high)s") % {"low": _number_label(edge), "high": _number_label(end)}
        else:
            label = _("de %(low)s à moins de %(high)s") % {"low": _number_label(edge), "high": _number_label(end)}
        bands.append((edge, end, label))
        edge = end
        if last or len(bands) > 2 * NUMBER_BANDS:
            break
    return bands


def _band_of(value: Decimal, bands) -> int:
    for index, (low, high, _label) in enumerate(bands):
        if low <= value < high:
            return index
    return len(bands) - 1


def split_band_label(low: int, high: int) -> str:
    return "0\u00a0%" if high == 0 else f"{low}–{high}\u00a0%"


# --- Counting -----------------------------------------------------------------------------------


@dataclass
class Groups:
    """The regions and categories offered as filters, and the size of every group."""

    total: int
    regions: dict[str, int]  # offered region code -> respondents
    categories: dict[str, int]
    region_names: dict[str, str]

    def view_of_region(self, code: str) -> tuple:
        return region_view(code) if code in self.regions else REGIONS_REST

    def view_of_category(self, code: str) -> tuple:
        return category_view(code) if code in self.categories else CATEGORIES_REST


def _offered(sizes: Counter, total: int) -> dict[str, int]:
    """Groups of at least 5 whose complement holds at least 5, the rest holding 0 or at least 5."""
    offered = {
        code: size for code, size in sizes.items() if code and size >= MIN_GROUP_SIZE and total - size >= MIN_GROUP_SIZE
    }
    while offered and 0 < total - sum(offered.values()) < MIN_GROUP_SIZE:
        smallest = min(offered, key=lambda code: (offered[code], code))
        del offered[smallest]
    return offered


def campaign_groups(rows: list[tuple]) -> Groups:
    total = len(rows)
    regions = _offered(Counter(region for _answers, region, _category in rows), total)
    categories = _offered(Counter(category for _answers, _region, category in rows), total)
    names = dict(Region.objects.filter(code__in=list(regions)).values_list("code", "name")) if regions else {}
    return Groups(total, regions, categories, names)


class CampaignFigures:
    """Every count of every view of one campaign, protected together (see the module's docstring)."""

    def __init__(self, campaign, rows: list[tuple] | None = None):
        self.campaign = campaign
        if rows is None:
            rows = list(campaign.responses.values_list("answers", "region_code", "category"))
        # A stored answer that is not a dict (hand-edited data) counts as a respondent who answered nothing.
        rows = [(answers if isinstance(answers, dict) else {}, region, category) for answers, region, category in rows]
        self.sections = questionnaire_structure(campaign.questionnaire)
        self.specs = [QuestionSpec(question, question_options(question)) for question in self._questions()]
        self.groups = campaign_groups(rows)
        self.large_enough = self.groups.total >= MIN_GROUP_SIZE
        self.values: dict[tuple, int] = defaultdict(int)  # (figure, view) -> count
        self.numbers: dict[tuple, list] = defaultdict(list)  # (code, view) -> answers to a number question
        self.split_sums: dict[tuple, int] = defaultdict(int)
        self.texts: dict[str, list[str]] = defaultdict(list)
        self._prepare_specs(rows)
        self._count(rows)
        self.publication = self._publish() if self.large_enough else None

    def _questions(self):
        return [question for section in self.sections for question in section.questions.all()]

    @property
    def views(self) -> list[tuple]:
        views = [ALL]
        views += [region_view(code) for code in self.groups.regions]
        views += [category_view(code) for code in self.groups.categories]
        if self.groups.regions:
            views.append(REGIONS_REST)
        if self.groups.categories:
            views.append(CATEGORIES_REST)
        return views

    def _prepare_specs(self, rows) -> None:
        """Bands of the number questions (from the whole campaign's answers) and stray option values."""
        for spec in self.specs:
            if spec.kind == QuestionKind.NUMBER:
                values = [
                    number for answers, _r, _c in rows if (number := _decimal(answers.get(spec.code))) is not None
                ]
                question = spec.question
                low = min(values, default=question.number_min if question.number_min is not None else Decimal(0))
                high = max(values, default=question.number_max if question.number_max is not None else low + 10)
                spec.bands = number_bands(low, high)
            elif spec.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.SCALE):
                known = {value for value, _label in spec.options}
                stray = False
                for answers, _r, _c in rows:
                    answer = answers.get(spec.code)
                    values = answer if isinstance(answer, list) else [answer]
                    if answer is not None and any(str(value) not in known for value in values):
                        stray = True
                        break
                if stray:
                    spec.options = [*spec.options, (OTHER_VALUE, _("Autre valeur (option qui n'existe plus)"))]

    def _count(self, rows) -> None:
        values, groups = self.values, self.groups
        for answers, region, category in rows:
            views = [ALL]
            if groups.regions:
                views.append(groups.view_of_region(region))
            if groups.categories:
                views.append(groups.view_of_category(category))
            figures = [("n",)]
            for spec in self.specs:
                figures += self._figures_of(spec, answers, views)
            for figure in figures:
                for view in views:
                    values[(figure, view)] += 1

    def _figures_of(self, spec: QuestionSpec, answers: dict, views: list[tuple]) -> list[tuple]:
        """The figures one response adds 1 to for `spec` (and its sums, noted aside)."""
        code, kind = spec.code, spec.kind
        answer = answers.get(code)
        if answer is None or answer == "" or answer == []:
            return []
        known = {value for value, _label in spec.options}
        if kind in (QuestionKind.SINGLE, QuestionKind.SCALE):
            if isinstance(answer, (list, dict)):
                return []
            value = str(answer) if str(answer) in known else OTHER_VALUE
            return [("answered", code), ("option", code, value)]
        if kind == QuestionKind.MULTIPLE:
            if not isinstance(answer, list):
                return []
            chosen = {str(value) if str(value) in known else OTHER_VALUE for value in answer}
            return [("answered", code), *(("option", code, value) for value in chosen)]
        if kind == QuestionKind.NUMBER:
            number = _decimal(answer)
            if number is None:
                return []
            for view in views:
                self.numbers[(code, view)].append(number)
            return [("answered", code), ("band", code, _band_of(number, spec.bands))]
        if kind == QuestionKind.SPLIT:
            shares = _split(answer, known)
            if shares is None:
                return []
            figures = [("answered", code)]
            for part, _label in spec.options:
                share = shares.get(part, 0)
                for view in views:
                    self.split_sums[(("sum", code, part), view)] += share
                band = next(index for index, (low, high) in enumerate(SPLIT_BANDS) if low <= share <= high)
                figures.append(("split-band", code, part, band))
            return figures
        if kind in TEXT_KINDS:
            if not isinstance(answer, str) or not answer.strip():
                return []
            if ALL in views:
                self.texts[code].append(answer.strip())
            return [("answered", code)]
        return []

    # --- The publication -------------------------------------------------------------------------

    def _figure_names(self) -> list[tuple]:
        names = [("n",)]
        for spec in self.specs:
            names.append(("answered", spec.code))
            if spec.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.SCALE):
                names += [("option", spec.code, value) for value, _label in spec.options]
            elif spec.kind == QuestionKind.NUMBER:
                names += [("band", spec.code, index) for index in range(len(spec.bands))]
            elif spec.kind == QuestionKind.SPLIT:
                names += [
                    ("split-band", spec.code, part, band)
                    for part, _label in spec.options
                    for band in range(len(SPLIT_BANDS))
                ]
        return names

    def _rank(self, view: tuple) -> int:
        if view == ALL:
            return _RANK_ALL
        return _RANK_CATEGORY if view[0] == "category" else _RANK_REGION

    def _publish(self) -> Publication:
        publication = Publication()
        views = self.views
        names = self._figure_names()
        for view in views:
            appearance = PUBLISHED if view[1:] != (None,) else UNPUBLISHED
            rank = self._rank(view)
            for name in names:
                # A group's size is what every figure of its view is read against: masked last.
                bonus = {"n": 100, "answered": 10}.get(name[0], 0)
                publication.cell((name, view), self.values.get((name, view), 0), appearance, rank=rank + bonus)
            self._declare_sums(publication, view, appearance, rank)
            self._declare_view_equations(publication, view)
        sums = self._sum_names()
        for name in [*names, *sums]:
            for kind in ("region", "category"):
                parts = [view for view in views if view[0] == kind]
                if parts:
                    publication.equation((name, ALL), [(name, view) for view in parts])
        publication.protect()
        return publication

    def _sum_names(self) -> list[tuple]:
        names = []
        for spec in self.specs:
            if spec.kind == QuestionKind.NUMBER:
                names.append(("sum", spec.code))
            elif spec.kind == QuestionKind.SPLIT:
                names += [("sum", spec.code, part) for part, _label in spec.options]
        return names

    def sum_value(self, name: tuple, view: tuple) -> int:
        if len(name) == 2:  # a number question's answers, in hundredths
            return sum(int((value * 100).to_integral_value()) for value in self.numbers.get((name[1], view), ()))
        return self.split_sums.get((name, view), 0)

    def _declare_sums(self, publication: Publication, view: tuple, appearance: str, rank: int) -> None:
        """The sums behind the means: published only over 5 answers or more, never worked out below."""
        for name in self._sum_names():
            given = self.values.get((("answered", name[1]), view), 0)
            eligible = appearance == PUBLISHED and given >= MIN_GROUP_SIZE
            publication.cell(
                (name, view),
                self.sum_value(name, view),
                PUBLISHED if eligible else UNPUBLISHED,
                rank=rank,
                withheld=not eligible,
                protected=0 < given < MIN_GROUP_SIZE,
                floor=0,
            )

    def _declare_view_equations(self, publication: Publication, view: tuple) -> None:
        respondents = (("n",), view)
        for spec in self.specs:
            answered = (("answered", spec.code), view)
            publication.at_most(answered, respondents)
            if spec.kind in (QuestionKind.SINGLE, QuestionKind.SCALE):
                publication.equation(answered, [(("option", spec.code, value), view) for value, _l in spec.options])
            elif spec.kind == QuestionKind.MULTIPLE:
                for value, _label in spec.options:
                    publication.at_most((("option", spec.code, value), view), answered)
            elif spec.kind == QuestionKind.NUMBER:
                publication.equation(answered, [(("band", spec.code, index), view) for index in range(len(spec.bands))])
            elif spec.kind == QuestionKind.SPLIT:
                for part, _label in spec.options:
                    publication.equation(
                        answered,
                        [(("split-band", spec.code, part, band), view) for band in range(len(SPLIT_BANDS))],
                    )

    # --- Cells -------------------------------------------------------------------------------------

    def cell(self, name: tuple, view: tuple) -> Cell:
        """A count as published: its number, "moins de 5" or "masqué"."""
        key = (name, view)
        state = self.publication.state(key)
        return Cell(self.publication.value(key)) if state == CellState.SHOWN else Cell(None, state)

    def offers(self, view: tuple) -> bool:
        return (
            view == ALL
            or (view[0] == "region" and view[1] in self.groups.regions)
            or (view[0] == "category" and view[1] in self.groups.categories)
        )

    def results(self, view: tuple = ALL, *, team: bool = True) -> CampaignResults:
        """The page's figures for `view` (`team`: with the free texts, on the whole campaign only)."""
        if not self.large_enough or not self.offers(view):
            return CampaignResults(self, view, respondents=Cell(None, CellState.SMALL), questions=[], shown=False)
        questions = [self._question(spec, view, team=team) for spec in self.specs]
        return CampaignResults(self, view, respondents=self.cell(("n",), view), questions=questions, shown=True)

    def view_label(self, view: tuple) -> str:
        if view == ALL:
            return _("Toutes les réponses")
        if view[0] == "region":
            return _("Région : %(name)s") % {"name": self.groups.region_names.get(view[1], view[1])}
        return _("Catégorie de poste : %(name)s") % {"name": category_label(view[1])}

    def view_slug(self, view: tuple) -> str:
        if view == ALL:
            return "toutes"
        return f"{'region' if view[0] == 'region' else 'categorie'}-{view[1]}"

    def _question(self, spec: QuestionSpec, view: tuple, *, team: bool) -> QuestionResult:
        code = spec.code
        answered = self.cell(("answered", code), view)
        result = QuestionResult(spec=spec, answered=answered)
        if spec.kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.SCALE):
            result.table = self._options_table(spec, view, answered)
            result.chart_kind = "histogram" if spec.kind == QuestionKind.SCALE else "bar"
        elif spec.kind == QuestionKind.NUMBER:
            result.stats = self._number_stats(spec, view, answered)
            result.table = Table(
                f"{code}-bandes",
                _("Répartition des réponses par tranche"),
                [_("Tranche"), _("Nombre de personnes")],
                [
                    Row(label, [self.cell(("band", code, index), view)])
                    for index, (_l, _h, label) in enumerate(spec.bands)
                ],
            )
            result.chart_kind = "histogram"
        elif spec.kind == QuestionKind.SPLIT:
            result.stats = self._split_means(spec, view, answered)
            result.table = Table(
                f"{code}-repartition",
                _("Nombre de personnes par part déclarée"),
                [_("Option"), *(split_band_label(low, high) for low, high in SPLIT_BANDS)],
                [
                    Row(
                        label,
                        [self.cell(("split-band", code, part, band), view) for band in range(len(SPLIT_BANDS))],
                        code=part,
                    )
                    for part, label in spec.options
                ],
            )
            result.chart_kind = "bar-stats"
        elif spec.kind in TEXT_KINDS:
            result.texts = sorted(self.texts.get(code, []), key=str.casefold) if team and view == ALL else None
        return result

    def _share(self, count: Cell, answered: Cell) -> Cell:
        if not count.shown or not answered.shown:
            return Cell(None, CellState.SMALL if not count.shown else answered.state, statistic=True)
        if not answered.value:
            return Cell(None, statistic=True)
        return Cell(round(100 * count.value / answered.value, 1) + 0, statistic=True)

    def _options_table(self, spec: QuestionSpec, view: tuple, answered: Cell) -> Table:
        rows = []
        for value, label in spec.options:
            count = self.cell(("option", spec.code, value), view)
            rows.append(Row(label, [count, self._share(count, answered)], code=value))
        share = _("Part (%)")
        note = _("Part : sur les personnes qui ont répondu à la question.")
        if spec.kind == QuestionKind.MULTIPLE:
            note += " " + _("Plusieurs réponses possibles : les parts ne totalisent pas 100\u00a0%.")
        return Table(
            f"{spec.code}-options", _("Réponses"), [_("Réponse"), _("Nombre de personnes"), share], rows, note=note
        )

    def _number_stats(self, spec: QuestionSpec, view: tuple, answered: Cell) -> Table:
        values = sorted(self.numbers.get((spec.code, view), []))
        size = len(values) if answered.shown else 0
        sum_key = (("sum", spec.code), view)
        mean = None
        if values and self.publication.state(sum_key) == CellState.SHOWN:
            mean = float(sum(values)) / len(values)
        quartiles = (
            statistics.quantiles([float(v) for v in values], n=4, method="inclusive")
            if len(values) >= 2
            else [None] * 3
        )
        rows = [
            Row(_("Moyenne"), [statistic_cell(mean, group_size=size if mean is not None else 0)]),
            Row(_("Premier quartile"), [statistic_cell(quartiles[0], group_size=size)]),
            Row(_("Médiane"), [statistic_cell(quartiles[1], group_size=size)]),
            Row(_("Troisième quartile"), [statistic_cell(quartiles[2], group_size=size)]),
        ]
        return Table(f"{spec.code}-statistiques", _("Statistiques"), [_("Indicateur"), _("Valeur")], rows)

    def _split_means(self, spec: QuestionSpec, view: tuple, answered: Cell) -> Table:
        given = self.values.get((("answered", spec.code), view), 0)
        rows = []
        for part, label in spec.options:
            key = (("sum", spec.code, part), view)
            shown = answered.shown and self.publication.state(key) == CellState.SHOWN and given
            mean = self.split_sums.get(key, 0) / given if shown else None
            rows.append(Row(label, [statistic_cell(mean, group_size=given if shown else 0)], code=part))
        return Table(
            f"{spec.code}-moyennes",
            _("Part moyenne déclarée (%)"),
            [_("Option"), _("Part moyenne (%)")],
            rows,
        )


def category_label(code: str) -> str:
    try:
        return str(Category(code).label)
    except ValueError:
        return code or _("Non renseignée")


@dataclass
class QuestionResult:
    spec: QuestionSpec
    answered: Cell
    table: Table | None = None
    stats: Table | None = None
    chart_kind: str = ""
    texts: list[str] | None = None

    @property
    def question(self):
        return self.spec.question

    @property
    def is_text(self) -> bool:
        return self.spec.kind in TEXT_KINDS

    @cached_property
    def chart(self) -> Chart | None:
        """The chart drawn beside the question's table (None for free texts)."""
        drawn = self.stats if self.chart_kind == "bar-stats" else self.table
        if drawn is None or not drawn.has_figures:  # every figure withheld: the table says it all
            return None
        if self.chart_kind == "bar":
            return bar_chart(self.table)
        if self.chart_kind == "histogram":
            return histogram(self.table)
        if self.chart_kind == "bar-stats":
            return bar_chart(self.stats)
        return None

    def tables(self) -> list[Table]:
        """The tables the page shows for this question, in its order (what the exports write)."""
        return [table for table in (self.stats, self.table) if table is not None]


@dataclass
class CampaignResults:
    figures: CampaignFigures
    view: tuple
    respondents: Cell
    questions: list[QuestionResult]
    shown: bool

    @property
    def campaign(self):
        return self.figures.campaign

    @property
    def label(self) -> str:
        return self.figures.view_label(self.view)

    @property
    def slug(self) -> str:
        return self.figures.view_slug(self.view)

    @property
    def filtered(self) -> bool:
        return self.view != ALL


# --- Comparison of two campaigns ------------------------------------------------------------------


def lineage_root(questionnaire_id: int, parents: dict[int, int | None]) -> int:
    """The first questionnaire of the copies `questionnaire_id` descends from (via based_on)."""
    seen = {questionnaire_id}
    current = questionnaire_id
    while parents.get(current) is not None and parents[current] not in seen:
        current = parents[current]
        seen.add(current)
    return current


def comparable_campaigns(campaign):
    """The other campaigns of the same questionnaire or of its copies (any copy of any copy), newest first."""
    from surveys.models import Campaign, Questionnaire

    parents = dict(Questionnaire.objects.values_list("pk", "based_on_id"))
    root = lineage_root(campaign.questionnaire_id, parents)
    family = [pk for pk in parents if lineage_root(pk, parents) == root]
    candidates = Campaign.objects.announced().filter(questionnaire_id__in=family).exclude(pk=campaign.pk)
    # An anonymous campaign still open shows no figures (results_held), not even beside another one.
    return candidates.exclude(pk__in=[other.pk for other in candidates if results_held(other)])


@dataclass
class ComparedQuestion:
    first: QuestionResult
    second: QuestionResult
    table: Table

    @property
    def question(self):
        return self.second.question

    @cached_property
    def charts(self) -> list[Chart]:
        """For a choice or a scale, one bar chart of the shares: each option's two campaigns side by side, on
        one scale (the table is beside)."""
        if self.second.spec.kind not in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.SCALE):
            return []
        names = (self.table.columns[2].rsplit(" : ", 1)[0], self.table.columns[4].rsplit(" : ", 1)[0])
        rows = []
        for row in self.table.rows[1:]:
            rows.append(Row(f"{row.label} — {names[0]}", [row.cells[1]], code=row.code))
            rows.append(Row(f"{row.label} — {names[1]}", [row.cells[3]], code=row.code))
        table = Table(f"{self.table.key}-parts", _("Part des personnes qui ont répondu (%)"), ["", ""], rows)
        return [bar_chart(table)] if table.has_figures else []


def compare_campaigns(first: CampaignFigures, second: CampaignFigures) -> list[ComparedQuestion]:
    """Per question code present in both (same kind), the published figures of each, side by side."""
    if not (first.large_enough and second.large_enough):
        return []
    first_results = {result.spec.code: result for result in first.results(ALL, team=False).questions}
    compared = []
    for result in second.results(ALL, team=False).questions:
        earlier = first_results.get(result.spec.code)
        if earlier is None or earlier.spec.kind != result.spec.kind:
            continue
        compared.append(
            ComparedQuestion(earlier, result, _side_by_side(earlier, result, first.campaign, second.campaign))
        )
    return compared


def _side_by_side(first: QuestionResult, second: QuestionResult, first_campaign, second_campaign) -> Table:
    kind = second.spec.kind
    names = (str(first_campaign), str(second_campaign))
    answered = Row(_("Personnes ayant répondu"), [first.answered, second.answered])
    if kind in (QuestionKind.SINGLE, QuestionKind.MULTIPLE, QuestionKind.SCALE):
        columns = [
            _("Réponse"),
            _("%(campaign)s : nombre") % {"campaign": names[0]},
            _("%(campaign)s : part (%%)") % {"campaign": names[0]},
            _("%(campaign)s : nombre") % {"campaign": names[1]},
            _("%(campaign)s : part (%%)") % {"campaign": names[1]},
        ]
        before = {row.code: row for row in first.table.rows}
        after = {row.code: row for row in second.table.rows}
        labels = {row.code: row.label for row in first.table.rows} | {row.code: row.label for row in second.table.rows}
        missing = [Cell(None), Cell(None, statistic=True)]
        rows = [
            Row(
                labels[code],
                [
                    *(before[code].cells if code in before else missing),
                    *(after[code].cells if code in after else missing),
                ],
                code=code,
            )
            for code in labels
        ]
        rows.insert(
            0,
            Row(
                answered.label,
                [first.answered, Cell(None, statistic=True), second.answered, Cell(None, statistic=True)],
            ),
        )
        return Table(f"compare-{second.spec.code}", _("Réponses, campagne par campagne"), columns, rows)
    columns = [_("Indicateur"), names[0], names[1]]
    rows = [answered]
    if kind in (QuestionKind.NUMBER, QuestionKind.SPLIT):
        before = {row.label if kind == QuestionKind.NUMBER else row.code: row for row in first.stats.rows}
        for row in second.stats.rows:
            key = row.label if kind == QuestionKind.NUMBER else row.code
            earlier = before.get(key)
            label = (
                row.label
                if kind == QuestionKind.NUMBER
                else _("%(option)s : part moyenne (%%)") % {"option": row.label}
            )
            rows.append(
                Row(label, [earlier.cells[0] if earlier else Cell(None, statistic=True), row.cells[0]], code=row.code)
            )
    return Table(f"compare-{second.spec.code}", _("Chiffres, campagne par campagne"), columns, rows)


# --- Publishing ------------------------------------------------------------------------------------


class ResultsError(Exception):
    """A publication the rules refuse (the message says why, in French)."""


def results_held(campaign, now=None) -> bool:
    """Whether the figures of `campaign` wait for its close: an anonymous campaign still open shows none.

    Read just before and just after one member sends, the figures would differ by that member's answers
    alone: anonymity would hold in the tables and fail on the page. Once the campaign is closed, nobody
    can send any more and no two readings differ by one person.
    """
    return campaign.anonymous and not campaign_closed(campaign, now)


def campaign_closed(campaign, now=None) -> bool:
    """Whether answers are over for good: closed by the team, or open past its closing date."""
    now = now or timezone.now()
    return campaign.status == CampaignStatus.CLOSED or (
        campaign.status == CampaignStatus.OPEN and campaign.closes_at <= now
    )


@transaction.atomic
def results_publish(*, campaign_id: int, actor, summary: str, lock_version: int | None):
    """The team publishes (or rewrites) the public summary of a closed campaign's results."""
    from surveys.models import Campaign

    campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
    if not campaign_closed(campaign):
        raise ResultsError(_("Les résultats ne se publient qu'une fois la campagne close."))
    if campaign.responses.count() < MIN_GROUP_SIZE:
        raise ResultsError(_("Moins de 5 personnes ont répondu : aucun résultat ne peut être publié."))
    summary = summary.strip()
    if not summary:
        raise ResultsError(_("Écrivez la synthèse publique : quelques phrases qui présentent les résultats."))
    version_claim(campaign, expected=lock_version)
    first = campaign.results_published_at is None
    campaign.public_summary = summary
    if first:
        campaign.results_published_at = timezone.now()
    campaign.save(update_fields=["public_summary", "results_published_at", "updated_at"])
    audit_log(actor=actor, action="surveys.results.published", target=campaign, data={"first": first})
    return campaign


@transaction.atomic
def results_unpublish(*, campaign_id: int, actor):
    """The team withdraws the public results page (the summary is kept for a later publication)."""
    from surveys.models import Campaign

    campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
    if campaign.results_published_at is None:
        raise ResultsError(_("Les résultats de cette campagne ne sont pas publiés."))
    version_claim(campaign, expected=None)
    campaign.results_published_at = None
    campaign.save(update_fields=["results_published_at", "updated_at"])
    audit_log(actor=actor, action="surveys.results.unpublished", target=campaign)
    return campaign
