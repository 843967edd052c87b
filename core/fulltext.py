"""French full-text search on PostgreSQL, whole-word search elsewhere, for any model that keeps its texts.

A searchable model keeps two fields, filled by its services: `search_text` (the folded text of every searched
field: `core.search.search_key`) and, on PostgreSQL, `search_vector` (a `SearchVectorField`, GIN-indexed by a
migration). A `FullText` names the model's title field (weight A), its summary field (weight B) and the folded
text (weight C).

On PostgreSQL the text search configuration `codev_fr` (created by toolbox's migration 0002: the `french`
stemmer after `unaccent`, so "energie" finds "énergies") builds the vector; a query is read with
`websearch_to_tsquery` (quotes, "-word", "or") and results ranked by `ts_rank_cd`. On SQLite, the development
database, the folded `search_text` is narrowed with `contains` and checked word by word in Python
(core.search), ranked by where the words fall (title, then summary); it reads the same syntax simply (quotes
dropped, "-word" excludes, "or" separates alternatives) and knows no stemming beyond a final plural s or x.
"""

from dataclasses import dataclass

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, Expression, F, FloatField, Q, QuerySet, Value, When

from core.search import matches_words, query_words, search_key, word_pattern

CONFIG = "codev_fr"
MAX_QUERY_LENGTH = 200


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


@dataclass(frozen=True)
class FullText:
    """Which fields of a model weigh what: the title (A), the summary (B), the folded whole text (C)."""

    title: str = "title"
    summary: str = "summary"
    text: str = "search_text"
    vector: str = "search_vector"

    def vector_refresh(self, rows: QuerySet) -> None:
        """Recompute the French vector of `rows` (PostgreSQL only; a no-op elsewhere)."""
        if not is_postgresql():
            return
        rows.update(
            **{
                self.vector: SearchVector(self.title, weight="A", config=CONFIG)
                + SearchVector(self.summary, weight="B", config=CONFIG)
                + SearchVector(self.text, weight="C", config=CONFIG)
            }
        )

    def matching(self, rows: QuerySet, query: str) -> tuple[QuerySet, Expression]:
        """`rows` narrowed to those matching `query`, and the expression of their rank (higher is better).

        A list page counts its facets on the narrowed queryset and annotates the rank only on the page it shows.
        """
        query = (query or "").strip()[:MAX_QUERY_LENGTH]
        if not query_words(_plain(query)):
            return rows.none(), Value(0.0, FloatField())
        if is_postgresql():
            ts_query = SearchQuery(query, search_type="websearch", config=CONFIG)
            return rows.filter(**{self.vector: ts_query}), SearchRank(F(self.vector), ts_query, cover_density=True)
        return self._fallback(rows, query)

    def search(self, rows: QuerySet, query: str) -> QuerySet:
        """`rows` matching `query`, annotated with `rank` (higher is better)."""
        narrowed, rank = self.matching(rows, query)
        return narrowed.annotate(rank=rank)

    # SQLite: the whole-word fallback ---------------------------------------------------------------

    def _fallback(self, rows: QuerySet, query: str) -> tuple[QuerySet, Expression]:
        alternatives = _alternatives(query)
        if not alternatives:
            return rows.none(), Value(0.0, FloatField())
        # Narrow in SQL with the longest required word of each alternative, then decide word by word in Python.
        narrowing = Q()
        for wanted, _unwanted in alternatives:
            narrowing |= Q(**{f"{self.text}__contains": max(wanted, key=len)})
        found = rows.filter(narrowing).values_list("pk", self.text, self.title, self.summary)
        compiled = [
            ([word_pattern(word) for word in wanted], [word_pattern(word) for word in unwanted], wanted)
            for wanted, unwanted in alternatives
        ]
        ranks = {}
        for pk, text, title, summary in found:
            title_key, summary_key = search_key(title), search_key(summary)
            for patterns, excluded, words in compiled:
                if matches_words(patterns, text) and not any(pattern.search(text or "") for pattern in excluded):
                    # Where the words fall: the title counts most, then the summary, then the rest.
                    rank = sum(2 if word in title_key else 1 if word in summary_key else 0.5 for word in words)
                    ranks[pk] = max(rank, ranks.get(pk, 0))
        whens = [When(pk=pk, then=Value(rank)) for pk, rank in ranks.items()]
        rank = Case(*whens, default=Value(0.0), output_field=FloatField()) if whens else Value(0.0, FloatField())
        return rows.filter(pk__in=list(ranks)), rank


def _plain(query: str) -> str:
    return query.replace('"', " ")


def _alternatives(query: str) -> list[tuple[list[str], list[str]]]:
    """The query's alternatives ("or"), each as (words required, words excluded), folded."""
    alternatives, wanted, unwanted = [], [], []
    for word in search_key(_plain(query)).split():
        if word == "or":
            alternatives.append((wanted, unwanted))
            wanted, unwanted = [], []
        elif word.startswith("-") and len(word) > 1:
            unwanted.append(word[1:])
        elif word.strip("-"):
            wanted.append(word.strip("-"))
    alternatives.append((wanted, unwanted))
    return [(wanted, unwanted) for wanted, unwanted in alternatives if wanted]


def gin_index_sql(table: str, index: str, column: str = "search_vector") -> str:
    """The statement of a GIN index on a French vector, for a migration's RunPython on PostgreSQL.

    fastupdate off: these rows are written rarely and searched on every list page; a pending list (filled by
    bulk writes until autovacuum merges it) made every search scan it (measured on the toolbox: 5.6 ms → 0.8 ms).
    """
    return f"CREATE INDEX IF NOT EXISTS {index} ON {table} USING gin ({column}) WITH (fastupdate = off)"
