"""Finding works: the French full-text search of core.fulltext over a work's title (A), summary (B) and the
folded rest (C: `Work.search_text`, core.search.search_key of the title, summary, council name, themes and
follow-up note, kept by showcase.works)."""

from django.db.models import Expression, QuerySet

from core.fulltext import MAX_QUERY_LENGTH, FullText
from core.search import search_key

__all__ = ["MAX_QUERY_LENGTH", "WORK_TEXT", "matching", "search_text_of", "vector_refresh"]

WORK_TEXT = FullText(title="title", summary="summary")


def search_text_of(*, title: str, summary: str, council: str, themes: list[str], note: str) -> str:
    """The folded text a work is found by."""
    return search_key(" ".join([title, summary, council, *themes, note]))


def vector_refresh(works: QuerySet) -> None:
    """Recompute the French vector of `works` (PostgreSQL only; a no-op elsewhere)."""
    WORK_TEXT.vector_refresh(works)


def matching(works: QuerySet, query: str) -> tuple[QuerySet, Expression]:
    """`works` narrowed to those matching `query`, and the expression of their rank (higher is better)."""
    return WORK_TEXT.matching(works, query)
