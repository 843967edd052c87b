"""Reads behind the fiche pages that outgrow a QuerySet method: comparisons, feeds, what changed since."""

from dataclasses import dataclass
from datetime import datetime

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q

from core.merge import Merge
from fiches import caching
from fiches.enums import SectionKind
from fiches.models import (
    COMMON_FICHE_SLUG,
    Comment,
    CommentReport,
    Fiche,
    FicheVersion,
    Follow,
    PersonalFiche,
    PersonalSection,
    Revision,
    Section,
    Suggestion,
    VersionEntry,
)
from fiches.rendering import parse_structured
from fiches.services import suggestion_rebase
from members.models import Profile, User, unnamed_people

# Reading ----------------------------------------------------------------------------------------


def is_following(*, user, target: Fiche | Section | Suggestion) -> bool:
    """True when `user` follows `target` (a fiche, a section or a suggestion)."""
    return Follow.objects.filter(user=user, **{Follow.field_for(target): target}).exists()


def section_suggestions(*, section: Section) -> tuple[list[Suggestion], list[Suggestion]]:
    """The suggestions on `section`, newest first: the open ones, then the decided or withdrawn ones."""
    suggestions = list(Suggestion.objects.filter(section=section).with_details())
    return [s for s in suggestions if s.is_open], [s for s in suggestions if not s.is_open]


def suggestion_rebased(*, suggestion: Suggestion) -> Merge | None:
    """What accepting an outdated `suggestion` gives: its changes carried onto the current text; else None."""
    if not suggestion.is_outdated:
        return None
    return suggestion_rebase(
        base=suggestion.base_revision, body=suggestion.body, current=suggestion.section.current_revision
    )


# Versions ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ComparedSection:
    """One section of two published versions: its text in each, and whether its revision changed."""

    title: str
    old: str
    new: str
    changed: bool


@dataclass(frozen=True)
class VersionComparison:
    """Two published versions of a fiche (None when there are not enough) and their sections, in order."""

    versions: list[FicheVersion]
    old: FicheVersion | None
    new: FicheVersion | None
    rows: list[ComparedSection]


def version_comparison(*, fiche: Fiche, old_label: str = "", new_label: str = "") -> VersionComparison:
    """Two published versions of `fiche` section by section; an unknown label means the last two."""
    versions = list(FicheVersion.objects.of(fiche))
    by_label = {version.label: version for version in versions}
    old, new = by_label.get(old_label), by_label.get(new_label)
    if old is None and len(versions) > 1:
        old = versions[1]
    if new is None and versions:
        new = versions[0]
    if not (old and new):
        return VersionComparison(versions=versions, old=old, new=new, rows=[])
    entries = VersionEntry.objects.filter(version__in={old.pk, new.pk}).select_related("revision")
    old_entries, new_entries = {}, {}
    for entry in entries:
        # The same version may be asked for on both sides.
        if entry.version_id == old.pk:
            old_entries[entry.section_id] = entry
        if entry.version_id == new.pk:
            new_entries[entry.section_id] = entry
    order = sorted(
        set(old_entries) | set(new_entries),
        key=lambda pk: ((new_entries.get(pk) or old_entries[pk]).order, pk),
    )
    rows = []
    for pk in order:
        before, after = old_entries.get(pk), new_entries.get(pk)
        rows.append(
            ComparedSection(
                title=(after or before).title,
                old=before.revision.body if before else "",
                new=after.revision.body if after else "",
                changed=(before.revision_id if before else None) != (after.revision_id if after else None),
            )
        )
    return VersionComparison(versions=versions, old=old, new=new, rows=rows)


def published_revisions(*, version: FicheVersion | None) -> dict[int, Revision]:
    """The revision of each section frozen in `version`, by section id (nothing for no version)."""
    if version is None:
        return {}
    entries = VersionEntry.objects.filter(version=version).select_related("revision")
    return {entry.section_id: entry.revision for entry in entries}


# History ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RevisionPair:
    """Two revisions of a section to compare, and the numbers of all its revisions, newest first."""

    old: Revision
    new: Revision
    numbers: list[int]


def revision_pair(
    *, section: Section, old_number: int | None = None, new_number: int | None = None
) -> RevisionPair | None:
    """Two revisions of `section` (by default its current one and the one before); None when it has none."""
    # Texts left unread: the page keeps the diff of two revisions (fiches.templatetags.revision_diffs), reading
    # the two texts only when it computes it.
    revisions = {
        r.number: r
        for r in section.revisions.select_related("author__profile", "committed_by__profile").without_texts()
    }
    if not revisions:
        return None
    current = revisions[section.current_revision.number if section.current_revision else max(revisions)]
    new = revisions.get(new_number) or current
    # A revision's parent is one of the same section's: found here without another query.
    parent = next((r for r in revisions.values() if r.pk == new.parent_id), None)
    old = revisions.get(old_number) or parent or new
    return RevisionPair(old=old, new=new, numbers=sorted(revisions, reverse=True))


@dataclass(frozen=True)
class Contributor:
    """One line of a list of contributors: a name as its owner chose to be credited, or the unnamed together."""

    name: str
    count: int  # revisions


def fiche_contributors(*, fiche: Fiche) -> list[Contributor]:
    """Who wrote revisions of `fiche` as each chose to be credited, with how many, most first; the unnamed last.

    Counted over every revision of the fiche: kept until a revision, or a contributor's name, changes.
    """
    key = caching.key("contributors", fiche.pk)
    stamp, rows = caching.cached(key, [caching.DRAFT, caching.PEOPLE])
    if rows is None:
        rows = _fiche_contributors(fiche)
        caching.store(key, stamp, rows, caching.SECONDS)
    return rows


def _fiche_contributors(fiche: Fiche) -> list[Contributor]:
    counts = dict(
        Revision.objects.filter(section__fiche=fiche, author__isnull=False)
        .values_list("author")
        .annotate(count=Count("pk"))
        .order_by()
    )
    authors = User.objects.filter(pk__in=counts).select_related("profile")
    rows, unnamed, unnamed_count = [], 0, 0
    for author in sorted(authors, key=lambda author: (-counts[author.pk], author.last_name, author.pk)):
        name = author.credit_name()
        if name is None:
            unnamed += 1
            unnamed_count += counts[author.pk]
        else:
            rows.append(Contributor(name=name, count=counts[author.pk]))
    if unnamed:
        rows.append(Contributor(name=unnamed_people(unnamed, after_names=bool(rows)), count=unnamed_count))
    return rows


@dataclass(frozen=True)
class FeedItem:
    """One contribution in the activity feed; `kind` is "revision", "suggestion" or "comment"."""

    when: datetime
    kind: str
    object: Revision | Suggestion | Comment


def activity_feed(*, fiche: Fiche, limit: int = 40, per_kind: int = 30) -> list[FeedItem]:
    """The latest revisions, suggestions and comments on `fiche`, newest first."""
    revisions = Revision.objects.of_fiche(fiche).with_people()[:per_kind]
    suggestions = Suggestion.objects.filter(section__fiche=fiche).select_related("author__profile", "section")[
        :per_kind
    ]
    comments = (
        # The feed lists live comments only (it shows no message, moderators included).
        Comment.objects.not_hidden()
        .filter(suggestion__section__fiche=fiche)
        .select_related("author__profile", "suggestion__section")
        .order_by("-created_at")[:per_kind]
    )
    items = [FeedItem(when=r.created_at, kind="revision", object=r) for r in revisions]
    items += [FeedItem(when=s.created_at, kind="suggestion", object=s) for s in suggestions]
    items += [FeedItem(when=c.created_at, kind="comment", object=c) for c in comments]
    items.sort(key=lambda item: item.when, reverse=True)
    return items[:limit]


# Moderation -------------------------------------------------------------------------------------


def moderation_queue():
    """Comments reported and still visible, the most reported first, with their reports and reporters."""
    waiting = Q(reports__dismissed_at__isnull=True)
    return (
        Comment.objects.not_hidden()
        .filter(waiting, reports__isnull=False)
        .select_related("author__profile", "suggestion__section")
        .annotate(report_count=Count("reports", filter=waiting, distinct=True))
        .prefetch_related(
            Prefetch(
                "reports",
                queryset=CommentReport.objects.filter(dismissed_at__isnull=True).select_related("reporter__profile"),
            )
        )
        .order_by("-report_count", "-created_at")
        .distinct()
    )


def hidden_comments(limit: int = 50):
    """The most recently hidden comments, for the team to review or restore."""
    return (
        Comment.objects.filter(hidden_at__isnull=False)
        .select_related("author__profile", "hidden_by__profile", "suggestion__section")
        .order_by("-hidden_at")[:limit]
    )


# Ma fiche de poste ------------------------------------------------------------------------------


def personal_fiche_of(*, owner) -> PersonalFiche | None:
    """`owner`'s own copy of the common fiche, or None."""
    return (
        PersonalFiche.objects.select_related("source", "copied_from")
        .filter(owner=owner, source__slug=COMMON_FICHE_SLUG)
        .first()
    )


def personal_fiche_initial(*, user, fiche: Fiche) -> dict:
    """What the creation form starts with: the job title, employer and time share from `user`'s profile."""
    profile = Profile.objects.filter(user=user).select_related("council").first()
    if profile is None:
        return {"job_title": fiche.title}
    return {
        "job_title": profile.job_title or fiche.title,
        "employer": profile.employer or (profile.council.authority_name if profile.council else ""),
        "time_share": profile.time_share,
    }


def personal_sections(*, personal_fiche: PersonalFiche, latest: FicheVersion | None) -> list[PersonalSection]:
    """The member's sections in order, each with `newer`: the common revision of `latest` not yet taken in."""
    published = published_revisions(version=latest)
    sections = list(personal_fiche.sections.select_related("section", "base_revision").order_by("order", "pk"))
    for personal_section in sections:
        newer = published.get(personal_section.section_id)
        personal_section.newer = newer if newer and newer.pk != personal_section.base_revision_id else None
    return sections


def newer_common_revision(*, personal_section: PersonalSection) -> Revision | None:
    """The section's text in the latest published version, when the member has not taken it in yet."""
    latest = FicheVersion.objects.latest_of(personal_section.section.fiche)
    entry = (
        VersionEntry.objects.filter(version=latest, section=personal_section.section_id)
        .select_related("revision")
        .first()
    )
    if entry and entry.revision_id != personal_section.base_revision_id:
        return entry.revision
    return None


# The levels the fiche expects ------------------------------------------------------------------


@dataclass(frozen=True)
class ExpectedLevels:
    source: str  # the label of the published version, or "" for the text being written
    levels: dict[str, int]


# A published version never changes: what it expects is kept by its key, read by the plan, the portfolio, the
# peers who can help, the training needs and the dashboard without parsing the section again.
EXPECTED_LEVELS_KEY = "fiches:expected-levels:v1:{pk}"
EXPECTED_LEVELS_SECONDS = 24 * 3600
_NOT_CACHED = object()


def _levels_of(bodies, source: str) -> ExpectedLevels | None:
    levels = {}
    for body in bodies:
        # The fiches app owns the format of a structured section; a line it cannot read is skipped.
        for line in parse_structured(body, strict=False):
            if line.level is not None:
                levels.setdefault(line.code, line.level)
    return ExpectedLevels(source, levels) if levels else None


def expected_levels() -> ExpectedLevels | None:
    """The level the common fiche expects for each competence: its latest published version, else its current text."""
    latest = (
        FicheVersion.objects.filter(fiche__slug=COMMON_FICHE_SLUG)
        .order_by("-published_at", "-pk")  # FicheVersion.objects.latest_of
        .values_list("pk", "label")
        .first()
    )
    if latest is not None:
        pk, label = latest
        key = EXPECTED_LEVELS_KEY.format(pk=pk)
        found = cache.get(key, _NOT_CACHED)
        if found is not _NOT_CACHED:
            return found
        bodies = VersionEntry.objects.filter(version=pk, section__kind=SectionKind.COMPETENCES).values_list(
            "revision__body", flat=True
        )
        result = _levels_of(bodies, label)
        cache.set(key, result, EXPECTED_LEVELS_SECONDS)
        return result
    # No published version yet: the text being written, read each time (it changes with every edit).
    bodies = Section.objects.filter(fiche__slug=COMMON_FICHE_SLUG, kind=SectionKind.COMPETENCES).values_list(
        "current_revision__body", flat=True
    )
    return _levels_of(bodies, "")
