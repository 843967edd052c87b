"""Finding resources: the French full-text search of core.fulltext over a resource's title (A), summary (B)
and every other text (C, the folded `Resource.search_text` kept by the services).

The PostgreSQL configuration `codev_fr` it uses is created by this app's migration 0002.
"""

from django.db.models import Expression, QuerySet

from core.fulltext import MAX_QUERY_LENGTH, FullText

__all__ = ["MAX_QUERY_LENGTH", "matching", "search", "vector_refresh"]

RESOURCE_TEXT = FullText(title="title", summary="summary")


def vector_refresh(resources: QuerySet) -> None:
    """Recompute the French vector of `resources` (PostgreSQL only; a no-op elsewhere)."""
    RESOURCE_TEXT.vector_refresh(resources)


def matching(resources: QuerySet, query: str) -> tuple[QuerySet, Expression]:
    """`resources` narrowed to those matching `query`, and the expression of their rank (higher is better)."""
    return RESOURCE_TEXT.matching(resources, query)


def search(resources: QuerySet, query: str) -> QuerySet:
    """`resources` matching `query`, annotated with `rank` (higher is better)."""
    return RESOURCE_TEXT.search(resources, query)
