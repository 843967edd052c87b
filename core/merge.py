"""Three-way merge of texts: the changes from `base` to `mine`, applied onto `theirs`.

Used when a text was written on an older state of a document (a suggestion on a section that
changed since): only what the writer meant to change is carried over, nothing the others wrote in
between is undone. Lines first (a Markdown paragraph is one line), then words inside the lines that
both sides changed, so two edits to different sentences of one paragraph still merge. Both sides
changing the same words differently is a conflict: the caller shows it, nothing is merged silently.

The matching is Myers' shortest edit script, whose cost follows the number of differences rather
than the content (difflib's matcher is quadratic on repetitive text; the `merge3` package is
GPL-licensed). It runs on a budget of steps: past it, what is left counts as a conflict, so a
crafted text cannot pin a worker, and a conflict only asks a person to look.
"""

from dataclasses import dataclass, field

from core.diff import WORD_TOKEN

# Steps of matching one merge may take (a quarter of a second at most); typical merges need far fewer.
MAX_MATCHING_STEPS = 150_000


@dataclass(frozen=True)
class MergeConflict:
    """One region both sides changed differently, as the three texts have it."""

    base: str
    mine: str
    theirs: str


@dataclass(frozen=True)
class Merge:
    """The merged text; with conflicts, `text` keeps `theirs` where they are and is not to be used as is."""

    text: str
    conflicts: list[MergeConflict] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.conflicts


class _TooLarge(Exception):
    pass


class _Budget:
    """Steps of matching left for one merge; running out turns the rest into conflicts."""

    def __init__(self, steps: int):
        self.steps = steps

    def spend(self, steps: int) -> None:
        self.steps -= steps
        if self.steps < 0:
            raise _TooLarge


def _shortest_edit_matches(a: list[str], b: list[str], budget: _Budget) -> list[tuple[int, int]]:
    """Index pairs (i, j) with a[i] == b[j] kept by a shortest edit script (Myers' O(ND) algorithm).

    Its cost grows with the size of the texts times the number of differences, whatever the
    content: few edits to a long text stay cheap, and the budget caps the rest.
    """
    n, m = len(a), len(b)
    furthest = {1: 0}  # diagonal k = x - y → furthest x reached
    trace = []
    for d in range(n + m + 1):
        trace.append(dict(furthest))
        for k in range(-d, d + 1, 2):
            x = furthest[k + 1] if k == -d or (k != d and furthest[k - 1] < furthest[k + 1]) else furthest[k - 1] + 1
            y = x - k
            start = x
            while x < n and y < m and a[x] == b[y]:
                x += 1
                y += 1
            furthest[k] = x
            budget.spend(1 + x - start)
            if x >= n and y >= m:
                return _backtrack(trace, n, m)
    raise AssertionError("unreachable: an edit script of n + m steps always exists")


def _backtrack(trace: list[dict[int, int]], x: int, y: int) -> list[tuple[int, int]]:
    pairs = []
    for d in range(len(trace) - 1, -1, -1):
        furthest = trace[d]
        k = x - y
        previous_k = k + 1 if k == -d or (k != d and furthest.get(k - 1, -1) < furthest.get(k + 1, -1)) else k - 1
        previous_x = furthest[previous_k]
        previous_y = previous_x - previous_k
        while x > previous_x and y > previous_y:
            x, y = x - 1, y - 1
            pairs.append((x, y))
        x, y = previous_x, previous_y
    pairs.reverse()
    return pairs


def _matching_blocks(a: list[str], b: list[str], budget: _Budget) -> list[tuple[int, int, int]]:
    """Blocks (i, j, size) where a and b agree, in order, ending with the sentinel (len(a), len(b), 0)."""
    n, m = len(a), len(b)
    prefix = 0
    while prefix < n and prefix < m and a[prefix] == b[prefix]:
        prefix += 1
    suffix = 0
    while suffix < n - prefix and suffix < m - prefix and a[n - 1 - suffix] == b[m - 1 - suffix]:
        suffix += 1
    budget.spend((prefix + suffix) // 64)
    pairs = [(i, i) for i in range(prefix)]
    middle = _shortest_edit_matches(a[prefix : n - suffix], b[prefix : m - suffix], budget)
    pairs += [(i + prefix, j + prefix) for i, j in middle]
    pairs += [(n - suffix + i, m - suffix + i) for i in range(suffix)]
    blocks: list[tuple[int, int, int]] = []
    for i, j in pairs:
        if blocks and blocks[-1][0] + blocks[-1][2] == i and blocks[-1][1] + blocks[-1][2] == j:
            blocks[-1] = (blocks[-1][0], blocks[-1][1], blocks[-1][2] + 1)
        else:
            blocks.append((i, j, 1))
    blocks.append((n, m, 0))
    return blocks


def _sync_regions(
    base: list[str], a: list[str], b: list[str], budget: _Budget
) -> list[tuple[int, int, int, int, int, int]]:
    """Stretches of `base` that both `a` and `b` kept, with where they sit in each (then an end marker)."""
    a_blocks = _matching_blocks(base, a, budget)
    b_blocks = _matching_blocks(base, b, budget)
    regions = []
    ia = ib = 0
    while ia < len(a_blocks) and ib < len(b_blocks):
        a_base, a_start, a_len = a_blocks[ia]
        b_base, b_start, b_len = b_blocks[ib]
        start, end = max(a_base, b_base), min(a_base + a_len, b_base + b_len)
        if start < end:
            regions.append(
                (
                    start,
                    end,
                    a_start + start - a_base,
                    a_start + end - a_base,
                    b_start + start - b_base,
                    b_start + end - b_base,
                )
            )
        if a_base + a_len < b_base + b_len:
            ia += 1
        else:
            ib += 1
    regions.append((len(base), len(base), len(a), len(a), len(b), len(b)))
    return regions


def _merge(
    base: list[str], mine: list[str], theirs: list[str], *, words: bool, budget: _Budget
) -> tuple[list[str], list[MergeConflict]]:
    try:
        regions = _sync_regions(base, mine, theirs, budget)
    except _TooLarge:
        return list(theirs), [MergeConflict("".join(base), "".join(mine), "".join(theirs))]
    merged: list[str] = []
    conflicts: list[MergeConflict] = []
    z = m = t = 0
    for z_start, z_end, m_start, m_end, t_start, t_end in regions:
        old, new_mine, new_theirs = base[z:z_start], mine[m:m_start], theirs[t:t_start]
        if new_mine in (old, new_theirs):
            merged += new_theirs
        elif new_theirs == old:
            merged += new_mine
        elif not words:
            # Both changed the same lines: try again word by word inside them.
            sub_merged, sub_conflicts = _merge(
                WORD_TOKEN.findall("".join(old)),
                WORD_TOKEN.findall("".join(new_mine)),
                WORD_TOKEN.findall("".join(new_theirs)),
                words=True,
                budget=budget,
            )
            merged += sub_merged
            conflicts += sub_conflicts
        else:
            merged += new_theirs
            conflicts.append(MergeConflict("".join(old), "".join(new_mine), "".join(new_theirs)))
        merged += base[z_start:z_end]
        z, m, t = z_end, m_end, t_end
    return merged, conflicts


def merge_texts(base: str, mine: str, theirs: str) -> Merge:
    """Apply the changes `base` → `mine` onto `theirs`; conflicts where both changed the same words."""
    base, mine, theirs = (text.replace("\r\n", "\n") for text in (base or "", mine or "", theirs or ""))
    if mine in (base, theirs):
        return Merge(theirs)
    if theirs == base:
        return Merge(mine)
    lines = [text.splitlines(keepends=True) for text in (base, mine, theirs)]
    merged, conflicts = _merge(*lines, words=False, budget=_Budget(MAX_MATCHING_STEPS))
    return Merge("".join(merged), conflicts)
