"""Reads of the toolbox: the catalogue, with its search, facets, sorts and pagination.

The catalogue lists published resources only, never a draft (even one's own: "Mes ressources" lists
those): public ones for anyone, every published one for members. Its number of queries does not grow
with the number of resources: one grouped query per facet, each counting with the other filters applied
(a value's count is what choosing it would give), the page of results with its links prefetched.
"""

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import urlencode

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db import transaction
from django.db.models import Count, Max, Q, QuerySet
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from competences.models import FrameworkVersion
from missions.models import Activity, Mission
from toolbox.enums import LICENCE_SHORT, Licence, LinkKind, ResourceKind
from toolbox.models import Resource, ResourceLink
from toolbox.search import MAX_QUERY_LENGTH, matching

logger = logging.getLogger(__name__)

PAGE_SIZE = 20
CODE_LENGTH = 40

SORT_RECENT, SORT_USEFUL, SORT_RELEVANCE = "recent", "utile", "pertinence"
SORTS = {
    SORT_RELEVANCE: _("Pertinence"),
    SORT_RECENT: _("Les plus récentes"),
    SORT_USEFUL: _("Les plus utiles"),
}
ORDERINGS = {
    SORT_RELEVANCE: ("-rank", "-published_at", "-pk"),
    SORT_RECENT: ("-published_at", "-pk"),
    SORT_USEFUL: ("-useful_count", "-published_at", "-pk"),
}
# What a card shows (toolbox/includes/resource_card.html): the long texts stay in the database.
CARD_FIELDS = (
    "kind", "title", "summary", "licence", "audience", "public_approved", "status", "published_at", "useful_count",
    "use_count",
)  # fmt: skip
# The facets, in the order of the filter form; each is also the name of its URL parameter.
FACETS = ("nature", "mission", "competence", "licence", "region")


@dataclass(frozen=True)
class CatalogueParams:
    """What the visitor asked for, from the URL (French parameter names); an unknown value is ignored."""

    q: str = ""
    nature: str = ""
    mission: str = ""
    competence: str = ""
    licence: str = ""
    region: str = ""
    tri: str = ""
    page: str = ""

    @classmethod
    def from_query(cls, data: Mapping) -> "CatalogueParams":
        def value(name, length):
            raw = data.get(name) or ""
            return " ".join(str(raw).split())[:length] if isinstance(raw, str) else ""

        nature = value("nature", 16)
        licence = value("licence", 24)
        tri = value("tri", 16)
        return cls(
            q=value("q", MAX_QUERY_LENGTH),
            nature=nature if nature in ResourceKind.values else "",
            mission=value("mission", CODE_LENGTH),
            competence=value("competence", CODE_LENGTH),
            licence=licence if licence in Licence.values else "",
            region=value("region", 3),
            tri=tri if tri in SORTS else "",
            page=value("page", 10),
        )

    @property
    def sort(self) -> str:
        """The sort applied: the one asked for, else relevance for a search and the most recent otherwise."""
        if self.tri == SORT_RELEVANCE and not self.q:
            return SORT_RECENT
        return self.tri or (SORT_RELEVANCE if self.q else SORT_RECENT)

    @property
    def filtered(self) -> bool:
        return bool(self.q or any(getattr(self, name) for name in FACETS))

    def query(self, **changes) -> str:
        """The URL query of these parameters (empty ones left out), without the page unless changed."""
        values = {"page": "", **changes}
        params = replace(self, **values)
        names = ("q", *FACETS, "tri", "page")
        return urlencode([(name, getattr(params, name)) for name in names if getattr(params, name)])


OPTION_LENGTH = 90  # a choice of a list is cut to this many characters


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool

    @property
    def option(self) -> str:
        """The text of the value in a list: its label, cut, and its count."""
        label = self.label if len(self.label) <= OPTION_LENGTH else self.label[: OPTION_LENGTH - 1] + "…"
        return f"{label} ({self.count})"


FACET_LEGENDS = {
    "nature": _("Nature"),
    "mission": _("Mission"),
    "competence": _("Compétence"),
    "licence": _("Licence"),
    "region": _("Région"),
}
RADIO_FACETS = ("nature", "licence")  # few values: radio buttons; the others are lists to choose from


@dataclass(frozen=True)
class Facet:
    name: str  # also the URL parameter
    values: list[FacetValue]
    chosen: str

    @property
    def legend(self) -> str:
        return str(FACET_LEGENDS[self.name])

    @property
    def radio(self) -> bool:
        return self.name in RADIO_FACETS

    @property
    def options(self) -> str:
        """The <option>s of a list facet, built here: hundreds of competences cost a few ms through the template."""
        return format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((item.value, mark_safe(" selected") if item.selected else "", item.option) for item in self.values),
        )


@dataclass
class Catalogue:
    params: CatalogueParams
    page: Page
    facets: list[Facet] = field(default_factory=list)
    sort: str = SORT_RECENT

    @property
    def total(self) -> int:
        return self.page.paginator.count

    @property
    def query(self) -> str:
        """The current filters and sort as a URL query, without the page (for the pagination links)."""
        return self.params.query()


def catalogue_base(user) -> QuerySet:
    """What the catalogue may list for `user`: published resources, public ones only for a visitor or a
    member whose account is not yet approved."""
    if user is not None and user.is_authenticated and user.is_approved:
        return Resource.objects.published()
    return Resource.objects.public()


@dataclass(frozen=True)
class _Referentiel:
    """The current référentiel's missions, and every code that belongs to each (its activities, the
    competences they mobilise)."""

    titles: dict[str, str]
    codes: dict[str, frozenset[str]]


# The published version never changes (competences.models refuses writes out of draft): its mapping is kept
# in the process, keyed by the version and its publication (a database reloaded gets new ones).
_referentiels: dict[tuple, _Referentiel] = {}


def _referentiel() -> _Referentiel:
    current = FrameworkVersion.objects.published().values_list("pk", "published_at").first()
    if current is None:
        return _Referentiel(titles={}, codes={})
    found = _referentiels.get(current)
    if found is None:
        missions = Mission.objects.filter(version_id=current[0]).order_by("order", "code")
        titles = dict(missions.values_list("code", "title"))
        codes = {code: {code} for code in titles}
        rows = Activity.objects.filter(version_id=current[0]).values_list("code", "mission__code", "competences__code")
        for activity, mission, competence in rows:
            if mission in codes:
                codes[mission].add(activity)
                if competence:
                    codes[mission].add(competence)
        found = _Referentiel(titles=titles, codes={code: frozenset(items) for code, items in codes.items()})
        _referentiels.clear()
        _referentiels[current] = found
    return found


def _linked_to(codes) -> Q:
    return Q(pk__in=ResourceLink.objects.filter(code__in=list(codes)).values("resource_id"))


def _filters(params: CatalogueParams, referentiel: _Referentiel) -> dict[str, Q]:
    filters = {}
    if params.nature:
        filters["nature"] = Q(kind=params.nature)
    if params.mission:
        filters["mission"] = _linked_to(sorted(referentiel.codes.get(params.mission, {params.mission})))
    if params.competence:
        filters["competence"] = _linked_to([params.competence])
    if params.licence:
        filters["licence"] = Q(licence=params.licence)
    if params.region:
        filters["region"] = Q(region__code=params.region)
    return filters


def _except(matched: QuerySet, filters: dict[str, Q], facet: str) -> QuerySet:
    """`matched` with every filter but the facet's own."""
    return matched.filter(*(condition for name, condition in filters.items() if name != facet)).order_by()


def _facets(
    matched: QuerySet, filters: dict[str, Q], params: CatalogueParams, referentiel: _Referentiel
) -> list[Facet]:
    """Each facet's values with their counts (values with none left out, unless chosen), one query each."""
    facets = {}

    def values(facet, rows):
        chosen = getattr(params, facet)
        found = [FacetValue(value, str(label), count, value == chosen) for value, label, count in rows if count]
        if chosen and not any(item.selected for item in found):
            found.insert(0, FacetValue(chosen, chosen, 0, True))  # kept in the form, so that it can be unchosen
        facets[facet] = Facet(name=facet, values=found, chosen=chosen)

    kinds = dict(_except(matched, filters, "nature").values_list("kind").annotate(count=Count("pk")))
    values("nature", [(kind.value, kind.label, kinds.get(kind.value, 0)) for kind in ResourceKind])

    if referentiel.titles:
        # One pass over the links of the resources left: a resource counts once per mission it belongs to.
        counts = _except(matched, filters, "mission").aggregate(
            **{
                f"mission_{index}": Count("pk", filter=Q(links__code__in=sorted(codes)), distinct=True)
                for index, codes in enumerate(referentiel.codes.values())
            }
        )
        values(
            "mission",
            [
                (code, f"{code} {title}", counts[f"mission_{index}"])
                for index, (code, title) in enumerate(referentiel.titles.items())
            ],
        )
    else:
        values("mission", [])

    competences = (
        ResourceLink.objects.filter(
            kind=LinkKind.COMPETENCE, resource__in=_except(matched, filters, "competence").values("pk")
        )
        .order_by("code")
        .values_list("code")
        .annotate(title=Max("title"), count=Count("resource_id"))
    )
    values("competence", [(code, f"{code} {title}".strip(), count) for code, title, count in competences])

    licences = dict(_except(matched, filters, "licence").values_list("licence").annotate(count=Count("pk")))
    values("licence", [(licence.value, LICENCE_SHORT[licence], licences.get(licence.value, 0)) for licence in Licence])

    regions = (
        _except(matched, filters, "region")
        .filter(region__isnull=False)
        .values_list("region__code", "region__name")
        .annotate(count=Count("pk"))
        .order_by("region__name")
    )
    values("region", list(regions))
    return [facets[name] for name in FACETS]


def catalogue(*, user, params: CatalogueParams | Mapping) -> Catalogue:
    """The page of the catalogue `user` asked for with `params` (a CatalogueParams, or the request's GET)."""
    if not isinstance(params, CatalogueParams):
        params = CatalogueParams.from_query(params)
    referentiel = _referentiel()
    filters = _filters(params, referentiel)
    matched = catalogue_base(user)
    rank = None
    if params.q:
        matched, rank = matching(matched, params.q)
    facets = _facets(matched, filters, params, referentiel)

    sort = params.sort
    results = matched.filter(*filters.values())
    if rank is not None:
        results = results.annotate(rank=rank)
    results = results.only(*CARD_FIELDS).order_by(*ORDERINGS[sort]).prefetch_related("links")
    page = Paginator(results, PAGE_SIZE).get_page(params.page)
    for resource in page:  # evaluates the page once; the cards show the licence's short name
        resource.licence_short = LICENCE_SHORT.get(resource.licence, resource.licence)
    return Catalogue(params=params, page=page, facets=facets, sort=sort)


def public_matching(params: CatalogueParams | Mapping) -> QuerySet:
    """The public resources the catalogue's filters and search select (the export of a filtered catalogue)."""
    if not isinstance(params, CatalogueParams):
        params = CatalogueParams.from_query(params)
    matched = Resource.objects.public()
    if params.q:
        matched, _rank = matching(matched, params.q)
    return matched.filter(*_filters(params, _referentiel()).values())


# The catalogue's rendered facets and results are cached (templates/toolbox/catalogue.html, {% cache %}), keyed
# by this generation, bumped by every change a card or a count shows (toolbox.services, catalogue_changed).
GENERATION_KEY = "toolbox:catalogue:generation"
CACHE_SECONDS = 600


def catalogue_generation() -> int:
    return cache.get_or_set(GENERATION_KEY, 1, timeout=None)


def _bump() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not there (expired or cleared): any new value differs from the cached fragments' keys
        cache.set(GENERATION_KEY, int(time.time() * 1000), timeout=None)


def _bump_safely() -> None:
    """Bump the generation; a cache that fails (no cache table yet, Redis away) never undoes the change itself."""
    try:
        with transaction.atomic():  # a savepoint: the database cache's failed query leaves the transaction usable
            _bump()
    except Exception:
        logger.warning("Boîte à outils : génération du catalogue en cache non mise à jour", exc_info=True)


def catalogue_changed() -> None:
    """Forget the cached catalogue now and once the transaction commits (a reader in between may have cached
    the state before the change)."""
    _bump_safely()
    transaction.on_commit(_bump_safely, robust=True)
