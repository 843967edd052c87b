"""Finding resources: French full-text search on PostgreSQL, whole-word search elsewhere.

On PostgreSQL a text search configuration `codev_fr` (created by migration 0002: the `french` stemmer after
`unaccent`, so "energie" finds "énergies") weighs the title (A), the summary (B) and every other text (C)
into `Resource.search_vector`, kept by the services and indexed with GIN; a query is read with
`websearch_to_tsquery` (quotes, "-word", "or") and results ranked by `ts_rank_cd`. On SQLite, the
development database, the folded `search_text` is narrowed with `contains` and checked word by word in
Python (core.search), ranked by where the words fall (title, then summary); it reads the same syntax
simply (quotes dropped, "-word" excludes, "or" separates alternatives) and knows no stemming beyond a
final plural s or x.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Case, Expression, F, FloatField, Q, QuerySet, Value, When

from core.search import matches_words, query_words, search_key, word_pattern

CONFIG = "codev_fr"
MAX_QUERY_LENGTH = 200


def is_postgresql() -> bool:
    return connection.vendor == "postgresql"


def vector_refresh(resources: QuerySet) -> None:
    """Recompute the French vector of `resources` (PostgreSQL only; a no-op elsewhere)."""
    if not is_postgresql():
        return
    resources.update(
        search_vector=SearchVector("title", weight="A", config=CONFIG)
        + SearchVector("summary", weight="B", config=CONFIG)
        + SearchVector("search_text", weight="C", config=CONFIG)
    )


def matching(resources: QuerySet, query: str) -> tuple[QuerySet, Expression]:
    """`resources` narrowed to those matching `query`, and the expression of their rank (higher is better).

    The catalogue counts its facets on the narrowed queryset and annotates the rank only on the page it shows.
    """
    query = (query or "").strip()[:MAX_QUERY_LENGTH]
    if not query_words(_plain(query)):
        return resources.none(), Value(0.0, FloatField())
    if is_postgresql():
        ts_query = SearchQuery(query, search_type="websearch", config=CONFIG)
        return resources.filter(search_vector=ts_query), SearchRank(F("search_vector"), ts_query, cover_density=True)
    return _fallback(resources, query)


def search(resources: QuerySet, query: str) -> QuerySet:
    """`resources` matching `query`, annotated with `rank` (higher is better)."""
    narrowed, rank = matching(resources, query)
    return narrowed.annotate(rank=rank)


# SQLite: the whole-word fallback -------------------------------------------------------------------
# It reads the same websearch syntax, simply: quotes are dropped (the words must all be there, in any
# order), "-word" excludes, "or" separates alternatives.


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


def _fallback(resources: QuerySet, query: str) -> tuple[QuerySet, Expression]:
    alternatives = _alternatives(query)
    if not alternatives:
        return resources.none(), Value(0.0, FloatField())
    # Narrow in SQL with the longest required word of each alternative, then decide word by word in Python.
    narrowing = Q()
    for wanted, _unwanted in alternatives:
        narrowing |= Q(search_text__contains=max(wanted, key=len))
    rows = resources.filter(narrowing).values_list("pk", "search_text", "title", "summary")
    compiled = [
        ([word_pattern(word) for word in wanted], [word_pattern(word) for word in unwanted], wanted)
        for wanted, unwanted in alternatives
    ]
    ranks = {}
    for pk, text, title, summary in rows:
        title_key, summary_key = search_key(title), search_key(summary)
        for patterns, excluded, words in compiled:
            if matches_words(patterns, text) and not any(pattern.search(text or "") for pattern in excluded):
                # Where the words fall: the title counts most, then the summary, then the rest.
                rank = sum(2 if word in title_key else 1 if word in summary_key else 0.5 for word in words)
                ranks[pk] = max(rank, ranks.get(pk, 0))
    whens = [When(pk=pk, then=Value(rank)) for pk, rank in ranks.items()]
    rank = Case(*whens, default=Value(0.0), output_field=FloatField()) if whens else Value(0.0, FloatField())
    return resources.filter(pk__in=list(ranks)), rank
