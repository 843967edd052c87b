"""Reads of a version: its domain tree (shared by the pages, the curation page, the PDF and the self-assessment)
and its export files."""

import zlib
from functools import partial

from django.core.cache import cache
from django.db.models import Prefetch, QuerySet
from django.utils.translation import get_language

from competences.models import Competence, Domain
from referentiel.framework import framework_snapshot

# Headings stop at h6: a domain at depth 0 is an h2 on a page whose title is the h1.
TOP_HEADING = 2
LAST_HEADING = 6


def domain_tree(version, competences: QuerySet | None = None) -> list[Domain]:
    """The version's domains in tree order (each after its parent, siblings by order then code).

    Each domain carries `depth` (0 at the top), `heading` (its heading level, h2 at the top),
    `competence_heading`, `first_sibling` and `last_sibling` (for the move buttons), `has_children`, `path_title`
    ("Top › Middle › Domain"), and its competences prefetched from `competences` (default: all, in order).
    One recursive query orders the tree (django-tree-queries), whatever its depth.
    """
    queryset = competences if competences is not None else Competence.objects.all()
    domains = list(
        Domain.objects.of(version)
        .with_tree_fields()
        .order_siblings_by("order", "code")
        .prefetch_related(Prefetch("competences", queryset=queryset.order_by("order", "code")))
    )
    siblings: dict[int | None, list[Domain]] = {}
    for domain in domains:
        siblings.setdefault(domain.parent_id, []).append(domain)
    for group in siblings.values():
        for position, domain in enumerate(group):
            domain.first_sibling, domain.last_sibling = position == 0, position == len(group) - 1
    path_titles: dict[int, str] = {}
    for domain in domains:
        above = path_titles.get(domain.parent_id)
        domain.path_title = path_titles[domain.pk] = f"{above} › {domain.title}" if above else domain.title
        domain.has_children = domain.pk in siblings
        domain.depth = domain.tree_depth
        domain.indent = min(domain.tree_depth, 6)  # the CSS class ref-depth-N indents up to 6 levels
        domain.heading = min(TOP_HEADING + domain.tree_depth, LAST_HEADING - 1)
        domain.competence_heading = domain.heading + 1
    return domains


def domain_ancestors(domain: Domain) -> list[Domain]:
    """The domains above `domain`, from the top down (for breadcrumbs)."""
    return list(domain.ancestors()) if domain.parent_id else []


# A released version never changes (only its status, published then archived, which some formats carry):
# its export files are made once and kept for good; a draft's are made at each download.
EXPORT_CACHE_PREFIX = "referentiel-export"


def version_export(version, registered) -> bytes:
    """The file of `version` in the format `registered` (referentiel.formats), kept in the cache once released."""
    write = partial(registered.writer, changed_at=version.published_at or version.created_at)
    if version.is_draft:
        return write(framework_snapshot(version))
    # The language too: a format could one day carry translated headings or links.
    key = f"{EXPORT_CACHE_PREFIX}:{version.pk}:{version.status}:{registered.key}:{get_language()}"
    kept = cache.get(key)
    if kept is not None:
        return zlib.decompress(kept)
    content = write(framework_snapshot(version))
    # Compressed: a spreadsheet of 500 competences is read back from Redis or the cache table at each download.
    cache.set(key, zlib.compress(content, 6), timeout=None)
    return content
