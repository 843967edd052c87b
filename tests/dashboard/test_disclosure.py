"""Statistical disclosure: an adversary reads everything the dashboard publishes and works out what it can.

The adversary (a curator, or anyone a report or an export is passed on to) fetches, through the
HTTP client, the dashboard under every filter a curator can choose (every region or all, every
kind of territory or all), its CSV and XLSX exports, and the public key figures. It reads every
figure and knows how the figures add up: a table's rows make its total, the regions (minus the
members counted in two of them) make the network, the kinds of territory make a region, the same
figure appears in several views, a part never exceeds its whole. It knows that "moins de 5" is 1
to 4 (0 to 4 where every figure of a small selection reads so) and that "masqué" is at least 5.
It then:

- narrows every figure to an interval and repeats until nothing moves (which solves every equation
  with a single unknown, and a chain of them through several views);
- solves the whole system exactly (Gaussian elimination over the counts of each group of councils),
  which also finds what only a combination of several equations gives away.

No withheld count from 1 to 4 may come out exactly, be it a published cell or the count of a group
of councils nobody publishes (the members without a council, say). With the code of issue 12
(each table protected on its own), the whole network minus the other kinds of territory gave away
a withheld one, and the figures shown under a filter gave away what the unfiltered tables masked.

The other attack: the heatmap counted members who hid their post, the directory (filtered by
competence and level) lists only those who show it to the team: heatmap minus directory gave the
hidden member's rating away. The heatmap and the missions now count only what the directory shows.
"""

import csv
import io
import re
from collections import defaultdict
from datetime import datetime
from fractions import Fraction
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from competences.models import SelfAssessment
from dashboard.selectors import TRAINING_THEMES, YEARS_IN_POST_BINS, years_ago
from fiches.enums import RevisionSource, SectionKind
from fiches.models import COMMON_FICHE_SLUG, Comment, Fiche, Revision, Section, Suggestion
from members.enums import TIME_SHARE_BOUNDS, Category, EmploymentStatus, TerritoryKind, TimeShareBand, Visibility
from members.models import Profile, Region
from missions.models import MissionDeclaration
from tests.dashboard.conftest import build_network
from tests.dashboard.pages import full_page
from tests.dashboard.ratings import rated
from tests.members.factories import CouncilFactory, ProfileFactory
from tests.referentiel.factories import build_version

CSV_URL = reverse("dashboard:network_csv")
XLSX_URL = reverse("dashboard:network_xlsx")
KEY_FIGURES_URL = reverse("dashboard:key_figures")
DIRECTORY_URL = reverse("members:directory")

ALL = ""
INFINITY = 1 << 40
NONE = ("none",)
SMALL, MASKED = "moins de 5", "masqué"
EXPECTED_LEVELS = {"C-1-01": 3, "C-1-02": 3}  # as the common fiche of the fixture says
# The four tables of the post, each adding up to the members who share it: (title, [(figure, row)]).
POST_TABLES = [
    (
        "Part du temps consacrée au conseil",
        [(f"band_{band.value}", band.label) for band in TimeShareBand] + [("band_none", "Non renseigné")],
    ),
    (
        "Ancienneté dans le poste",
        [(f"years_{index}", label) for index, (_low, _high, label) in enumerate(YEARS_IN_POST_BINS)]
        + [("years_none", "Non renseigné")],
    ),
    (
        "Statut",
        [(f"status_{value}", label) for value, label in EmploymentStatus.choices] + [("status_none", "Non renseigné")],
    ),
    (
        "Catégorie",
        [(f"category_{value}", label) for value, label in Category.choices] + [("category_none", "Non renseigné")],
    ),
]


# --- The data: small groups everywhere -----------------------------------------------------------


def _contribute(profile, section, when, *, comments=0):
    suggestion = Suggestion.objects.create(
        section=section, author=profile.user, base_revision=section.current_revision, body="Texte", rationale="Pourquoi"
    )
    Suggestion.objects.filter(pk=suggestion.pk).update(created_at=when)
    for _index in range(comments):
        comment = Comment.objects.create(suggestion=suggestion, author=profile.user, body="Oui")
        Comment.objects.filter(pk=comment.pk).update(created_at=when)


@pytest.fixture
def small_groups(db):
    """The 16 technicians of conftest (8 in Bretagne, 5 in Auvergne-Rhône-Alpes, 3 in Occitanie, one
    of the Bretons hiding their post), plus 2 in a pays across Bretagne and Pays de la Loire and 1
    without a council; self-assessments, missions, training wishes and contributions to the fiche
    that leave groups of 1 to 4 in every table."""
    people = build_network()
    petr = CouncilFactory(kind=TerritoryKind.PETR, departments=["35", "44"])
    people["petr"] = [
        ProfileFactory(council=petr, time_share=30, employment_status=EmploymentStatus.CONTRACTUEL, category="B")
        for _index in range(2)
    ]
    people["nowhere"] = ProfileFactory(council=None, time_share=40, category="A", training_wishes="Évaluation")
    version = build_version()  # competences C-1-01… C-2-03, levels 1 to 4, missions M1 and M2
    raters = people["bretagne"] + people["ara"] + people["petr"]
    for index, profile in enumerate(raters):
        rated(user=profile.user, code="C-1-01", level=2 + index % 3, version=version)
        rated(user=profile.user, code="C-1-02", level=3, version=version)
    # The member who hid their post rates themself: the level only they hold.
    rated(user=people["hidden"].user, code="C-1-02", level=1, version=version)
    for profile in people["occitanie"]:
        rated(user=profile.user, code="C-1-03", not_concerned=True, version=version)
    for index, profile in enumerate(people["bretagne"] + people["ara"]):
        MissionDeclaration.objects.create(user=profile.user, mission_code="M1", time_share=10 + 5 * index)
    for profile in people["occitanie"] + people["petr"] + [people["hidden"]]:
        MissionDeclaration.objects.create(user=profile.user, mission_code="M2", time_share=40)
    fiche = Fiche.objects.create(slug=COMMON_FICHE_SLUG, title="Fiche de poste commune")
    section = Section.objects.create(
        fiche=fiche, key="competences", title="Compétences", kind=SectionKind.COMPETENCES, order=1
    )
    revision = Revision.objects.create(
        section=section, number=1, body="C-1-01 : niveau 3\nC-1-02 : niveau 3", source=RevisionSource.CREATED
    )
    Section.objects.filter(pk=section.pk).update(current_revision=revision)
    section.refresh_from_db()
    now = timezone.localtime()
    this_month = timezone.make_aware(datetime(now.year, now.month, 1, 12))
    for profile in people["bretagne"][:6]:
        _contribute(profile, section, this_month, comments=1)
    for profile in people["ara"][:2] + people["petr"][:1]:
        _contribute(profile, section, this_month)
    return people


# --- Reading what is published -------------------------------------------------------------------


class Page(HTMLParser):
    """The figures of a dashboard or key figures page: headline figures and data tables."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.kpis: dict[str, str] = {}
        self.tables: list[dict] = []
        self.text = ""
        self._capture = None
        self._buffer = ""
        self._label = None
        self._row = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "caption":
            self.tables.append({"title": "", "rows": []})
            self._start("caption")
        elif tag == "tr" and self.tables and "scope" not in attrs:
            self._row = None
        elif tag == "th" and attrs.get("scope") == "row":
            self._start("row")
        elif tag == "td" and self._row is not None:
            self._start("cell")
        elif tag == "p" and "mb-1" in classes and "small" in classes and self._capture is None:
            self._start("kpi-label")
        elif tag == "p" and "fs-3" in classes:
            self._start("kpi-value")

    def _start(self, what):
        self._capture, self._buffer = what, ""

    def handle_data(self, data):
        self.text += data
        if self._capture:
            self._buffer += data

    def handle_endtag(self, tag):
        what, text = self._capture, " ".join(self._buffer.split())
        if tag == "caption" and what == "caption":
            self.tables[-1]["title"] = text
        elif tag == "th" and what == "row":
            self._row = [text, []]
            self.tables[-1]["rows"].append(self._row)
        elif tag == "td" and what == "cell":
            self._row[1].append(text)
        elif tag == "p" and what == "kpi-label":
            self._label = text
        elif tag == "p" and what == "kpi-value":
            self.kpis[self._label] = text
        else:
            return
        self._capture = None

    def table(self, title: str) -> dict[str, list[str]] | None:
        for table in self.tables:
            if table["title"] == title:
                return dict(table["rows"])
        return None


def number(text: str):
    """A figure as written on the page: a number, "moins de 5", "masqué", or None ("—").

    A withheld average or share reads "—" followed by its reason for screen readers: None as well.
    """
    text = text.replace("\xa0%", "").replace(" %", "").strip()
    if text in (SMALL, MASKED):
        return text
    if text in ("—", "") or text.startswith("—non diffusé"):
        return None
    text = text.replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    return float(text.replace(",", ".")) if "," in text or "." in text else int(text)


# --- Who is where, and the true figures -----------------------------------------------------------


class Truth:
    """The true counts, computed here member by member, for every group of councils (an "atom")."""

    def __init__(self, today):
        self.regions = {region.code: region for region in Region.objects.all()}
        self.atom_values: dict[str, dict[tuple, int]] = defaultdict(lambda: defaultdict(int))
        self.atoms: set[tuple] = set()
        self.months = [self._month(today, back) for back in range(11, -1, -1)]
        members = Profile.objects.approved().filter(user__role="member").select_related("council", "user")
        for profile in members:
            atom = self._atom(profile)
            self.atoms.add(atom)
            for name, value in self._figures(profile, today).items():
                self.atom_values[name][atom] += value

    @staticmethod
    def _month(today, back):
        index = today.year * 12 + today.month - 1 - back
        return (index // 12, index % 12 + 1)

    def _atom(self, profile) -> tuple:
        if profile.council is None:
            return NONE
        regions = sorted({department.region.code for department in profile.council.departments.all()})
        return (tuple(regions), profile.council.kind)

    def _figures(self, profile, today) -> dict[str, int]:
        figures = {"members": 1}
        if profile.post_visibility != Visibility.HIDDEN:
            figures["sharing"] = 1
            share = profile.time_share
            band = next(
                (
                    band
                    for band in TimeShareBand
                    if share is not None and TIME_SHARE_BOUNDS[band][0] <= share <= TIME_SHARE_BOUNDS[band][1]
                ),
                None,
            )
            figures[f"band_{band.value}" if band else "band_none"] = 1
            figures["time_sum"] = share or 0
            figures["time_given"] = int(share is not None)
            figures[self._years(profile.started_on, today)] = 1
            figures[f"status_{profile.employment_status}" if profile.employment_status else "status_none"] = 1
            figures[f"category_{profile.category}" if profile.category else "category_none"] = 1
            declarations = list(MissionDeclaration.objects.filter(user=profile.user))
            figures["declaring"] = int(bool(declarations))
            for declaration in declarations:
                figures[f"mission:{declaration.mission_code}"] = 1
                figures[f"mission_sum:{declaration.mission_code}"] = declaration.time_share
            for rating in SelfAssessment.objects.filter(user=profile.user):
                level = "nc" if rating.not_concerned else rating.level
                figures[f"heat:{rating.code}:{level}"] = 1
                figures[f"heat:{rating.code}:all"] = 1
                expected = EXPECTED_LEVELS.get(rating.code)
                if expected and not rating.not_concerned:
                    figures[f"gap:{rating.code}:{'reached' if rating.level >= expected else 'below'}"] = 1
        if profile.about_visibility != Visibility.HIDDEN and profile.training_wishes:
            figures["writers"] = 1
            wishes = profile.training_wishes.upper()
            for key, _label, words in TRAINING_THEMES:
                figures[f"theme:{key}"] = int(any(word.upper() in wishes for word in words))
        contributed = defaultdict(int)
        for suggestion in Suggestion.objects.filter(author=profile.user):
            contributed[(self._index(suggestion.created_at), "proposals")] += 1
        for comment in Comment.objects.filter(author=profile.user, hidden_at__isnull=True):
            contributed[(self._index(comment.created_at), "comments")] += 1
        for (index, figure), count in contributed.items():
            if index is not None:
                figures[f"{figure}:{index}"] = count
                figures[f"contributors:{index}"] = 1
        return figures

    def _index(self, moment):
        local = timezone.localtime(moment)
        month = (local.year, local.month)
        return self.months.index(month) if month in self.months else None

    @staticmethod
    def _years(started_on, today) -> str:
        if started_on is None:
            return "years_none"
        for index, (low, high, _label) in enumerate(YEARS_IN_POST_BINS):
            # Completed at least `low` years, and not `high + 1`.
            started_enough = not low or started_on <= years_ago(today, low)
            if started_enough and (high is None or started_on > years_ago(today, high + 1)):
                return f"years_{index}"
        raise AssertionError(started_on)

    # Populations as sets of atoms.
    def view(self, region: str, kind: str) -> frozenset:
        chosen = {atom for atom in self.atoms if atom != NONE and region in (ALL, *atom[0]) and kind in (ALL, atom[1])}
        if region == ALL and kind == ALL and NONE in self.atoms:
            chosen.add(NONE)
        return frozenset(chosen)

    def overlap(self, first: str, second: str, kind: str) -> frozenset:
        return frozenset(
            atom for atom in self.atoms if atom != NONE and {first, second} <= set(atom[0]) and kind in (ALL, atom[1])
        )

    def value(self, name: str, atoms: frozenset) -> int:
        return sum(self.atom_values[name].get(atom, 0) for atom in atoms)


# --- The adversary -------------------------------------------------------------------------------


class Adversary:
    """Figures (a name and a set of atoms), what is known of each, and the sums tying them."""

    def __init__(self, truth: Truth):
        self.truth = truth
        self.bounds: dict[tuple, list[int]] = {}
        self.shown: set[tuple] = set()
        self.equations: list[list[tuple[int, tuple]]] = []  # sum of coefficient × figure = 0
        self.inequalities: list[tuple[tuple, tuple]] = []
        self.identities: list[list[tuple[int, tuple]]] = []
        self.where: dict[tuple, str] = {}
        self.read_small: set[tuple] = set()
        self.nonzero_unless_inside: set[tuple] = set()

    def figure(self, name: str, atoms: frozenset) -> tuple:
        key = (name, atoms)
        if key not in self.bounds:
            self.bounds[key] = [0, INFINITY]
        return key

    def read(self, name: str, atoms: frozenset, text, *, where: str, small=(1, 4), masked=(5, INFINITY)):
        """What a published cell says of the figure `name` of `atoms` (the same figure may be read many times)."""
        key = self.figure(name, atoms)
        true = self.truth.value(name, atoms)
        if text == SMALL:
            low, high = small
            self.read_small.add(key)
            if low == 1:
                # Unless the same figure of a larger population reads "moins de 5" too (settle_small).
                self.nonzero_unless_inside.add(key)
                low = 0
        elif text == MASKED:
            low, high = masked
        elif text is None:
            return key
        else:
            assert text == true, f"{where}: {name} shows {text}, the true figure is {true}"
            if name in COUNT_NAMES:
                assert not 0 < text < 5, f"{where}: a count of {text} is shown"
            low = high = text
            self.shown.add(key)
        self.where.setdefault(key, where)
        assert low <= true <= high, f"{where}: {name} reads {text!r} but is {true}"
        bounds = self.bounds[key]
        bounds[0], bounds[1] = max(bounds[0], low), min(bounds[1], high)
        return key

    def sum(self, total: tuple, parts: list[tuple], minus: list[tuple] = (), *, every_atom: bool = False) -> None:
        """`total` = sum of `parts` − sum of `minus`; `every_atom`: the same sum holds for every group of
        councils (a table's rows make its total in any population)."""
        coefficients: dict[tuple, int] = defaultdict(int)
        for coefficient, keys in ((1, parts), (-1, minus), (-1, [total])):
            for key in keys:
                coefficients[key] += coefficient
        # A figure of nobody is 0: it drops out.
        terms = [(coefficient, key) for key, coefficient in coefficients.items() if coefficient and key[1]]
        if not terms:
            return
        self.equations.append(terms)
        if every_atom:
            self.identities.append(terms)

    def at_most(self, part: tuple, whole: tuple) -> None:
        self.inequalities.append((part, whole))

    def settle_small(self) -> None:
        """A "moins de 5" is 1 to 4, except where the same figure of a larger population reads
        "moins de 5" too: part of a group of fewer than 5, it is withheld even when it is 0."""
        for key in self.nonzero_unless_inside:
            name, atoms = key
            if not any(other[0] == name and atoms < other[1] for other in self.read_small):
                assert self.truth.value(name, atoms) >= 1, f"{self.where[key]}: {name} reads 'moins de 5' but is 0"
                self.bounds[key][0] = max(self.bounds[key][0], 1)

    def link_atoms(self) -> None:
        """Every figure is the sum of the figures of its atoms (themselves figures nobody publishes)."""
        for name, atoms in list(self.bounds):
            if len(atoms) > 1:
                self.sum((name, atoms), [self.figure(name, frozenset([atom])) for atom in sorted(atoms, key=str)])

    # Interval propagation, to a fixed point.
    def propagate(self) -> dict[tuple, list[int]]:
        bounds = {key: list(value) for key, value in self.bounds.items()}
        for _sweep in range(10_000):
            moved = False
            for terms in self.equations:
                lows = [coefficient * bounds[key][0 if coefficient > 0 else 1] for coefficient, key in terms]
                highs = [coefficient * bounds[key][1 if coefficient > 0 else 0] for coefficient, key in terms]
                low_sum, high_sum = sum(lows), sum(highs)
                for (coefficient, key), low, high in zip(terms, lows, highs, strict=True):
                    # coefficient × figure = −(the others), between −(their highs) and −(their lows).
                    others_high, others_low = high_sum - high, low_sum - low
                    least = -others_high if abs(others_high) < INFINITY // 2 else None
                    most = -others_low if abs(others_low) < INFINITY // 2 else None
                    moved |= self._tighten(bounds[key], coefficient, least, most)
            for part, whole in self.inequalities:
                if bounds[part][1] > bounds[whole][1]:
                    bounds[part][1], moved = bounds[whole][1], True
                if bounds[whole][0] < bounds[part][0]:
                    bounds[whole][0], moved = bounds[part][0], True
            if not moved:
                return bounds
        raise AssertionError("no fixed point")

    @staticmethod
    def _tighten(current, coefficient, least, most) -> bool:
        """coefficient × x lies between `least` and `most` (None: no bound): narrow x, rounding inwards."""
        if coefficient < 0:  # dividing by a negative number swaps the bounds
            least, most = most, least
        moved = False
        if least is not None:
            value = -((-least) // coefficient)  # the ceiling of least / coefficient
            if value > current[0]:
                current[0], moved = value, True
        if most is not None:
            value = most // coefficient  # the floor
            if value < current[1]:
                current[1], moved = value, True
        assert current[0] <= current[1], "the published figures contradict each other"
        return moved

    # Exact elimination over the atoms.
    def determined(self, keys: list[tuple]) -> set[tuple]:
        """Among `keys`, the figures a combination of the published ones gives exactly."""
        basis: dict[tuple, dict[tuple, Fraction]] = {}  # pivot -> row, reduced on every pivot

        def reduce(row):
            row = dict(row)
            for pivot, basis_row in basis.items():
                factor = row.get(pivot)
                if factor:
                    for column, value in basis_row.items():
                        row[column] = row.get(column, 0) - factor * value
                        if not row[column]:
                            del row[column]
            return row

        def add(row):
            row = reduce(row)
            if not row:
                return
            pivot = min(row, key=str)
            scale = row[pivot]
            row = {column: value / scale for column, value in row.items()}
            for other in basis.values():
                factor = other.get(pivot)
                if factor:
                    for column, value in row.items():
                        other[column] = other.get(column, 0) - factor * value
                        if not other[column]:
                            del other[column]
            basis[pivot] = row

        def atoms_of(key):
            name, atoms = key
            return {(name, atom): Fraction(1) for atom in atoms}

        for key in self.shown:
            add(atoms_of(key))
        for terms in self.identities:
            atoms = set().union(*(key[1] for _coefficient, key in terms))
            for atom in atoms:
                add({(key[0], atom): Fraction(coefficient) for coefficient, key in terms})
        return {key for key in keys if not reduce(atoms_of(key))}


COUNT_NAMES = {"members", "sharing", "declaring", "writers"} | {
    name for _title, rows in POST_TABLES for name, _label in rows
}


def _publications(client, regions, kinds):
    """Every view of the dashboard: {(region code, kind): parsed page}."""
    pages = {}
    for region in [ALL, *regions]:
        for kind in [ALL, *kinds]:
            query = {name: value for name, value in (("region", region), ("kind", kind)) if value}
            pages[(region, kind)] = Page(full_page(client, query).content.decode())
    return pages


def _read_view(adversary: Adversary, truth: Truth, page: Page, region: str, kind: str, names) -> None:
    """Every figure of one view, and the sums a reader knows hold between them."""
    view = truth.view(region, kind)
    where = f"region={region or 'all'} kind={kind or 'all'}"
    tiny = "Moins de 5 membres correspondent à ces filtres" in page.text
    small = (0, 4) if tiny else (1, 4)

    members = adversary.read("members", view, number(page.kpis["Membres"]), where=where, small=small)
    # Members per region: each row is a region's members (under a region filter, those also counted there).
    regions = page.table("Membres par région")
    rows = []
    for code, name in names["regions"].items():
        atoms = truth.view(code, kind) if region in (ALL, code) else truth.overlap(*sorted([region, code]), kind)
        rows.append(adversary.read("members", atoms, number(regions[name][0]), where=where, small=small))
    unknown_council = number(regions["Conseil non renseigné"][0])
    if (region, kind) == (ALL, ALL):
        rows.append(adversary.read("members", frozenset([NONE]), unknown_council, where=where, small=small))
    kinds = page.table("Membres par type de territoire")
    by_kind = []
    for value, label in names["kinds"].items():
        atoms = truth.view(region, value) if kind in (ALL, value) else frozenset()
        by_kind.append(adversary.read("members", atoms, number(kinds[label][0]), where=where, small=small))
    if kind == ALL:
        extra = [adversary.figure("members", frozenset([NONE]))] if region == ALL and NONE in truth.atoms else []
        adversary.sum(members, by_kind + extra)
    if tiny:
        assert "Le poste" not in page.text
        return

    # The post: four tables adding up to the members who share it.
    shared = re.search(r"Parmi (?:les )?(\d+) membres? qui partagent", page.text)
    fewer = "Moins de 5 membres partagent" in page.text
    sharing_text = int(shared[1]) if shared else SMALL if fewer else MASKED
    post_small = (0, 4) if fewer else (1, 4)
    sharing = adversary.read("sharing", view, sharing_text, where=where, small=(0, 4))
    adversary.at_most(sharing, members)
    for title, table_rows in POST_TABLES:
        table = page.table(str(title))
        parts = [
            adversary.read(name, view, number(table[str(label)][0]), where=where, small=post_small)
            for name, label in table_rows
        ]
        adversary.sum(sharing, parts, every_atom=True)

    # Missions: each one at most the members declaring one.
    missions = page.table("Missions déclarées")
    declared = re.search(r"(\d+|moins de 5) membres ont déclaré au moins une mission", page.text)
    declaring = adversary.read("declaring", view, number(declared[1]) if declared else MASKED, where=where)
    adversary.at_most(declaring, members)
    for label, cells in missions.items():
        code = label.split()[0]
        count = adversary.read(f"mission:{code}", view, number(cells[0]), where=where)
        adversary.at_most(count, declaring)
        if number(cells[0]) in (SMALL, MASKED):
            assert number(cells[1]) in (SMALL, MASKED, None), f"{where}: the average of a withheld count is shown"

    # Training wishes: each theme at most the members who wrote theirs.
    training = page.table("Besoins de formation les plus cités")
    written = re.search(r"(\d+|moins de 5) membres ont décrit leurs besoins", page.text)
    writers = adversary.read("writers", view, number(written[1]) if written else MASKED, where=where)
    adversary.at_most(writers, members)
    for key, label, _words in TRAINING_THEMES:
        adversary.at_most(adversary.read(f"theme:{key}", view, number(training[str(label)][0]), where=where), writers)

    # Fiche participation: a month's row is withheld with its contributors.
    participation = page.table("Participation à la fiche commune par mois")
    for index, (_label, cells) in enumerate(participation.items()):
        proposals, comments, contributors = (number(cell) for cell in cells)
        row_small = (0, INFINITY) if contributors in (SMALL, MASKED) else None
        for name, text in (("proposals", proposals), ("comments", comments)):
            adversary.read(f"{name}:{index}", view, text, where=where, small=row_small, masked=(0, INFINITY))
        adversary.at_most(adversary.read(f"contributors:{index}", view, contributors, where=where), members)

    # The average time share rests on a sum of time shares: when the average is shown, the reader
    # is taken to know the sum exactly (it knows it to within half a point per member).
    average = number(page.kpis["Part moyenne du temps consacrée au conseil"])
    key = adversary.figure("time_sum", view)
    if isinstance(average, int | float):
        adversary.bounds[key] = [truth.value("time_sum", view)] * 2
        adversary.shown.add(key)


def _read_heatmap(adversary: Adversary, truth: Truth, page: Page) -> None:
    """The heatmap (whole network only): levels and "non concerné·e" add up to the respondents."""
    whole = truth.view(ALL, ALL)
    table = page.table("Auto-évaluation : membres par compétence et niveau")
    gaps = page.table("Écart au niveau attendu par la fiche commune")
    for label, cells in table.items():
        code = label.split()[0]
        figures = [number(cell) for cell in cells]
        row_small = (0, 4) if figures[5] == SMALL else (1, 4)
        levels = [
            adversary.read(f"heat:{code}:{level}", whole, figures[level - 1], where="heatmap", small=row_small)
            for level in (1, 2, 3, 4)
        ]
        not_concerned = adversary.read(f"heat:{code}:nc", whole, figures[4], where="heatmap", small=row_small)
        respondents = adversary.read(f"heat:{code}:all", whole, figures[5], where="heatmap")
        adversary.sum(respondents, [*levels, not_concerned], every_atom=True)
        if any(figure in (SMALL, MASKED) for figure in figures[:4]):
            assert figures[6] in (SMALL, MASKED, None), f"heatmap {code}: the average gives withheld levels away"
        if gaps and label in gaps:
            expected = number(gaps[label][0])
            reached = number(gaps[label][1])
            below = number(gaps[label][2])
            if isinstance(reached, int):
                reached_key = adversary.read(f"gap:{code}:reached", whole, reached, where="gaps")
                adversary.sum(reached_key, levels[expected - 1 :], every_atom=True)
                below_key = adversary.read(f"gap:{code}:below", whole, below, where="gaps")
                adversary.sum(below_key, levels[: expected - 1], every_atom=True)


def _territory_sums(adversary: Adversary, truth: Truth, names) -> None:
    """Every figure of a kind adds up over the regions, minus the members counted in two of them;
    every figure of a region adds up over the kinds."""
    figure_names = {name for name, _atoms in adversary.bounds}
    crossing = [atom for atom in truth.atoms if atom != NONE and len(atom[0]) > 1]
    for name in figure_names:
        if name.startswith(("heat:", "gap:")):
            continue
        for kind in [ALL, *names["kinds"]]:
            total = truth.view(ALL, kind)
            if not total:
                continue
            parts = [
                adversary.figure(name, truth.view(code, kind)) for code in names["regions"] if truth.view(code, kind)
            ]
            # A council over two regions counts in both: once too many in the sum of the regions.
            pairs = sorted({atom[0] for atom in crossing if kind in (ALL, atom[1])})
            twice = [adversary.figure(name, truth.overlap(*pair, kind)) for pair in pairs]
            if kind == ALL and NONE in truth.atoms:
                parts.append(adversary.figure(name, frozenset([NONE])))
            adversary.sum(adversary.figure(name, total), parts, minus=twice)
        for code in [ALL, *names["regions"]]:
            total = truth.view(code, ALL)
            if not total:
                continue
            parts = [
                adversary.figure(name, truth.view(code, kind)) for kind in names["kinds"] if truth.view(code, kind)
            ]
            if code == ALL and NONE in truth.atoms:
                parts.append(adversary.figure(name, frozenset([NONE])))
            adversary.sum(adversary.figure(name, total), parts)
    # No count of members exceeds the members of its population.
    for name, atoms in list(adversary.bounds):
        if name != "members" and not name.startswith(("heat:", "gap:", "time_sum", "proposals:", "comments:")):
            adversary.at_most((name, atoms), adversary.figure("members", atoms))


def _sensitive(adversary: Adversary, truth: Truth, key: tuple) -> bool:
    """A figure that must stay out of reach: a withheld count of 1 to 4, or any non-zero figure about
    a month's group of 1 to 4 contributors."""
    name, atoms = key
    if key in adversary.shown or name.startswith(("time_given", "mission_sum")):
        return False
    value = truth.value(name, atoms)
    if name.startswith(("proposals:", "comments:")):
        contributors = truth.value("contributors:" + name.split(":")[1], atoms)
        return bool(value) and 0 < contributors < 5
    if name == "time_sum":
        return bool(value) and 0 < truth.value("time_given", atoms) < 5
    return 0 < value < 5


def test_no_withheld_count_can_be_worked_out_from_everything_published(curator_client, client, small_groups):
    today = timezone.localdate()
    truth = Truth(today)
    regions = dict(Region.objects.order_by("name").values_list("code", "name"))
    names = {"regions": regions, "kinds": {value: str(label) for value, label in TerritoryKind.choices}}
    pages = _publications(curator_client, regions, names["kinds"])

    adversary = Adversary(truth)
    for (region, kind), page in pages.items():
        _read_view(adversary, truth, page, region, kind, names)
    whole = pages[(ALL, ALL)]
    _read_heatmap(adversary, truth, whole)
    assert "Auto-évaluation : membres par compétence et niveau" not in [
        table["title"] for table in pages[(ALL, TerritoryKind.PETR)].tables
    ]
    # The public key figures: the same member count as the dashboard's whole network.
    public = Page(client.get(KEY_FIGURES_URL).content.decode())
    adversary.read("members", truth.view(ALL, ALL), number(public.kpis["Technicien·nes inscrit·es"]), where="public")
    _territory_sums(adversary, truth, names)
    adversary.settle_small()
    adversary.link_atoms()

    bounds = adversary.propagate()
    worked_out = {
        key: bounds[key][0] for key in bounds if _sensitive(adversary, truth, key) and bounds[key][0] == bounds[key][1]
    }
    assert not worked_out, f"withheld figures worked out by subtraction: {_describe(worked_out, adversary)}"
    exact = adversary.determined([key for key in bounds if _sensitive(adversary, truth, key)])
    assert not exact, f"withheld figures worked out by elimination: {_describe(dict.fromkeys(exact), adversary)}"
    # Something is still published: the rule is not "mask everything".
    assert number(whole.kpis["Membres"]) == 19
    assert number(whole.table("Catégorie")["Catégorie A"][0]) == 13


def _describe(found: dict, adversary: Adversary) -> str:
    return "; ".join(
        f"{name} of {sorted(map(str, atoms))} = {value} ({adversary.where.get((name, atoms), 'never published')})"
        for (name, atoms), value in list(found.items())[:10]
    )


def test_exports_publish_nothing_the_page_does_not(curator_client, small_groups):
    """CSV and XLSX carry the page's figures, cell for cell, under a few filters."""
    bretagne = Region.objects.get(name="Bretagne").code
    for query in [
        {},
        {"region": bretagne},
        {"kind": TerritoryKind.AGGLOMERATION},
        {"region": bretagne, "kind": TerritoryKind.PETR},
    ]:
        page = Page(full_page(curator_client, query).content.decode())
        expected = {
            table["title"]: {label: [number(cell) for cell in cells] for label, cells in table["rows"]}
            for table in page.tables
        }
        text = curator_client.get(CSV_URL, query).content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text), delimiter=";"))
        workbook = load_workbook(io.BytesIO(curator_client.get(XLSX_URL, query).content))
        for title, table in expected.items():
            start = rows.index([title]) + 2
            from_csv = {}
            for row in rows[start : start + len(table)]:
                from_csv[row[0]] = [_export_value(value) for value in row[1:]]
            assert from_csv == table, title
            sheet = next(sheet for sheet in workbook.worksheets if sheet["A1"].value == title)
            from_xlsx = {
                row[0]: [_export_value(value) for value in row[1:]]
                for row in sheet.iter_rows(min_row=3, max_row=2 + len(table), values_only=True)
            }
            assert from_xlsx == table, title


def _export_value(value):
    if value is None or value == "":
        return None
    if isinstance(value, int | float):
        return value
    return number(str(value))


# --- Hidden fields and the directory --------------------------------------------------------------


def _directory_count(client, **query) -> int:
    return client.get(DIRECTORY_URL, query).content.decode().count('class="directory-item card')


@pytest.fixture
def hidden_rating(db):
    """Ten members who show their post, one who hides it; all rated themselves on C-1-01."""
    version = build_version()
    people = [ProfileFactory() for _index in range(10)]
    for index, profile in enumerate(people):
        rated(user=profile.user, code="C-1-01", level=3 if index < 5 else 4, version=version)
        MissionDeclaration.objects.create(user=profile.user, mission_code="M1", time_share=20)
    secret = ProfileFactory(post_visibility=Visibility.HIDDEN)
    rated(user=secret.user, code="C-1-01", level=4, version=version)
    MissionDeclaration.objects.create(user=secret.user, mission_code="M2", time_share=20)
    for profile in people[:5]:
        MissionDeclaration.objects.create(user=profile.user, mission_code="M2", time_share=20)
    return secret


def test_the_heatmap_minus_the_directory_gives_no_hidden_rating_away(curator_client, hidden_rating):
    page = Page(full_page(curator_client).content.decode())
    row = next(
        cells
        for label, cells in page.table("Auto-évaluation : membres par compétence et niveau").items()
        if label.startswith("C-1-01 ")
    )
    heatmap = {level: number(row[level - 1]) for level in (1, 2, 3, 4)}
    # The team's directory, filtered by competence and minimum level.
    at_least = {level: _directory_count(curator_client, competence="C-1-01", niveau=level) for level in (1, 2, 3, 4)}
    at_least[5] = 0
    for level in (1, 2, 3, 4):
        found = at_least[level] - at_least[level + 1]
        assert heatmap[level] in (found, SMALL, MASKED), (
            f"level {level}: the heatmap says {heatmap[level]}, the directory {found}"
        )
    assert heatmap[4] == 5  # the five who show their post; the hidden sixth stays hidden


def test_declared_missions_minus_the_directory_give_no_hidden_mission_away(curator_client, hidden_rating):
    page = Page(full_page(curator_client).content.decode())
    missions = {label.split()[0]: number(cells[0]) for label, cells in page.table("Missions déclarées").items()}
    for code in ("M1", "M2"):
        assert missions[code] == _directory_count(curator_client, mission=code)
    assert "10 membres ont déclaré au moins une mission" in page.text
