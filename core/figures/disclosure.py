"""Statistical disclosure control: every published count, the sums that tie them, and which are withheld.

A `Publication` holds every count a set of pages publishes (each view of the dashboard under each
filter, its exports, the public key figures) as one cell per figure: the same figure shown in two
tables or two views is one cell. Equations say which cells add up to which (a table's rows to its
total, the regions to the whole network, the kinds of territory to a region…); inequalities say
that a part cannot exceed its whole.

`protect()` then plays the reader who wants a withheld figure back. It knows every shown figure,
that a "moins de 5" is between 1 and 4, that a "masqué" figure is at least 5 (only figures of 5 or
more are ever masked), and every equation; it narrows each withheld figure to an interval and
repeats until nothing moves (interval propagation, which includes solving any equation with a
single unknown). Whenever a withheld count of 1 to 4 comes out exactly, the cheapest shown figure
that feeds the deduction is masked too (complementary suppression), and the reader starts again.
When no such count can be worked out any more, the states are final.

Zeros are published: a zero describes nobody, and "none of these members does X" is what the
whole group shares. A zero can be worked out of other figures; a count from 1 to 4 cannot. The
exception: the parts of a group of fewer than 5 (a withheld total's parts, a tiny view's figures)
are withheld zeros included, and there "moins de 5" means 0 to 4 (`within_small`, `include_zeros`).

The reading is interval propagation, not an integer or linear-programming solver; the adversarial
test (tests/dashboard/test_disclosure.py) adds an exact elimination over the groups of councils.

The dashboard (dashboard/disclosure.py) and every app that publishes counts about members describe
their publications with this class; core/figures/tables.py reads their states back into cells.
"""

from collections import defaultdict, deque
from collections.abc import Hashable, Iterable
from enum import StrEnum

# A count between 1 and 4 describes so few members that they could be recognised.
MIN_GROUP_SIZE = 5


class CellState(StrEnum):
    SHOWN = "shown"
    SMALL = "small"  # fewer than MIN_GROUP_SIZE members
    MASKED = "masked"  # hidden so that a withheld cell cannot be worked out (secondary suppression)
    # Not published at all: the rare breakdown that no masking could protect (any value, 0 included).
    WITHDRAWN = "withdrawn"


# Stands for "no upper bound": far above any count, and sums of a few of them stay far above too.
UNBOUNDED = 1 << 50
_HALF = UNBOUNDED >> 1

# How a cell appears in the published pages.
PUBLISHED = "published"  # shown as its number, or "moins de 5" when it is 1 to 4, or masked
TINY = "tiny"  # only in views about fewer than 5 members, where every figure reads "moins de 5", zeros too
UNPUBLISHED = "unpublished"  # never shown: a piece of a sum (members of a council over two regions…)
_APPEARANCE_ORDER = {UNPUBLISHED: 0, TINY: 1, PUBLISHED: 2}


class DisclosureError(ValueError):
    """The figures do not add up as declared: a bug in how the publication was described."""


class Publication:
    def __init__(self):
        self._ids: dict[Hashable, int] = {}
        self.keys: list[Hashable] = []
        self.values: list[int] = []
        self.appearance: list[str] = []
        self.rank: list[int] = []
        self.protected: list[bool] = []  # whether a value from 1 to 4 must stay out of reach
        self.frozen: list[bool] = []  # never masked here (its state was settled elsewhere)
        self.withheld: list[bool | None] = []
        self.floor: list[int] = []  # the least a masked figure can be
        self.forced_small: list[bool] = []  # "moins de 5" by a state settled elsewhere, even a zero
        self._within_small: set[int] | None = None
        self.masked: set[int] = set()
        # Figures not published at all: a reader knows nothing of them (see `_withdraw`).
        self.withdrawn: set[int] = set()
        self.equations: list[tuple[int, tuple[int, ...]]] = []  # (total, parts): total = sum of parts
        # How many times each part counts, for the few sums where one does more than once.
        self._weights: dict[tuple[int, tuple[int, ...]], tuple[int, ...]] = {}
        self.inequalities: list[tuple[int, int]] = []  # (part, whole): part <= whole
        self.rounds = 0

    # --- Describing what is published ------------------------------------------------------------

    def cell(
        self,
        key: Hashable,
        value: int,
        appearance: str = PUBLISHED,
        *,
        rank: int = 0,
        protected: bool = True,
        withheld: bool | None = None,
        floor: int = MIN_GROUP_SIZE,
        zero_included: bool = False,
        state: CellState | None = None,
    ) -> Hashable:
        """Declare the figure `key` (again, if it appears in several places: the widest appearance wins).

        `rank`: the higher, the less willingly the figure is masked (national figures, totals).
        `protected=False`: a piece of a sum nobody needs protected (how many members hid a group).
        `withheld`: None, withheld when it is 1 to 4; True, withheld whatever its value because it
        describes fewer than 5 members (the proposals of a month with 3 contributors): a reader then
        knows nothing of it but that it is not negative, and it must not be worked out unless it is 0;
        False, never withheld for what it is (a sum of time shares).
        `floor`: the least the figure can be when it is masked (5 for a count, 0 for a sum).
        `zero_included`: withheld, zeros included, because it is part of a larger group of fewer
        than 5 members ("moins de 5" then means 0 to 4).
        `state`: a state settled by another publication (the cell is then never masked here).
        """
        index = self._ids.get(key)
        if index is None:
            index = len(self.keys)
            self._ids[key] = index
            self.keys.append(key)
            self.values.append(value)
            self.appearance.append(appearance)
            self.rank.append(rank)
            self.protected.append(protected)
            self.frozen.append(state is not None)
            self.withheld.append(withheld)
            self.floor.append(floor)
            self.forced_small.append(False)
        else:
            if self.values[index] != value:
                raise DisclosureError(f"{key!r} declared as {self.values[index]} and {value}")
            if _APPEARANCE_ORDER[appearance] > _APPEARANCE_ORDER[self.appearance[index]]:
                self.appearance[index] = appearance
            self.rank[index] = max(self.rank[index], rank)
            self.protected[index] = self.protected[index] and protected
            self.frozen[index] = self.frozen[index] or state is not None
            if withheld is not None:
                self.withheld[index] = withheld
        if state == CellState.MASKED:
            self.masked.add(index)
        if state == CellState.WITHDRAWN:
            self.withdrawn.add(index)
        if zero_included or (state == CellState.SMALL and appearance == PUBLISHED and not 0 < value < MIN_GROUP_SIZE):
            self.forced_small[index] = True
        self._within_small = None
        return key

    def has(self, key: Hashable) -> bool:
        return key in self._ids

    def reads_small(self, key: Hashable) -> bool:
        """A published count that reads "moins de 5" for what it is (1 to 4)."""
        index = self._ids[key]
        return self.appearance[index] == PUBLISHED and self._is_count(index) and 0 < self.values[index] < MIN_GROUP_SIZE

    def include_zeros(self, key: Hashable) -> None:
        """Withhold a count, zeros included: it is part of a larger group of fewer than 5 members."""
        index = self._ids[key]
        if self._is_count(index) and self.appearance[index] != UNPUBLISHED:
            self.forced_small[index] = True
            self._within_small = None

    def value(self, key: Hashable) -> int:
        return self.values[self._ids[key]]

    def equation(self, total: Hashable, parts: Iterable[Hashable]) -> None:
        """`total` is the sum of `parts` (every one declared before; a part given twice counts twice)."""
        total_id = self._ids[total]
        weights: dict[int, int] = {}
        for part in parts:
            weights[self._ids[part]] = weights.get(self._ids[part], 0) + 1
        part_ids = tuple(weights)
        if self.values[total_id] != sum(self.values[part] * weight for part, weight in weights.items()):
            raise DisclosureError(
                f"{total!r} = {self.values[total_id]} is not the sum of {[self.keys[i] for i in part_ids]}"
            )
        if part_ids == (total_id,) and weights[total_id] == 1:
            return
        self.equations.append((total_id, part_ids))
        if any(weight != 1 for weight in weights.values()):
            self._weights[(total_id, part_ids)] = tuple(weights.values())
        self._within_small = None

    def at_most(self, part: Hashable, whole: Hashable) -> None:
        """`part` cannot exceed `whole` (a subgroup of a group)."""
        part_id, whole_id = self._ids[part], self._ids[whole]
        if self.values[part_id] > self.values[whole_id]:
            raise DisclosureError(f"{part!r} exceeds {whole!r}")
        self.inequalities.append((part_id, whole_id))

    # --- States ----------------------------------------------------------------------------------

    def _is_count(self, index: int) -> bool:
        return self.withheld[index] is None and self.floor[index] == MIN_GROUP_SIZE

    def within_small(self) -> set[int]:
        """Counts that are parts of a withheld count below 5 (at any depth): withheld too, zeros included.

        They describe part of a group of fewer than 5, and a zero would say where its members are
        not. It also keeps "moins de 5" from pinning figures down by itself: a total of 4 and four
        parts known to be at least 1 would make each part exactly 1; with zeros withheld too, a part
        reading "moins de 5" may be 0.
        """
        if self._within_small is None:
            found: set[int] = set()
            small = [
                index
                for index in range(len(self.keys))
                if self._is_count(index)
                and (
                    self.forced_small[index]
                    or self.appearance[index] == TINY
                    or (self.appearance[index] == PUBLISHED and 0 < self.values[index] < MIN_GROUP_SIZE)
                )
            ]
            parts_of: dict[int, list[int]] = {}
            for total, parts in self.equations:
                parts_of.setdefault(total, []).extend(parts)
            while small:
                total = small.pop()
                for part in parts_of.get(total, ()):
                    if part not in found and self._is_count(part) and self.appearance[part] != UNPUBLISHED:
                        found.add(part)
                        small.append(part)
            self._within_small = found
        return self._within_small

    def _primary(self, index: int) -> bool:
        """Withheld for what it is (not to protect another figure)."""
        if self.withheld[index] is not None:
            return self.withheld[index]
        return 0 < self.values[index] < MIN_GROUP_SIZE or self.forced_small[index] or index in self.within_small()

    def _shown(self, index: int) -> bool:
        return (
            self.appearance[index] == PUBLISHED
            and index not in self.masked
            and index not in self.withdrawn
            and not self._primary(index)
        )

    def state(self, key: Hashable) -> CellState:
        """How the figure is shown: its number, "moins de 5" or "masqué"."""
        index = self._ids[key]
        if index in self.withdrawn:
            return CellState.WITHDRAWN
        if index in self.masked:
            return CellState.MASKED
        if self.appearance[index] != PUBLISHED or self._primary(index):
            return CellState.SMALL
        return CellState.SHOWN

    def shown(self, key: Hashable) -> bool:
        return self.state(key) == CellState.SHOWN

    def _initial_bounds(self) -> tuple[list[int], list[int]]:
        low, high = [], []
        for index, value in enumerate(self.values):
            if self._shown(index):
                low.append(value)
                high.append(value)
            elif index in self.withdrawn:
                low.append(0)
                high.append(UNBOUNDED)
            elif index in self.masked:
                low.append(self.floor[index])
                high.append(UNBOUNDED)
            elif self.withheld[index]:  # withheld whatever its value
                low.append(0)
                high.append(UNBOUNDED)
            elif self.forced_small[index] or index in self.within_small():  # "moins de 5", zeros included
                low.append(0)
                high.append(MIN_GROUP_SIZE - 1)
            elif self.appearance[index] == PUBLISHED:  # "moins de 5"
                low.append(1)
                high.append(MIN_GROUP_SIZE - 1)
            elif self.appearance[index] == TINY:  # "moins de 5", zeros included
                low.append(0)
                high.append(MIN_GROUP_SIZE - 1)
            else:
                low.append(0)
                high.append(UNBOUNDED)
        return low, high

    def _sensitive(self, index: int) -> bool:
        """A withheld figure that must not be worked out: a count of 1 to 4, or any non-zero figure
        withheld because it describes fewer than 5 members."""
        if not self.protected[index] or self._shown(index) or not self.values[index]:
            return False
        return bool(self.withheld[index]) or self.values[index] < MIN_GROUP_SIZE

    # --- The reader ------------------------------------------------------------------------------

    def deduce(self, equations=None, inequalities=None, bounds=None) -> tuple[list[int], list[int]]:
        """What a reader can tell of every figure: (lowest, highest) possible values, by propagation.

        By default from every sum and bound; `equations`, `inequalities` and starting `bounds` narrow
        the reading to part of the publication.
        """
        low, high = bounds if bounds is not None else self._initial_bounds()
        low, high = list(low), list(high)
        equations = self.equations if equations is None else equations
        inequalities = self.inequalities if inequalities is None else inequalities
        # Sums and bounds made of known figures only teach nothing: only the others are read.
        equations = [
            (total, parts)
            for total, parts in equations
            if low[total] != high[total] or any(low[part] != high[part] for part in parts)
        ]
        inequalities = [
            (part, whole) for part, whole in inequalities if low[part] != high[part] or low[whole] != high[whole]
        ]
        by_cell: dict[int, list[int]] = defaultdict(list)
        for number, (total, parts) in enumerate(equations):
            by_cell[total].append(number)
            for part in parts:
                by_cell[part].append(number)
        wholes: dict[int, list[int]] = defaultdict(list)
        parts_of: dict[int, list[int]] = defaultdict(list)
        for part, whole in inequalities:
            wholes[part].append(whole)
            parts_of[whole].append(part)

        queue = deque(range(len(equations)))
        queued = [True] * len(equations)
        # Every figure bounded by another one: its bounds are passed on before any equation is read.
        changed_cells: deque[int] = deque(dict.fromkeys(index for pair in inequalities for index in pair))
        budget = 200 * (len(equations) + len(inequalities)) + 1000

        def tighten(index: int, new_low: int, new_high: int) -> None:
            if new_high >= _HALF:
                new_high = UNBOUNDED
            moved = False
            if new_low > low[index]:
                low[index] = new_low
                moved = True
            if new_high < high[index]:
                high[index] = new_high
                moved = True
            if moved:
                if low[index] > high[index]:
                    raise DisclosureError(f"{self.keys[index]!r}: no value fits the published figures")
                changed_cells.append(index)

        while (queue or changed_cells) and budget > 0:
            while changed_cells:
                index = changed_cells.popleft()
                for number in by_cell.get(index, ()):
                    if not queued[number]:
                        queued[number] = True
                        queue.append(number)
                for whole in wholes.get(index, ()):  # part <= whole: the whole is at least the part
                    tighten(whole, low[index], UNBOUNDED)
                for part in parts_of.get(index, ()):  # and the part at most the whole
                    tighten(part, 0, high[index])
            if not queue:
                break
            budget -= 1
            number = queue.popleft()
            queued[number] = False
            total, parts = equations[number]
            weights = self._weights.get((total, parts))
            if weights is not None:
                self._weighted(total, parts, weights, low, high, tighten)
                continue
            # sum(parts) - total = 0: bounds of the sum of the parts, then of each term.
            parts_low = sum(low[part] for part in parts)
            parts_high = sum(high[part] for part in parts)
            tighten(total, parts_low, parts_high)
            total_low, total_high = low[total], high[total]
            for part in parts:
                if low[part] == high[part]:
                    continue
                others_low = parts_low - low[part]
                others_high = parts_high - high[part]
                new_low = total_low - others_high if others_high < _HALF else 0
                new_high = total_high - others_low if total_high < _HALF else UNBOUNDED
                tighten(part, new_low, new_high)
        return low, high

    @staticmethod
    def _weighted(total, parts, weights, low, high, tighten) -> None:
        """The same reading for a sum where some parts count several times."""
        parts_low = sum(weight * low[part] for part, weight in zip(parts, weights, strict=True))
        parts_high = sum(weight * high[part] for part, weight in zip(parts, weights, strict=True))
        tighten(total, parts_low, parts_high)
        total_low, total_high = low[total], high[total]
        for part, weight in zip(parts, weights, strict=True):
            if low[part] == high[part]:
                continue
            others_low = parts_low - weight * low[part]
            others_high = parts_high - weight * high[part]
            least = -(-(total_low - others_high) // weight) if others_high < _HALF else 0
            most = (total_high - others_low) // weight if total_high < _HALF else UNBOUNDED
            tighten(part, least, most)

    def disclosed(self) -> list[Hashable]:
        """Withheld counts of 1 to 4 that a reader can work out exactly (none, once protected)."""
        low, high = self.deduce()
        return [
            self.keys[index] for index in range(len(self.keys)) if self._sensitive(index) and low[index] == high[index]
        ]

    # --- Complementary suppression ----------------------------------------------------------------

    def protect(self) -> None:
        """Mask figures until no withheld count of 1 to 4 can be worked out.

        First the classical rule (no sum with a single withheld count left), then the reader, part
        by part: figures tied only through settled figures (the member counts, when the other
        figures are protected) are protected separately, then the reader reads everything at once.
        """
        count = len(self.keys)
        self._base = self._initial_bounds()
        self._now_shown = [self._shown(index) for index in range(count)]
        sensitive = [self._sensitive(index) for index in range(count)]
        self._sums_of: list[list[tuple[int, tuple[int, ...]]]] = [[] for _ in range(count)]
        self._bounded_by: list[list[int]] = [[] for _ in range(count)]
        for total, parts in self.equations:
            for index in (total, *parts):
                self._sums_of[index].append((total, parts))
        for part, whole in self.inequalities:
            self._bounded_by[part].append(whole)
            self._bounded_by[whole].append(part)
        self._inequality_set = set(self.inequalities)
        self._single_unknowns(sensitive)

        # Parts: figures joined by a sum or a bound, settled figures joining nothing.
        parent = list(range(count))

        def find(index: int) -> int:
            while parent[index] != index:
                parent[index] = parent[parent[index]]
                index = parent[index]
            return index

        for group in [(total, *parts) for total, parts in self.equations] + self.inequalities:
            free = [index for index in group if not self.frozen[index]]
            for index in free[1:]:
                parent[find(index)] = find(free[0])
        settled_equations = [
            (total, parts) for total, parts in self.equations if all(self.frozen[i] for i in (total, *parts))
        ]
        equations_of: dict[int, list] = defaultdict(list)
        inequalities_of: dict[int, list] = defaultdict(list)
        for total, parts in self.equations:
            free = [index for index in (total, *parts) if not self.frozen[index]]
            if free:
                equations_of[find(free[0])].append((total, parts))
        for part, whole in self.inequalities:
            free = [index for index in (part, whole) if not self.frozen[index]]
            if free:
                inequalities_of[find(free[0])].append((part, whole))
        roots = sorted({find(index) for index in range(count) if sensitive[index] and not self.frozen[index]})
        self.rounds = 0
        for root in roots:
            self._settle(sensitive, equations_of[root] + settled_equations, inequalities_of[root])
        self._settle(sensitive, None, None)

    def _settle(self, sensitive, equations, inequalities) -> None:
        """Read (`equations`, `inequalities`: part of the publication, None: all of it) and mask until
        no withheld count of 1 to 4 comes out exactly."""
        for _round in range(len(self.keys) + 1):
            low, high = self.deduce(equations, inequalities, self._base)
            if equations is None:
                cells = range(len(self.keys))
            else:
                cells = {index for total, parts in equations for index in (total, *parts)}
                cells.update(index for pair in inequalities for index in pair)
            found = sorted(index for index in cells if sensitive[index] and low[index] == high[index])
            if not found:
                return
            self.rounds += 1
            newly: set[int] = set()
            for index in found:
                if any(other in newly for total, parts in self._sums_of[index] for other in (total, *parts)):
                    continue  # a figure masked this round may already protect it
                # Mask, then read again the sums near it, until it no longer comes out there (the
                # next round reads everything again).
                for _attempt in range(8):
                    choice = self._complement(index, low, high)
                    if choice is None:
                        # Only zeros are left to give it away: they read "moins de 5" from now on
                        # (0 to 4, as zeros inside a small group already do), never "masqué".
                        zeros = self._zeros_near(index)
                        for zero in zeros:
                            self._withhold_zero(zero)
                            newly.add(zero)
                        if not zeros:
                            # Masks are known to hide at least 5: when they pin it down, the
                            # breakdown it belongs to is not published at all.
                            withdrawn = self._withdraw_near(index)
                            if not withdrawn:
                                raise DisclosureError(f"nothing left to mask to protect {self.keys[index]!r}")
                            newly.update(withdrawn)
                    else:
                        self._mask(choice)
                        newly.add(choice)
                    near_equations, near_inequalities = self._near(index)
                    low, high = self.deduce(near_equations, near_inequalities, self._base)
                    if low[index] != high[index]:
                        break
            self._single_unknowns(sensitive)
        raise DisclosureError("complementary suppression did not settle")

    def _near(self, start: int, hops: int = 2) -> tuple[list, list]:
        """The sums and bounds within a few steps of `start`."""
        seen_cells = {start}
        equations: dict[tuple, None] = {}
        inequalities: dict[tuple, None] = {}
        frontier = [start]
        for _hop in range(hops):
            following = []
            for index in frontier:
                for total, parts in self._sums_of[index]:
                    if (total, parts) not in equations:
                        equations[(total, parts)] = None
                        following += [other for other in (total, *parts) if other not in seen_cells]
                for other in self._bounded_by[index]:
                    pair = (index, other) if (index, other) in self._inequality_set else (other, index)
                    inequalities[pair] = None
                    if other not in seen_cells:
                        following.append(other)
            seen_cells.update(following)
            frontier = following
        return list(equations), list(inequalities)

    def _zeros_near(self, index: int) -> list[int]:
        """The shown zero counts in the sums and bounds of `index` that this publication may withhold."""
        links = [(total, *parts) for total, parts in self._sums_of[index]]
        links += [(whole,) for whole in self._bounded_by[index]]
        return sorted(
            {
                other
                for group in links
                for other in group
                if other != index
                and self._now_shown[other]
                and not self.frozen[other]
                and self.values[other] == 0
                and self._is_count(other)
            }
        )

    def _withdraw_near(self, index: int) -> set[int]:
        """Withdraw `index` and every figure of its sums and bounds that this publication settles."""
        links = [(total, *parts) for total, parts in self._sums_of[index]]
        links += [(whole,) for whole in self._bounded_by[index]]
        cells = {other for group in links for other in group if not self.frozen[other]} | {index}
        cells -= self.withdrawn
        for cell in cells:
            self.withdrawn.add(cell)
            self.masked.discard(cell)
            self._now_shown[cell] = False
            self._base[0][cell] = 0
            self._base[1][cell] = UNBOUNDED
        return cells

    def _withhold_zero(self, index: int) -> None:
        """Show a zero as "moins de 5" (0 to 4)."""
        self.forced_small[index] = True
        self._within_small = None
        self._now_shown[index] = False
        self._base[0][index] = 0
        self._base[1][index] = MIN_GROUP_SIZE - 1

    def _mask(self, index: int) -> None:
        self.masked.add(index)
        self._now_shown[index] = False
        self._base[0][index] = self.floor[index]
        self._base[1][index] = UNBOUNDED

    def _single_unknowns(self, sensitive: list[bool]) -> None:
        """The classical rule, cheaply: no sum may have a single withheld count of 1 to 4 left, or
        the total minus the others would give it; mask the cheapest other figure until none has."""
        shown, values, rank, frozen = self._now_shown, self.values, self.rank, self.frozen
        changed = True
        while changed:
            changed = False
            for total, parts in self.equations:
                hidden = None
                for index in (total, *parts):
                    if not shown[index]:
                        if hidden is not None:
                            break
                        hidden = index
                else:
                    if hidden is None or not sensitive[hidden]:
                        continue
                    candidates = [
                        index for index in (total, *parts) if shown[index] and values[index] and not frozen[index]
                    ]
                    if candidates:
                        self._mask(min(candidates, key=lambda index: (rank[index], values[index], index)))
                        changed = True

    def _complement(self, start: int, low: list[int], high: list[int]) -> int | None:
        """The figure to mask so that `start` can no longer be worked out.

        The deduction runs through shown figures and through withheld figures already worked out:
        the search walks those from `start` and weighs the shown figures it meets near it. Best is a
        figure that no other sum would give back at once (one of its other sums has a withheld
        figure already), that leaves some room in the sum it is masked in (a masked 5 beside a
        "moins de 5" in a sum of 6 would pin both), then the least read (rank), the smallest, the
        nearest. If there is none, it walks every figure.
        """
        shown, values, floor, rank, frozen = self._now_shown, self.values, self.floor, self.rank, self.frozen

        def exposed(index: int) -> int:
            """How many sums would give `index` back as soon as it is masked."""
            return sum(
                all(shown[other] for other in (total, *parts) if other != index)
                for total, parts in self._sums_of[index]
            )

        def no_room(index: int, total: int, parts: tuple[int, ...]) -> bool:
            """Masking `index` in this sum would still leave every withheld figure at its least."""
            if (not shown[total] and total != index) or (total, parts) in self._weights:
                return False
            known = values[total] - sum(values[part] for part in parts if shown[part] and part != index)
            least = sum(low[part] for part in parts if not shown[part] and part != index) + floor[index]
            return known - least <= 0

        for exact_only in (True, False):
            seen = {start}
            frontier = [start]
            found: dict[int, tuple] = {}  # figure -> (rank, value, depth, sum it was met in)
            depth = 0
            while frontier and (not found or depth <= min(entry[2] for entry in found.values()) + 1):
                following = []
                for index in frontier:
                    links = list(self._sums_of[index]) + [(whole, ()) for whole in self._bounded_by[index]]
                    for total, parts in links:
                        for other in (total, *parts):
                            if other == index:
                                continue
                            if shown[other]:
                                if values[other] and not frozen[other] and other not in found:
                                    found[other] = (rank[other], values[other], depth, total, parts)
                            elif other not in seen and (not exact_only or low[other] == high[other]):
                                seen.add(other)
                                following.append(other)
                frontier = following
                depth += 1
            if found:
                cheapest = sorted(found, key=lambda index: (*found[index][:3], index))[:16]
                return min(
                    cheapest,
                    key=lambda index: (
                        exposed(index),
                        bool(found[index][4]) and no_room(index, found[index][3], found[index][4]),
                        *found[index][:3],
                        index,
                    ),
                )
        return None
