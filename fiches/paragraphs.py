"""Taking in a common change paragraph by paragraph: the member's text and the new common text, aligned.

A paragraph is a block between blank lines (a line, for structured sections). Where the two texts
differ, the member chooses per passage: keep their own paragraphs or take the common ones; the
passages both texts share are kept as they are. Nothing is saved here: the result goes into the
member's editor, to read and save.
"""

import re
from dataclasses import dataclass

from core.diff import sequence_opcodes

KEEP_MINE, TAKE_COMMON = "mien", "commun"
_BLANK_LINES = re.compile(r"\n\s*\n")


@dataclass(frozen=True)
class Passage:
    """A run of paragraphs: shared by both texts (`choice` False), or differing (`mine` and `common` may be empty)."""

    index: int
    mine: list[str]
    common: list[str]
    choice: bool

    @property
    def name(self) -> str:
        return f"paragraphe-{self.index}"

    @property
    def mine_text(self) -> str:
        return "\n\n".join(self.mine)

    @property
    def common_text(self) -> str:
        return "\n\n".join(self.common)


def paragraphs(text: str, *, structured: bool = False) -> list[str]:
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        return []
    parts = text.split("\n") if structured else _BLANK_LINES.split(text)
    return [part.strip("\n") for part in parts if part.strip()]


def passages(mine: str, common: str, *, structured: bool = False) -> list[Passage]:
    """The two texts as passages; the differing ones numbered from 1 (their radio groups' names)."""
    a, b = paragraphs(mine, structured=structured), paragraphs(common, structured=structured)
    result, count = [], 0
    for tag, i1, i2, j1, j2 in sequence_opcodes(a, b):
        if tag == "equal":
            result.append(Passage(0, a[i1:i2], b[j1:j2], False))
        elif tag == "replace" and i2 - i1 == j2 - j1:
            # As many paragraphs on each side: one choice per paragraph.
            for offset in range(i2 - i1):
                count += 1
                result.append(Passage(count, [a[i1 + offset]], [b[j1 + offset]], True))
        else:
            count += 1
            result.append(Passage(count, a[i1:i2], b[j1:j2], True))
    return result


def merged(items: list[Passage], choices: dict[str, str], *, structured: bool = False) -> str:
    """The text made of the shared passages and, for each differing one, the side chosen (the member's by default)."""
    kept: list[str] = []
    for passage in items:
        if passage.choice and choices.get(passage.name) == TAKE_COMMON:
            kept += passage.common
        else:
            kept += passage.mine
    return ("\n" if structured else "\n\n").join(kept)
