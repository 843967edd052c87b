"""The project's one text-diff helper: word-level differences between two texts.

Used by the référentiel's version comparison and meant for the fiche de poste's revisions; the
`word_diff` template filter (codev_network.templatetags.diff_tags) renders the tokens.
"""

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

Op = Literal["equal", "insert", "delete"]

_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")
_LARGE = 400 * 400


@dataclass(frozen=True)
class DiffToken:
    op: Op
    text: str


def word_diff(old: str, new: str) -> list[DiffToken]:
    """Tokens turning `old` into `new`, word by word; consecutive tokens with the same op are merged."""
    tokens: list[DiffToken] = []

    def push(op: Op, words: list[str]) -> None:
        text = "".join(words)
        if not text:
            return
        if tokens and tokens[-1].op == op:
            tokens[-1] = DiffToken(op, tokens[-1].text + text)
        else:
            tokens.append(DiffToken(op, text))

    # Lines first, then words inside the lines that changed: long texts (a 5,000-word fiche)
    # stay fast, since word matching only runs on the changed blocks.
    old_lines, new_lines = (old or "").splitlines(keepends=True), (new or "").splitlines(keepends=True)
    for tag, i1, i2, j1, j2 in SequenceMatcher(a=old_lines, b=new_lines, autojunk=False).get_opcodes():
        if tag == "equal":
            push("equal", old_lines[i1:i2])
            continue
        before, after = _TOKEN.findall("".join(old_lines[i1:i2])), _TOKEN.findall("".join(new_lines[j1:j2]))
        # Whitespace tokens are everywhere; past a size, not starting matches on them keeps the
        # matcher near-linear instead of quadratic.
        isjunk = str.isspace if len(before) * len(after) > _LARGE else None
        matcher = SequenceMatcher(isjunk=isjunk, a=before, b=after, autojunk=False)
        for word_tag, k1, k2, l1, l2 in matcher.get_opcodes():
            if word_tag == "equal":
                push("equal", before[k1:k2])
            else:
                push("delete", before[k1:k2])
                push("insert", after[l1:l2])
    return tokens
