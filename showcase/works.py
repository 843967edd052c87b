"""The works library: the services that write a council's works and their follow-up, and the reads of the
library (search, facets, sorts, pagination), the work page and the editors' lists.

Rules:
- Only the council's technician·nes (members whose profile names the council, approved) and the CNCD team edit
  a council's works (`can_edit_page`, showcase.councils). The team alone hides a work (with a reason, the
  authors told) and restores it.
- The public sees `Work.objects.published()` only: published works of published pages of validated councils;
  a draft or hidden work is a 404 for anyone who may not edit it.
- Every write keeps `Work.region` (the page's), `Work.slug`, `Work.search_text` and its French vector
  (showcase.search), and the page's `work_count`; and bumps the library's cache generation.
- The library's number of queries does not grow with the number of works: one grouped query per facet, each
  counted with the other filters applied (a value's count is what choosing it would give), then the page.
"""

import datetime
import hashlib
import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Count, F, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from core.audit import audit_log
from core.concurrency import version_claim
from members.models import Region
from showcase.enums import (
    LICENCE_URLS,
    FollowUpAnswer,
    LinkKind,
    Uptake,
    WorkKind,
    WorkLicence,
    WorkStatus,
)
from showcase.models import SHORT_TEXT, CouncilPage, Theme, Work, WorkLink
from showcase.search import MAX_QUERY_LENGTH, matching, search_text_of, vector_refresh

logger = logging.getLogger(__name__)

PAGE_SIZE = 20
HIDE_REASON_LENGTH = SHORT_TEXT
MAX_LINKS = 20


class WorkError(ValidationError):
    """A rule of the works library refused the change (its message is French and shown as is)."""


# Who edits ------------------------------------------------------------------------------------------


def _is_team(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_curator)


def _can_edit_page_fallback(user, page: CouncilPage) -> bool:
    """Temporary rule while showcase.councils.can_edit_page is not there: the team, or an approved member whose
    profile names the page's council."""
    if not (user is not None and user.is_authenticated and user.is_approved):
        return False
    if user.is_curator:
        return True
    profile = getattr(user, "profile", None)
    return profile is not None and profile.council_id is not None and profile.council_id == page.council_id


def can_edit_page(user, page: CouncilPage) -> bool:
    """Who may edit the page's works: showcase.councils' rule (scp), else the temporary one above."""
    try:
        from showcase.councils import can_edit_page as councils_rule
    except ImportError:
        return _can_edit_page_fallback(user, page)
    return councils_rule(user, page)


def can_edit(user, work: Work) -> bool:
    return can_edit_page(user, work.page)


def editable_pages(user) -> QuerySet:
    """The council pages `user` may add works to: every page for the team, their council's page otherwise."""
    if not (user is not None and user.is_authenticated and user.is_approved):
        return CouncilPage.objects.none()
    pages = CouncilPage.objects.select_related("council").order_by("council__name")
    if user.is_curator:
        return pages
    profile = getattr(user, "profile", None)
    if profile is None or profile.council_id is None:
        return CouncilPage.objects.none()
    return pages.filter(council_id=profile.council_id, council__is_validated=True)


def visible_to(user) -> QuerySet:
    """The works `user` may open: published ones, and those of the pages they may edit (drafts, hidden)."""
    published = Work.objects.published()
    if _is_team(user):
        return Work.objects.all()
    pages = editable_pages(user)
    if not pages.exists():
        return published
    return Work.objects.filter(Q(pk__in=published.values("pk")) | Q(page__in=pages.values("pk")))


# What the services keep ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkData:
    kind: str
    code: str
    title: str = ""


# The words of the work's action addresses (showcase/urls.py): never a slug.
RESERVED_SLUGS = {"modifier", "suites", "document", "telecharger", "publier", "depublier", "moderer"}


def _slug(title: str) -> str:
    slug = slugify(title)[:120].strip("-") or "travail"
    return f"{slug}-travail" if slug in RESERVED_SLUGS else slug


def search_refresh(work_ids: Iterable[int]) -> None:
    """Recompute the folded search text and the French vector of these works."""
    ids = list(work_ids)
    works = Work.objects.filter(pk__in=ids).select_related("page__council").prefetch_related("themes")
    for work in works:
        text = search_text_of(
            title=work.title,
            summary=work.summary,
            council=work.page.council.name,
            themes=[theme.name for theme in work.themes.all()],
            note=work.followup_note,
        )
        Work.objects.filter(pk=work.pk).update(search_text=text)
    vector_refresh(Work.objects.filter(pk__in=ids))


def page_work_count_refresh(page_id: int) -> None:
    """Recount the page's published works (call it when a page's own state changes, too)."""
    count = Work.objects.published().filter(page_id=page_id).count()
    CouncilPage.objects.filter(pk=page_id).update(work_count=count)


def page_works_refresh(page_id: int) -> None:
    """After a page changes (its region, its council's name, its state): its works' region, texts and count."""
    page = CouncilPage.objects.filter(pk=page_id).first()
    if page is None:
        return
    Work.objects.filter(page_id=page_id).exclude(region_id=page.region_id).update(region_id=page.region_id)
    search_refresh(Work.objects.filter(page_id=page_id).values_list("pk", flat=True))
    page_work_count_refresh(page_id)
    library_changed()


def _links_set(work: Work, links: Iterable[LinkData]) -> None:
    wanted = {link.code: link for link in links}
    work.links.exclude(code__in=list(wanted)).delete()
    existing = set(work.links.values_list("code", flat=True))
    WorkLink.objects.bulk_create(
        WorkLink(work=work, kind=link.kind, code=link.code, title=link.title[:300])
        for code, link in wanted.items()
        if code not in existing
    )


def _kept(work: Work) -> None:
    """What every write keeps up to date."""
    search_refresh([work.pk])
    page_work_count_refresh(work.page_id)
    library_changed()


WORK_FIELDS = ("kind", "title", "summary", "issued_on", "licence", "external_url")
FOLLOWUP_FIELDS = ("followup_answer", "followup_by", "followup_on", "followup_uptake", "followup_note")


def _check(data: Mapping) -> None:
    if data.get("kind") not in WorkKind.values:
        raise WorkError(_("Choisissez la nature du travail."))
    if data.get("licence") not in WorkLicence.values:
        raise WorkError(_("Choisissez une licence ouverte."))
    if not (data.get("title") or "").strip():
        raise WorkError(_("Donnez un titre au travail."))
    issued_on = data.get("issued_on")
    if issued_on and issued_on > timezone.localdate() + datetime.timedelta(days=366):
        raise WorkError(_("La date du travail est trop loin dans l'avenir."))


@transaction.atomic
def work_create(
    *, user, page: CouncilPage, data: Mapping, themes: Iterable[Theme] = (), links: Iterable[LinkData] = ()
) -> Work:
    """A new draft work of `page`, by one of its technician·nes or the team."""
    if not can_edit_page(user, page):
        raise WorkError(_("Vous ne pouvez pas ajouter de travail à la page de ce conseil."))
    _check(data)
    links = list(links)[:MAX_LINKS]
    work = Work(page=page, region_id=page.region_id, created_by=user, status=WorkStatus.DRAFT)
    for name in WORK_FIELDS:
        if name in data:
            setattr(work, name, data[name])
    work.title = work.title.strip()
    work.slug = _slug(work.title)
    work.save()
    work.themes.set(list(themes))
    _links_set(work, links)
    audit_log(actor=user, action="showcase.work.created", target=work, data={"title": work.title})
    _kept(work)
    return work


def _editable(user, work_id: int) -> Work:
    work = Work.objects.select_for_update().select_related("page").filter(pk=work_id).first()
    if work is None:
        raise WorkError(_("Ce travail n'existe plus."))
    if not can_edit(user, work):
        raise WorkError(_("Vous ne pouvez pas modifier ce travail."))
    return work


@transaction.atomic
def work_update(
    *,
    user,
    work_id: int,
    data: Mapping,
    themes: Iterable[Theme] = (),
    links: Iterable[LinkData] = (),
    lock_version: int | None,
) -> Work:
    """Change a work's description (EditConflict when someone saved it since the form was opened)."""
    work = _editable(user, work_id)
    _check(data)
    version_claim(work, expected=lock_version)
    changed = [name for name in WORK_FIELDS if name in data and getattr(work, name) != data[name]]
    for name in WORK_FIELDS:
        if name in data:
            setattr(work, name, data[name])
    work.title = work.title.strip()
    work.slug = _slug(work.title)
    work.region_id = work.page.region_id
    work.save()
    work.themes.set(list(themes))
    _links_set(work, list(links)[:MAX_LINKS])
    audit_log(actor=user, action="showcase.work.updated", target=work, data={"fields": changed})
    _kept(work)
    return work


@transaction.atomic
def followup_update(*, user, work_id: int, data: Mapping, lock_version: int | None) -> Work:
    """Record what the authority did with the work (suites données)."""
    work = _editable(user, work_id)
    answer = data.get("followup_answer") or FollowUpAnswer.UNKNOWN
    uptake = data.get("followup_uptake") or Uptake.UNKNOWN
    if answer not in FollowUpAnswer.values or uptake not in Uptake.values:
        raise WorkError(_("Choisissez une réponse et une prise en compte dans les listes."))
    if answer != FollowUpAnswer.ANSWERED and uptake != Uptake.UNKNOWN:
        raise WorkError(_("La prise en compte ne se renseigne que si la collectivité a répondu."))
    answered_on = data.get("followup_on")
    if answered_on and answered_on > timezone.localdate():
        raise WorkError(_("La date de la réponse ne peut pas être dans l'avenir."))
    if answered_on and answered_on < work.issued_on:
        raise WorkError(_("La réponse ne peut pas précéder le travail lui-même."))
    version_claim(work, expected=lock_version)
    work.followup_answer = answer
    work.followup_uptake = uptake
    work.followup_by = (data.get("followup_by") or "").strip()
    work.followup_on = answered_on
    work.followup_note = (data.get("followup_note") or "").strip()
    work.followup_updated_at = timezone.now()
    work.save()
    audit_log(
        actor=user,
        action="showcase.work.followup",
        target=work,
        data={"answer": answer, "uptake": uptake},
    )
    _kept(work)
    return work


@transaction.atomic
def work_publish(*, user, work_id: int) -> Work:
    work = _editable(user, work_id)
    if work.status == WorkStatus.HIDDEN:
        raise WorkError(_("Ce travail a été masqué par l'équipe CNCD : seule l'équipe peut le rétablir."))
    if work.status != WorkStatus.PUBLISHED:
        work.status = WorkStatus.PUBLISHED
        work.published_at = work.published_at or timezone.now()
        work.save(update_fields=["status", "published_at", "updated_at"])
        audit_log(actor=user, action="showcase.work.published", target=work)
        _kept(work)
    return work


@transaction.atomic
def work_unpublish(*, user, work_id: int) -> Work:
    work = _editable(user, work_id)
    if work.status == WorkStatus.HIDDEN:
        raise WorkError(_("Ce travail a été masqué par l'équipe CNCD : seule l'équipe peut le rétablir."))
    if work.status != WorkStatus.DRAFT:
        work.status = WorkStatus.DRAFT
        work.save(update_fields=["status", "updated_at"])
        audit_log(actor=user, action="showcase.work.unpublished", target=work)
        _kept(work)
    return work


def _authors(work: Work) -> set[int]:
    """Who hears of the team's decision: the work's creator and the council's technician·nes."""
    from members.models import User

    ids = set(User.objects.approved().filter(profile__council_id=work.page.council_id).values_list("pk", flat=True))
    if work.created_by_id:
        ids.add(work.created_by_id)
    return ids


def _notify(work: Work, actor, message: str) -> None:
    from fiches.notifications import notify

    notify(user_ids=_authors(work), actor=actor, message=message, url=work.get_absolute_url())


@transaction.atomic
def work_hide(*, user, work_id: int, reason: str) -> Work:
    """The team hides a work from the public, with a reason told to its authors."""
    if not _is_team(user):
        raise WorkError(_("Seule l'équipe CNCD peut masquer un travail."))
    reason = " ".join((reason or "").split())
    if not reason:
        raise WorkError(_("Indiquez le motif du masquage : il est transmis aux auteur·ices."))
    if len(reason) > HIDE_REASON_LENGTH:
        raise WorkError(_("Le motif tient en %(max)s caractères au plus.") % {"max": HIDE_REASON_LENGTH})
    work = Work.objects.select_for_update().select_related("page").filter(pk=work_id).first()
    if work is None:
        raise WorkError(_("Ce travail n'existe plus."))
    work.status = WorkStatus.HIDDEN
    work.hidden_at, work.hidden_by, work.hidden_reason = timezone.now(), user, reason
    work.save(update_fields=["status", "hidden_at", "hidden_by", "hidden_reason", "updated_at"])
    audit_log(actor=user, action="showcase.work.hidden", target=work, data={"reason": reason})
    _notify(
        work,
        user,
        _("L'équipe CNCD a masqué « %(title)s » de la vitrine : %(reason)s") % {"title": work.title, "reason": reason},
    )
    _kept(work)
    return work


@transaction.atomic
def work_restore(*, user, work_id: int) -> Work:
    """The team shows a hidden work again (published, as it was before)."""
    if not _is_team(user):
        raise WorkError(_("Seule l'équipe CNCD peut rétablir un travail."))
    work = Work.objects.select_for_update().select_related("page").filter(pk=work_id).first()
    if work is None:
        raise WorkError(_("Ce travail n'existe plus."))
    if work.status != WorkStatus.HIDDEN:
        return work
    work.status = WorkStatus.PUBLISHED
    work.published_at = work.published_at or timezone.now()
    work.hidden_at, work.hidden_by, work.hidden_reason = None, None, ""
    work.save(update_fields=["status", "published_at", "hidden_at", "hidden_by", "hidden_reason", "updated_at"])
    audit_log(actor=user, action="showcase.work.restored", target=work)
    _notify(work, user, _("L'équipe CNCD a rétabli « %(title)s » dans la vitrine.") % {"title": work.title})
    _kept(work)
    return work


# The library's cache ---------------------------------------------------------------------------------------

# The library's rendered facets and results are cached (templates/showcase/works/library.html, {% cache %}),
# keyed by this generation, bumped by every write above (and page_works_refresh).
GENERATION_KEY = "showcase:works:generation"
CACHE_SECONDS = 600


def library_generation() -> int:
    try:
        return cache.get_or_set(GENERATION_KEY, 1, timeout=None)
    except Exception:
        logger.warning("Vitrine : génération de la bibliothèque illisible", exc_info=True)
        return int(time.time() * 1000)


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        cache.set(GENERATION_KEY, int(time.time() * 1000), timeout=None)


def _bump_safely() -> None:
    try:
        with transaction.atomic():
            _bump()
    except Exception:
        logger.warning("Vitrine : génération de la bibliothèque en cache non mise à jour", exc_info=True)


def library_changed() -> None:
    """Forget the cached library now and once the transaction commits."""
    _bump_safely()
    transaction.on_commit(_bump_safely, robust=True)


# The library (reads) ------------------------------------------------------------------------------------

SORT_RECENT, SORT_OLDEST, SORT_RELEVANCE = "recent", "ancien", "pertinence"
SORTS = {
    SORT_RELEVANCE: gettext_lazy("Pertinence"),
    SORT_RECENT: gettext_lazy("Les plus récents"),
    SORT_OLDEST: gettext_lazy("Les plus anciens"),
}
ORDERINGS = {
    SORT_RELEVANCE: ("-rank", "-issued_on", "-pk"),
    SORT_RECENT: ("-issued_on", "-pk"),
    SORT_OLDEST: ("issued_on", "pk"),
}
FACETS = ("theme", "region", "nature", "annee")
FACET_LEGENDS = {
    "theme": gettext_lazy("Thème"),
    "region": gettext_lazy("Région"),
    "nature": gettext_lazy("Nature du travail"),
    "annee": gettext_lazy("Année"),
}
RADIO_FACETS = ("nature",)
CARD_FIELDS = (
    "page_id", "kind", "title", "slug", "summary", "issued_on", "followup_answer", "followup_uptake", "status",
    "document_size", "page__slug", "page__council__name",
)  # fmt: skip


@dataclass(frozen=True)
class LibraryParams:
    """What the visitor asked for, from the URL (French parameter names); an unknown value is ignored."""

    q: str = ""
    theme: str = ""
    region: str = ""
    nature: str = ""
    annee: str = ""
    tri: str = ""
    page: str = ""

    @classmethod
    def from_query(cls, data: Mapping) -> "LibraryParams":
        def value(name, length):
            raw = data.get(name) or ""
            return " ".join(str(raw).split())[:length] if isinstance(raw, str) else ""

        nature, tri, annee = value("nature", 16), value("tri", 16), value("annee", 4)
        return cls(
            q=value("q", MAX_QUERY_LENGTH),
            theme=value("theme", 80),
            region=value("region", 3),
            nature=nature if nature in WorkKind.values else "",
            annee=annee if annee.isdigit() and len(annee) == 4 else "",
            tri=tri if tri in SORTS else "",
            page=value("page", 10),
        )

    @property
    def sort(self) -> str:
        if self.tri == SORT_RELEVANCE and not self.q:
            return SORT_RECENT
        return self.tri or (SORT_RELEVANCE if self.q else SORT_RECENT)

    @property
    def filtered(self) -> bool:
        return bool(self.q or any(getattr(self, name) for name in FACETS))

    def query(self, **changes) -> str:
        """The URL query of these parameters (empty ones left out), without the page unless changed."""
        params = replace(self, **{"page": "", **changes})
        names = ("q", *FACETS, "tri", "page")
        return urlencode([(name, getattr(params, name)) for name in names if getattr(params, name)])


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class Facet:
    name: str
    values: list[FacetValue]
    chosen: str

    @property
    def legend(self) -> str:
        return str(FACET_LEGENDS[self.name])

    @property
    def radio(self) -> bool:
        return self.name in RADIO_FACETS


@dataclass
class Library:
    params: LibraryParams
    page: Page
    facets: list[Facet] = field(default_factory=list)
    sort: str = SORT_RECENT

    @property
    def total(self) -> int:
        return self.page.paginator.count


def _filters(params: LibraryParams) -> dict[str, Q]:
    filters = {}
    if params.theme:
        filters["theme"] = Q(pk__in=Work.themes.through.objects.filter(theme__slug=params.theme).values("work_id"))
    if params.region:
        filters["region"] = Q(region__code=params.region)
    if params.nature:
        filters["nature"] = Q(kind=params.nature)
    if params.annee:
        year = int(params.annee)
        filters["annee"] = Q(issued_on__gte=datetime.date(year, 1, 1), issued_on__lt=datetime.date(year + 1, 1, 1))
    return filters


def _facets(matched: QuerySet, params: LibraryParams) -> tuple[list[Facet], int]:
    """Each facet's values with their counts (values with none left out, unless chosen), and the number of works
    the filters keep, in queries whose number does not grow with the works:

    - the matched works (of the chosen theme, if any) grouped by (kind, region, year), a few hundred rows at most,
      from which the region, kind and year facets and the total are counted in Python, each with the other
      filters applied (a value's count is what choosing it would give);
    - the matched works with the other filters applied, counted per theme (a work counts once per theme);
    - the labels of the regions and themes found (two lists of a few rows).
    """
    base = matched.order_by()
    base_of_theme = base.filter(_filters(params)["theme"]) if params.theme else base
    rows = list(
        base_of_theme.annotate(year=ExtractYear("issued_on"))
        .values_list("kind", "region_id", "year")
        .annotate(count=Count("pk"))
    )
    others = [condition for name, condition in _filters(params).items() if name != "theme"]
    theme_counts = dict(
        base.filter(*others).filter(themes__isnull=False).values_list("themes__id").annotate(count=Count("pk"))
    )
    region_ids = {region_id for _kind, region_id, _year, _count in rows if region_id}
    regions = {
        pk: (code, name)
        for pk, code, name in Region.objects.filter(pk__in=region_ids).values_list("pk", "code", "name")
    }
    themes = list(
        Theme.objects.filter(Q(pk__in=list(theme_counts)) | Q(slug=params.theme or None))
        .order_by("position", "name")
        .values_list("pk", "slug", "name")
    )
    year = int(params.annee) if params.annee else None

    def keeps(kind, region, row_year, facet) -> bool:
        return (
            (facet == "nature" or not params.nature or kind == params.nature)
            and (facet == "region" or not params.region or region == params.region)
            and (facet == "annee" or year is None or row_year == year)
        )

    counted = [
        (kind, regions.get(region_id, ("", ""))[0], row_year, count) for kind, region_id, row_year, count in rows
    ]

    def tally(facet, key) -> dict:
        totals: dict = {}
        for kind, region, row_year, count in counted:
            if keeps(kind, region, row_year, facet):
                value = key(kind, region, row_year)
                if value:
                    totals[value] = totals.get(value, 0) + count
        return totals

    facets = {}

    def values(facet, found_rows):
        chosen = getattr(params, facet)
        found = [
            FacetValue(str(value), str(label), count, str(value) == chosen)
            for value, label, count in found_rows
            if count
        ]
        if chosen and not any(item.selected for item in found):
            found.insert(0, FacetValue(chosen, chosen, 0, True))
        facets[facet] = Facet(name=facet, values=found, chosen=chosen)

    values("theme", [(slug, name, theme_counts.get(pk, 0)) for pk, slug, name in themes])

    names = dict(regions.values())
    by_region = tally("region", lambda kind, region, row_year: region)
    values("region", sorted(((code, names[code], count) for code, count in by_region.items()), key=lambda i: i[1]))

    kinds = tally("nature", lambda kind, region, row_year: kind)
    values("nature", [(kind.value, kind.label, kinds.get(kind.value, 0)) for kind in WorkKind])

    years = tally("annee", lambda kind, region, row_year: row_year)
    values("annee", [(row_year, row_year, count) for row_year, count in sorted(years.items(), reverse=True)])

    total = sum(count for kind, region, row_year, count in counted if keeps(kind, region, row_year, ""))
    return [facets[name] for name in FACETS], total


def facets_key(params: LibraryParams) -> str:
    """What the facets (and the total) depend on: the query and the filters, not the page nor the sort."""
    wanted = "\x1f".join((params.q, *(getattr(params, name) for name in FACETS)))
    return hashlib.md5(wanted.encode(), usedforsecurity=False).hexdigest()


def _facets_cached(matched: QuerySet, params: LibraryParams) -> tuple[list[Facet], int]:
    """The facets and the total, computed once per query and filters under the library's generation: the next
    pages and the other sorts of a search only read their page of works."""
    key = f"showcase:works:facets:{library_generation()}:{get_language()}:{facets_key(params)}"
    try:
        found = cache.get(key)
    except Exception:
        logger.warning("Vitrine : facettes en cache illisibles", exc_info=True)
        found = None
    if found is None:
        found = _facets(matched, params)
        try:
            with transaction.atomic():  # a savepoint: a failing database cache leaves the transaction usable
                cache.set(key, found, CACHE_SECONDS)
        except Exception:
            logger.warning("Vitrine : facettes non mises en cache", exc_info=True)
    return found


def library(*, params: LibraryParams | Mapping) -> Library:
    """The page of the library asked for with `params` (public works only, for everyone)."""
    if not isinstance(params, LibraryParams):
        params = LibraryParams.from_query(params)
    matched = Work.objects.published()
    rank = None
    if params.q:
        matched, rank = matching(matched, params.q)
    facets, total = _facets_cached(matched, params)
    sort = params.sort
    results = matched.filter(*_filters(params).values())
    if rank is not None:
        results = results.annotate(rank=rank)
    results = (
        results.select_related("page__council").only(*CARD_FIELDS).order_by(*ORDERINGS[sort]).prefetch_related("themes")
    )
    paginator = Paginator(results, PAGE_SIZE)
    paginator.__dict__["count"] = total  # counted with the facets: no COUNT query of its own
    page = paginator.get_page(params.page)
    list(page)
    return Library(params=params, page=page, facets=facets, sort=sort)


# One work ---------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class LinkRow:
    code: str
    title: str
    kind: str
    url: str


REFERENTIEL_URLS = {
    LinkKind.MISSION: "referentiel:mission",
    LinkKind.ACTIVITY: "referentiel:activity",
    LinkKind.COMPETENCE: "referentiel:competence",
}


def link_rows(work: Work) -> list[LinkRow]:
    """The work's référentiel links, titled and pointing to the items of the published référentiel (the code and
    the title kept when the item is gone)."""
    from competences.models import Competence, FrameworkVersion
    from missions.models import Activity, Mission

    links = list(work.links.all())
    if not links:
        return []
    version = FrameworkVersion.objects.current()
    titles: dict[str, str] = {}
    if version is not None:
        codes = [link.code for link in links]
        for model in (Mission, Activity, Competence):
            titles.update(model.objects.of(version).filter(code__in=codes).values_list("code", "title"))
    rows = []
    for link in links:
        url = ""
        if version is not None and link.code in titles:
            url = reverse(REFERENTIEL_URLS[link.kind], kwargs={"label": version.label, "code": link.code})
        rows.append(LinkRow(link.code, titles.get(link.code, link.title), link.get_kind_display(), url))
    return rows


def citation(work: Work, url: str) -> str:
    """A ready-made citation: council, kind, title, date, permanent address, licence."""
    return _("%(council)s, %(kind)s « %(title)s », %(date)s. %(url)s (%(licence)s)") % {
        "council": work.page.council.name,
        "kind": work.get_kind_display().lower(),
        "title": work.title,
        "date": work.issued_on.strftime("%d/%m/%Y"),
        "url": url,
        "licence": work.get_licence_display(),
    }


def permanent_path(work: Work) -> str:
    """The stable, citable address: the number alone (the slug after it follows the title)."""
    return reverse("showcase:work_short", args=[work.pk])


def readable(user, pk: int) -> Work | None:
    return visible_to(user).select_related("page__council", "region", "hidden_by").filter(pk=pk).first()


def work_page(*, work: Work, user, request) -> dict:
    permanent = request.build_absolute_uri(permanent_path(work))
    return {
        "work": work,
        "themes": list(work.themes.all()),
        "links": link_rows(work),
        "licence_url": LICENCE_URLS.get(work.licence, ""),
        "permanent_url": permanent,
        "citation": citation(work, permanent),
        "can_edit": can_edit(user, work),
        "is_team": _is_team(user),
        "council_public": work.page.is_published and work.page.council.is_validated,
        "answered": work.followup_answer == FollowUpAnswer.ANSWERED,
    }


def managed(user) -> QuerySet:
    """The works `user` looks after: their council's (every state) or, for the team, every work."""
    works = Work.objects.select_related("page__council").order_by("-updated_at", "-pk")
    if _is_team(user):
        return works
    return works.filter(page__in=editable_pages(user).values("pk"))


def works_for_code(code: str, limit: int = 5) -> tuple[list[Work], int]:
    """Published works illustrating a référentiel code (the panel on the référentiel's pages)."""
    works = (
        Work.objects.published()
        .filter(links__code=code)
        .select_related("page__council")
        .only("pk", "title", "slug", "kind", "issued_on", "page__council__name")
        .order_by("-issued_on", "-pk")
    )
    shown = list(works[:limit])
    count = len(shown) if len(shown) < limit else works.count()
    return shown, count


def latest(limit: int = 30) -> list[Work]:
    """The newest published works (the Atom feed)."""
    return list(
        Work.objects.published()
        .select_related("page__council")
        .prefetch_related("themes")
        .order_by(F("published_at").desc(nulls_last=True), "-pk")[:limit]
    )


TEAM_SHOWN = 10


def team_block(user):
    """The team's vitrine queue (/vitrine/equipe/): the newest published works to glance over (and hide if need
    be), and the hidden ones (to restore)."""
    from core.home import HomeBlock, HomeLink

    if not _is_team(user):
        return None
    recent = list(
        Work.objects.published()
        .select_related("page__council")
        .only("pk", "title", "slug", "published_at", "page__council__name")
        .order_by(F("published_at").desc(nulls_last=True), "-pk")[:TEAM_SHOWN]
    )
    hidden = list(
        Work.objects.filter(status=WorkStatus.HIDDEN)
        .select_related("page__council")
        .only("pk", "title", "slug", "hidden_reason", "page__council__name")
        .order_by("-hidden_at", "-pk")[:TEAM_SHOWN]
    )
    links = [
        HomeLink(work.title, work.get_absolute_url(), work.page.council.name, when=work.published_at) for work in recent
    ]
    links += [
        HomeLink(work.title, work.get_absolute_url(), _("masqué : %(reason)s") % {"reason": work.hidden_reason})
        for work in hidden
    ]
    return HomeBlock(
        "showcase-works-team",
        _("Travaux : les derniers publiés et les masqués"),
        links,
        text="" if links else _("Aucun travail publié pour l'instant."),
        more_url=reverse("showcase:works_manage"),
        more_text=_("Tous les travaux"),
    )
