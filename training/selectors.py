"""Reads of the catalogue of trainings: the filtered, sorted list and a training's page.

The list runs a fixed number of queries whatever the number of trainings: the count, the page, the
page's competences and upcoming sessions (prefetched), and the référentiel's titles. Competences are
named by their stable code: a code the current référentiel no longer holds is shown as such.
"""

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import F, Min, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from competences.models import Competence, Domain, FrameworkVersion
from members.models import Region
from missions.models import Activity, Mission
from training.enums import ProviderKind, TrainingFormat, TrainingStatus
from training.models import CODE_LENGTH, Training, TrainingCompetence, TrainingCompletion, TrainingSession

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 200

SORT_TITLE, SORT_NEXT, SORT_FOLLOWED, SORT_RECENT = "titre", "prochaine-session", "suivies", "recentes"
SORTS = {
    SORT_TITLE: _("Intitulé (A → Z)"),
    SORT_NEXT: _("Prochaine session"),
    SORT_FOLLOWED: _("Les plus suivies"),
    SORT_RECENT: _("Les plus récentes au catalogue"),
}
# The team's filter on the state; everyone else sees published trainings only.
STATUS_ALL = "toutes"
STATUS_CHOICES = {
    "": _("Publiées"),
    TrainingStatus.DRAFT.value: _("Brouillons"),
    TrainingStatus.ARCHIVED.value: _("Archivées"),
    STATUS_ALL: _("Toutes"),
}
FILTERS = ("q", "competence", "mission", "organisme", "format", "region", "a_venir", "etat")


@dataclass(frozen=True)
class CatalogueParams:
    """What the visitor asked for, from the URL (French parameter names); an unknown value is ignored."""

    q: str = ""
    competence: str = ""
    mission: str = ""
    organisme: str = ""
    format: str = ""
    region: str = ""
    a_venir: str = ""
    etat: str = ""
    tri: str = ""
    page: str = ""

    @classmethod
    def from_query(cls, data: Mapping, *, curator: bool = False) -> "CatalogueParams":
        def value(name, length):
            raw = data.get(name) or ""
            return " ".join(str(raw).split())[:length] if isinstance(raw, str) else ""

        organisme, training_format, tri, etat = (
            value("organisme", 16),
            value("format", 16),
            value("tri", 24),
            value("etat", 16),
        )
        return cls(
            q=value("q", MAX_QUERY_LENGTH),
            competence=value("competence", CODE_LENGTH),
            mission=value("mission", CODE_LENGTH),
            organisme=organisme if organisme in ProviderKind.values else "",
            format=training_format if training_format in TrainingFormat.values else "",
            region=value("region", 3),
            a_venir="1" if value("a_venir", 3) in ("1", "on", "oui") else "",
            etat=etat if curator and etat in STATUS_CHOICES else "",
            tri=tri if tri in SORTS else "",
            page=value("page", 10),
        )

    @property
    def sort(self) -> str:
        return self.tri or SORT_TITLE

    @property
    def filtered(self) -> bool:
        return any(getattr(self, name) for name in FILTERS)

    def query(self, **changes) -> str:
        """The URL query of these parameters (empty ones left out), without the page unless changed."""
        params = replace(self, **{"page": "", **changes})
        names = (*FILTERS, "tri", "page")
        return urlencode([(name, getattr(params, name)) for name in names if getattr(params, name)])


# The référentiel ---------------------------------------------------------------------------------


@dataclass
class Referentiel:
    """The current référentiel as the catalogue uses it: competences by code, grouped by domain; missions."""

    version: FrameworkVersion | None
    titles: dict[str, str] = field(default_factory=dict)  # competence code -> title
    domains: list[tuple[str, list[tuple[str, str]]]] = field(default_factory=list)  # (domain, [(code, title)])
    missions: list[tuple[str, str]] = field(default_factory=list)  # (code, title)


def current_referentiel(*, with_missions: bool = False) -> Referentiel:
    """The competences (and missions) of the référentiel in force, two or three queries."""
    version = FrameworkVersion.objects.current()
    found = Referentiel(version=version)
    if version is None:
        return found
    domain_titles = dict(Domain.objects.filter(version=version).values_list("pk", "title"))
    groups: dict[int, list[tuple[str, str]]] = {}
    rows = (
        Competence.objects.filter(version=version)
        .order_by("domain__order", "order", "code")
        .values_list("code", "title", "domain_id")
    )
    for code, title, domain_id in rows:
        found.titles[code] = title
        groups.setdefault(domain_id, []).append((code, title))
    found.domains = [(domain_titles.get(domain_id, ""), items) for domain_id, items in groups.items()]
    if with_missions:
        found.missions = list(
            Mission.objects.filter(version=version).order_by("order", "code").values_list("code", "title")
        )
    return found


def mission_competence_codes(mission_code: str) -> list[str]:
    """The competences the activities of a mission of the current référentiel mobilise."""
    version = FrameworkVersion.objects.current()
    if version is None:
        return []
    rows = Activity.objects.filter(version=version, mission__code=mission_code).values_list(
        "competences__code", flat=True
    )
    return sorted({code for code in rows if code})


@dataclass(frozen=True)
class CompetenceShown:
    code: str
    title: str  # "" when the current référentiel no longer holds the code

    @property
    def known(self) -> bool:
        return bool(self.title)


def competences_shown(codes: list[str], titles: dict[str, str]) -> list[CompetenceShown]:
    return [CompetenceShown(code, titles.get(code, "")) for code in codes]


# The list ----------------------------------------------------------------------------------------


@dataclass
class Catalogue:
    params: CatalogueParams
    page: Page
    referentiel: Referentiel
    regions: list[tuple[str, str]]
    curator: bool

    @property
    def total(self) -> int:
        return self.page.paginator.count

    @property
    def query(self) -> str:
        return self.params.query()

    @property
    def competence_elsewhere(self) -> str:
        """The competence asked for when the current référentiel does not hold it (kept in the form)."""
        competence = self.params.competence
        return competence if competence and competence not in self.referentiel.titles else ""


def _search(queryset: QuerySet, text: str) -> QuerySet:
    """Every word in the title, the summary, the organisme or the description (accents ignored on PostgreSQL)."""
    lookup = "unaccent__icontains" if connection.vendor == "postgresql" else "icontains"
    for word in text.split()[:10]:
        condition = Q()
        for name in ("title", "summary", "provider", "description"):
            condition |= Q(**{f"{name}__{lookup}": word})
        queryset = queryset.filter(condition)
    return queryset


def catalogue_base(user, params: CatalogueParams) -> QuerySet:
    """The trainings `user` may list with the state chosen (published only, unless a curator asks)."""
    trainings = Training.objects.visible_to(user)
    if not params.etat:
        return trainings.published()
    if params.etat == STATUS_ALL:
        return trainings
    return trainings.filter(status=params.etat)


def catalogue_matching(user, params: CatalogueParams, *, today: date | None = None) -> QuerySet:
    """The trainings the filters and the search select (the list and the export share it)."""
    today = today or timezone.localdate()
    trainings = catalogue_base(user, params)
    if params.competence:
        trainings = trainings.developing([params.competence])
    if params.mission:
        trainings = trainings.developing(mission_competence_codes(params.mission))
    if params.organisme:
        trainings = trainings.filter(provider_kind=params.organisme)
    if params.format:
        trainings = trainings.filter(format=params.format)
    sessions = TrainingSession.objects.all()
    if params.region:
        sessions = sessions.filter(region__code=params.region)
    if params.a_venir:
        sessions = sessions.filter(starts_on__gte=today)
    if params.region or params.a_venir:
        trainings = trainings.filter(pk__in=sessions.values("training_id"))
    if params.q:
        trainings = _search(trainings, params.q)
    return trainings


ORDERINGS = {
    SORT_TITLE: ("title", "pk"),
    SORT_FOLLOWED: ("-completion_count", "title", "pk"),
    SORT_RECENT: ("-created_at", "-pk"),
}


def catalogue(*, user, params: CatalogueParams | Mapping, today: date | None = None) -> Catalogue:
    """The page of the catalogue `user` asked for with `params` (a CatalogueParams or the request's GET)."""
    curator = bool(user is not None and user.is_authenticated and user.is_curator)
    if not isinstance(params, CatalogueParams):
        params = CatalogueParams.from_query(params, curator=curator)
    today = today or timezone.localdate()
    trainings = catalogue_matching(user, params, today=today).annotate(
        next_session=Min("sessions__starts_on", filter=Q(sessions__starts_on__gte=today))
    )
    if params.sort == SORT_NEXT:
        trainings = trainings.order_by(F("next_session").asc(nulls_last=True), "title", "pk")
    else:
        trainings = trainings.order_by(*ORDERINGS[params.sort])
    upcoming = TrainingSession.objects.filter(starts_on__gte=today).select_related("region").order_by("starts_on")
    trainings = trainings.defer("description").prefetch_related(
        Prefetch("competences", queryset=TrainingCompetence.objects.order_by("code")),
        Prefetch("sessions", queryset=upcoming, to_attr="upcoming_sessions"),
    )
    page = Paginator(trainings, PAGE_SIZE).get_page(params.page)
    referentiel = current_referentiel(with_missions=True)
    for training in page:
        training.competences_shown = competences_shown(
            [item.code for item in training.competences.all()], referentiel.titles
        )
    regions = list(Region.objects.order_by("name").values_list("code", "name"))
    return Catalogue(params=params, page=page, referentiel=referentiel, regions=regions, curator=curator)


# A training's page ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Review:
    name: str
    completed_on: date
    text: str
    mine: bool


@dataclass
class TrainingPage:
    training: Training
    competences: list[CompetenceShown]
    upcoming: list[TrainingSession]
    past: list[TrainingSession]
    reviews: list[Review]
    mine: TrainingCompletion | None


def visible_training(user, pk: int) -> Training | None:
    """The training if `user` may see it: published, or any for the team, or archived but followed by `user`."""
    training = Training.objects.visible_to(user).filter(pk=pk).first()
    if training is None and user is not None and user.is_authenticated and user.is_approved:
        training = Training.objects.filter(pk=pk, status=TrainingStatus.ARCHIVED, completions__user=user).first()
    return training


def training_page(*, training: Training, user, today: date | None = None) -> TrainingPage:
    """What a training's page shows `user`: sessions (upcoming, then past), competences, members' reviews."""
    today = today or timezone.localdate()
    sessions = list(training.sessions.select_related("region").order_by("starts_on", "pk"))
    upcoming = [session for session in sessions if (session.ends_on or session.starts_on) >= today]
    past = [session for session in reversed(sessions) if (session.ends_on or session.starts_on) < today]
    titles = current_referentiel().titles
    codes = list(training.competences.order_by("code").values_list("code", flat=True))
    reviews, mine = [], None
    member = bool(user is not None and user.is_authenticated and user.is_approved)
    if member:
        completions = (
            training.completions.select_related("user", "user__profile")
            .filter(Q(user=user) | ~Q(review=""))
            .order_by("-completed_on", "-pk")
        )
        for completion in completions:
            if completion.user_id == user.pk:
                mine = completion
            if completion.review:
                name = completion.user.credit_name() or str(_("Un·e membre du réseau"))
                reviews.append(Review(name, completion.completed_on, completion.review, completion.user_id == user.pk))
    return TrainingPage(
        training=training,
        competences=competences_shown(codes, titles),
        upcoming=upcoming,
        past=past,
        reviews=reviews,
        mine=mine,
    )


def completions_of(user) -> QuerySet:
    """The trainings a member followed, most recent first (their portfolio and plan use it)."""
    return TrainingCompletion.objects.filter(user=user).select_related("training").order_by("-completed_on", "-pk")
