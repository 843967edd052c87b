"""Whole-word search, the same on every database.

A query matches a text when each of its words appears in it as a whole word: "IA" finds
"l'IA générative" but not "diplomatie". Case and accents aside ("energie" finds "Énergie"), and a
final plural s or x allowed ("mission" finds "missions"). The database narrows with a simple
`contains` on the folded text when it has one, or the caller reads the few rows of a version;
this module decides, in Python, so that PostgreSQL and SQLite agree.
"""

import re
import unicodedata
from collections.abc import Iterable


def search_key(text: str) -> str:
    """`text` in lower case without accents, for accent-insensitive search on every database."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(char for char in decomposed if not unicodedata.combining(char)).lower()


def query_words(query: str) -> list[str]:
    """The folded words of a query, longest first (the longest is the best one to narrow with)."""
    return sorted({word for word in search_key(query).split() if word}, key=len, reverse=True)


def word_pattern(word: str) -> re.Pattern:
    """The folded `word`, not inside a longer word, optionally plural; to search folded texts."""
    return re.compile(rf"(?<!\w){re.escape(word)}[sx]?(?!\w)")


def word_patterns(query: str) -> list[re.Pattern]:
    """One pattern per word of the query (`query_words` order)."""
    return [word_pattern(word) for word in query_words(query)]


def matches_words(patterns: list[re.Pattern], *texts: str) -> bool:
    """True when every pattern finds its word in one of `texts` (folded here)."""
    folded = " \n ".join(search_key(text) for text in texts)
    return all(pattern.search(folded) for pattern in patterns)


def whole_word_pks(rows: Iterable[tuple], query: str) -> list:
    """The primary keys of `rows` ((pk, text, text…) tuples) whose texts hold every word of `query`."""
    patterns = word_patterns(query)
    if not patterns:
        return []
    return [pk for pk, *texts in rows if matches_words(patterns, *(text or "" for text in texts))]
