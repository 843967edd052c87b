"""The project's one text-diff helper: word-level differences between two texts, in bounded time.

Used by the référentiel's version comparison and the fiche de poste's revisions, suggestions and
previews; the `word_diff` template filter (core.templatetags.diff_tags) renders the tokens.

The work is bounded whatever the texts. `difflib.SequenceMatcher` can take cubic time on texts
made of a few repeated words (an audit pinned a worker for 76 s with a 1 MB preview), so every
matcher here counts the comparisons it is about to make against one budget per diff (`MAX_WORK`)
and stops before going over it. The diff then gets coarser instead of slower: a changed passage
too costly to compare word by word is shown whole (deleted, then inserted); texts whose lines
alone are too costly to match are shown as replaced between their common beginning and end.
`text_diff` says which level it reached. `similarity`, difflib's ratio within a budget, serves the
checks for near duplicates (council names).
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import Match, SequenceMatcher
from typing import Literal

Op = Literal["equal", "insert", "delete"]
# From the finest to the coarsest: every changed passage compared word by word; some changed
# passages shown whole; the changed middle of the texts shown whole.
Granularity = Literal["word", "line", "text"]

WORD_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")
"""Words, runs of whitespace and single punctuation marks: the tokens of every word-level comparison."""
# Work one diff may do, all matchers together, counted in element comparisons (and characters
# split into words). On the development machine a unit costs 0.3 to 0.6 µs in the worst cases
# found (a few words repeated, edits spread out), so a diff stays under about 0.3 s even on 1 MB
# texts; a real edit of a 5,000-word section uses a few tens of thousands.
MAX_WORK = 500_000


@dataclass(frozen=True)
class DiffToken:
    op: Op
    text: str


@dataclass(frozen=True)
class TextDiff:
    tokens: list[DiffToken]
    granularity: Granularity

    @property
    def is_coarse(self) -> bool:
        return self.granularity != "word"


class _OverBudget(Exception):
    pass


class _Budget:
    def __init__(self, work: int):
        self.left = work


class _BoundedMatcher(SequenceMatcher):
    """A SequenceMatcher that refuses to start a search costing more than what is left of `budget`.

    `find_longest_match` looks at every occurrence in `b` of every element of `a[alo:ahi]`: that
    count, known before the search from `b2j`, bounds its work.
    """

    def __init__(self, a: Sequence[str], b: Sequence[str], budget: _Budget, *, autojunk: bool = False):
        self.budget = budget
        super().__init__(a=a, b=b, autojunk=autojunk)

    def find_longest_match(self, alo=0, ahi=None, blo=0, bhi=None) -> Match:
        ahi = len(self.a) if ahi is None else ahi
        occurrences = self.b2j
        cost = ahi - alo + sum(len(occurrences.get(element, ())) for element in self.a[alo:ahi])
        if cost > self.budget.left:
            raise _OverBudget
        self.budget.left -= cost
        return super().find_longest_match(alo, ahi, blo, bhi)


Opcode = tuple[str, int, int, int, int]


def _matcher_opcodes(a: list[str], b: list[str], budget: _Budget) -> list[Opcode] | None:
    """SequenceMatcher's opcodes from `a` to `b`, or None when they would cost more than what is left."""
    if len(a) + len(b) > budget.left:  # indexing `b` and a first look at `a` would already pass it
        return None
    budget.left -= len(b)
    try:
        return _BoundedMatcher(a, b, budget).get_opcodes()
    except _OverBudget:
        # The work done before stopping is spent; what is left serves the next passages.
        return None


def _common_ends(a: list[str], b: list[str]) -> tuple[int, int]:
    """Lengths of the common beginning and of the common end of `a` and `b`, not overlapping."""
    limit = min(len(a), len(b))
    head = 0
    while head < limit and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < limit - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    return head, tail


def _opcodes(a: list[str], b: list[str], budget: _Budget) -> tuple[list[Opcode], bool]:
    """Opcodes turning `a` into `b`, and whether the matcher found them all within `budget`.

    The whole lists first, for the matcher's own alignment; when that costs too much, only the part
    between their common beginning and end (which cost nothing to find); when even that costs too
    much, that part is replaced whole.
    """
    opcodes = _matcher_opcodes(a, b, budget)
    if opcodes is not None:
        return opcodes, True
    head, tail = _common_ends(a, b)
    a_end, b_end = len(a) - tail, len(b) - tail
    middle = _matcher_opcodes(a[head:a_end], b[head:b_end], budget) if head or tail else None
    found = middle is not None
    if middle is None:
        tag = "replace" if a_end > head and b_end > head else "delete" if a_end > head else "insert"
        middle = [(tag, 0, a_end - head, 0, b_end - head)] if a_end > head or b_end > head else []
    opcodes = [("equal", 0, head, 0, head)] if head else []
    opcodes += [(tag, i1 + head, i2 + head, j1 + head, j2 + head) for tag, i1, i2, j1, j2 in middle]
    if tail:
        opcodes.append(("equal", a_end, len(a), b_end, len(b)))
    return opcodes, found


def sequence_opcodes(a: list[str], b: list[str], *, max_work: int = MAX_WORK) -> list[Opcode]:
    """Opcodes turning the list `a` into `b` (paragraphs, lines), within `max_work`: coarser past it, never slower."""
    return _opcodes(list(a), list(b), _Budget(max_work))[0]


def word_diff(old: str, new: str) -> list[DiffToken]:
    """Tokens turning `old` into `new`, word by word; consecutive tokens with the same op are merged."""
    return text_diff(old, new).tokens


def text_diff(old: str, new: str, *, max_work: int = MAX_WORK) -> TextDiff:
    """The tokens turning `old` into `new`, word by word as far as `max_work` units of work allow."""
    tokens: list[DiffToken] = []
    granularity: Granularity = "word"
    budget = _Budget(max_work)

    def push(op: Op, parts: list[str]) -> None:
        text = "".join(parts)
        if not text:
            return
        if tokens and tokens[-1].op == op:
            tokens[-1] = DiffToken(op, tokens[-1].text + text)
        else:
            tokens.append(DiffToken(op, text))

    # Lines first, then words inside the lines that changed: long texts (a 5,000-word fiche) stay
    # fast, since word matching only runs on the changed passages.
    old_lines, new_lines = _lines(old), _lines(new)
    opcodes, found = _opcodes(old_lines, new_lines, budget)
    if not found:
        granularity = "text"
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            push("equal", old_lines[i1:i2])
        elif tag == "replace" and found:
            if not _push_words("".join(old_lines[i1:i2]), "".join(new_lines[j1:j2]), push, budget):
                granularity = "line" if granularity == "word" else granularity
        else:  # lines only deleted or only inserted, or the changed middle shown whole
            push("delete", old_lines[i1:i2])
            push("insert", new_lines[j1:j2])
    return TextDiff(tokens, granularity)


def _lines(text: str | None) -> list[str]:
    """`text`'s lines, ends kept, Windows and old Mac line ends read as "\n".

    A browser sends a textarea's text with "\r\n" while stored texts have "\n": read as they are,
    every unchanged line of a preview would differ and show as deleted then added again.
    """
    return (text or "").replace("\r\n", "\n").replace("\r", "\n").splitlines(keepends=True)


def _push_words(old: str, new: str, push, budget: _Budget) -> bool:
    """Push the word-level diff of one changed passage; False when part of it was too costly and shown whole."""
    if len(old) + len(new) > budget.left:
        push("delete", [old])
        push("insert", [new])
        return False
    budget.left -= len(old) + len(new)  # splitting into words costs about a unit a character
    before, after = WORD_TOKEN.findall(old), WORD_TOKEN.findall(new)
    opcodes, found = _opcodes(before, after, budget)
    for tag, k1, k2, l1, l2 in opcodes:
        if tag == "equal":
            push("equal", before[k1:k2])
        else:
            push("delete", before[k1:k2])
            push("insert", after[l1:l2])
    return found


# Enough for any two names of 200 characters written by people; a crafted pair stops well before 0.1 s.
MAX_SIMILARITY_WORK = 20_000


def similarity(a: str, b: str, *, max_work: int = MAX_SIMILARITY_WORK) -> float:
    """difflib's ratio of `a` and `b` (1.0 when identical), within `max_work` units of work.

    Past the budget, its cheap upper bound (`quick_ratio`): a crafted text then looks more similar,
    never less, so a check for near duplicates errs on the side of caution.
    """
    if len(a) + len(b) > max_work:
        return SequenceMatcher(a=a, b=b).quick_ratio()
    matcher = _BoundedMatcher(a, b, _Budget(max_work - len(b)), autojunk=True)
    try:
        return matcher.ratio()
    except _OverBudget:
        return matcher.quick_ratio()


def compared_numbers(params, numbers) -> tuple[int | None, int | None]:
    """The two revisions a history page compares, from its URL (`de`, `a`) among the existing `numbers`:
    by default the newest and the one before it; an unknown or malformed number falls back to that default.
    (old, new); old is None when there is no earlier revision (the page shows the text as first written)."""
    known = set(numbers)

    def number(key, default):
        try:
            value = int(params.get(key, ""))
        except (TypeError, ValueError):
            return default
        return value if value in known else default

    new = number("a", max(known, default=None))
    old = number("de", new - 1 if new is not None and new - 1 in known else None)
    return old, new
