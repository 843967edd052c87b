"""Who may open what: every URL pattern of the site, for every kind of visitor, in one table.

`EXPECTED` is keyed by URL name; unnamed patterns by "namespace:route". A pattern added anywhere
(an app's urls.py, allauth, the admin) without a row here fails
`test_every_url_pattern_has_an_expectation`, which names it: decide who may open it, then add its row.

Columns: anonymous visitor, pending account, member (who owns the sample objects), another
member, curator, administrator. Every request is a GET; a POST-only view must answer 405 and
leave the database exactly as it was.

The Django admin's model pages are one group (`ADMIN_MODEL_PAGES`): for every registered model,
its list, add, change, delete and history pages are for staff accounts only. Its other pages have
their own rows.
"""

import io
import re
import zipfile
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from competences import services as competence_services
from competences.enums import FrameworkStatus
from competences.models import FrameworkVersion
from fiches import services as fiche_services
from fiches.models import COMMON_FICHE_SLUG, PersonalFiche
from members.enums import Visibility
from missions import services as mission_services
from tests.competences.factories import build_version, small_data
from tests.fiches.factories import fiche_with_sections
from tests.members.factories import CouncilFactory, InvitationFactory, ProfileFactory, UserFactory

ROLES = ("anonymous", "pending", "member", "other", "curator", "admin")

# Outcomes. Redirections are checked on their target, not only on their status.
OK = "200"
LOGIN = "login"  # 302 to the site's login page, with ?next=
PENDING = "pending"  # 302 to the "account waiting for approval" page
ADMIN_LOGIN = "admin-login"  # 302 to the Django admin's own login page, with ?next=
FORBIDDEN = "403"
MISSING = "404"
NOT_ALLOWED = "405"  # POST-only view
GONE = "410"


def redirect_to(path: str) -> str:
    """302 to exactly `path` (its query string ignored)."""
    return f"redirect:{path}"


@dataclass(frozen=True)
class Case:
    """The outcome expected for each role (in `ROLES` order) on one URL built from sample objects.

    `kwargs` values are str.format templates over the sample objects' identifiers (see `world`).
    """

    outcomes: tuple[str, ...]
    kwargs: dict = field(default_factory=dict)
    query: str = ""
    # For pages that show "my" things without an id in the URL: only the member's response may
    # contain this text.
    owner_only_text: str = ""

    def __post_init__(self):
        assert len(self.outcomes) == len(ROLES)


def row(anonymous, pending, member, other, curator, admin_, **options) -> Case:
    return Case((anonymous, pending, member, other, curator, admin_), **options)


def public(**options) -> Case:
    return row(OK, OK, OK, OK, OK, OK, **options)


def members(**options) -> Case:
    """Approved accounts only."""
    return row(LOGIN, PENDING, OK, OK, OK, OK, **options)


def accounts(**options) -> Case:
    """Any logged-in account, even one waiting for approval."""
    return row(LOGIN, OK, OK, OK, OK, OK, **options)


def curators(**options) -> Case:
    return row(LOGIN, PENDING, FORBIDDEN, FORBIDDEN, OK, OK, **options)


def administrators(**options) -> Case:
    return row(LOGIN, PENDING, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, **options)


def members_post_only(**options) -> Case:
    return row(LOGIN, PENDING, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, **options)


def curators_post_only(**options) -> Case:
    """The role check comes before the method check."""
    return row(LOGIN, PENDING, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, NOT_ALLOWED, **options)


def staff(**options) -> Case:
    """The Django admin: its own login page for everyone but staff accounts (administrators)."""
    return row(ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, OK, **options)


HOME = "/"
PENDING_PAGE = "/membres/en-attente/"
MY_FICHE = "/fiches/ma-fiche/"
# Planted in the member's own records by `world`: another member must never see it on "my" pages.
MEMBER_SECRET = "texte-prive-du-membre-4242"

EXPECTED: dict[str, Case | tuple[Case, ...]] = {}

# The Django admin's model pages, one group: <app>_<model>_<page> for every registered model.
ADMIN_MODEL_PAGES = ("changelist", "add", "change", "delete", "history")


def _admin_model_case(name: str) -> Case | None:
    """The group expectation for a Django admin model page, or None when `name` is not one."""
    match = re.fullmatch(r"admin:(\w+?)_(\w+)_(changelist|add|change|delete|history)", name)
    if not match:
        return None
    label, page = f"{match[1]}.{match[2]}", match[3]
    try:
        model = apps.get_model(label)
    except LookupError:
        return None
    if model not in admin.site._registry:
        return None
    if page in {"changelist", "add"}:
        return staff()
    return staff(kwargs={"object_id": f"{{admin:{label}}}"})


def _admin_model_redirect_case(key: str) -> Case | None:
    """admin/<app>/<model>/<id>/ redirects staff to the change page (older links)."""
    match = re.fullmatch(r"admin:(\w+)/(\w+)/<path:object_id>/", key)
    if not match:
        return None
    label = f"{match[1]}.{match[2]}"
    change = f"/admin/{match[1]}/{match[2]}/{{admin:{label}}}/change/"
    return row(*[ADMIN_LOGIN] * 5, redirect_to(change), kwargs={"object_id": f"{{admin:{label}}}"})


# --- Enumerating the URL patterns ---------------------------------------------------------------


@dataclass(frozen=True)
class Pattern:
    key: str  # URL name with its namespaces, or "namespace:route" when unnamed
    name: str | None  # for reverse()
    route: str


def url_patterns(resolver=None, namespace="", prefix="") -> list[Pattern]:
    """Every URL pattern the site answers to, depth first, including included ones."""
    resolver = resolver or get_resolver()
    found = []
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = namespace
            if entry.namespace:
                inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace
            found += url_patterns(entry, inner, route)
        elif isinstance(entry, URLPattern):
            full_name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name
            key = full_name or f"{namespace}:{route.removeprefix('admin/')}"
            found.append(Pattern(key=key, name=full_name, route=route))
    return found


def expectation(key: str) -> tuple[Case, ...] | None:
    case = EXPECTED.get(key) or _admin_model_case(key) or _admin_model_redirect_case(key)
    if case is None:
        return None
    return case if isinstance(case, tuple) else (case,)


def test_every_url_pattern_has_an_expectation():
    patterns = url_patterns()
    missing = [f"{p.key}  ({p.route})" for p in patterns if expectation(p.key) is None]
    assert not missing, (
        "Ces routes n'ont pas de ligne dans EXPECTED (tests/codev_network/test_authorization_matrix.py) : "
        "décidez qui peut les ouvrir et ajoutez-les.\n  " + "\n  ".join(missing)
    )
    known = {p.key for p in patterns}
    stale = sorted(set(EXPECTED) - known)
    assert not stale, f"Lignes d'EXPECTED sans route correspondante : {stale}"
    # Nothing escapes: the allauth and admin routes are enumerated like the site's own.
    assert {"account_login", "admin:index", "admin:members_user_change", "fiches:suggestion"} <= known


# --- The sample objects -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Sample objects for every URL's arguments, built once for the module, rolled back after it."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _build_world() -> dict:
    users = {
        "member": UserFactory(),
        "other": UserFactory(),
        "pending": UserFactory(pending=True),
        "curator": UserFactory(curator=True),
        "admin": UserFactory(admin=True),
    }
    member, other, curator = users["member"], users["other"], users["curator"]
    ProfileFactory(user=member, bio=MEMBER_SECRET, training_wishes=MEMBER_SECRET)
    ProfileFactory(user=other, public=True)
    ProfileFactory(user=users["pending"])
    pending_council = CouncilFactory(is_validated=False)
    invitation = InvitationFactory()

    published = build_version(small_data("v1.0"))
    draft = build_version(small_data("v2.0"), status=FrameworkStatus.DRAFT)
    assert FrameworkVersion.objects.current() == published
    competence_services.self_assessment_save(
        user=member, version=published, ratings={"C-1-01": (2, False, MEMBER_SECRET)}
    )
    mission_services.declarations_save(user=member, shares={"M1": 40})

    fiche = fiche_with_sections(2, slug=COMMON_FICHE_SLUG)
    section = fiche.sections.order_by("order").first()
    fiche_services.version_publish(fiche_id=fiche.pk, label="v1.0", summary="Première", actor=curator)
    section.refresh_from_db()
    suggestion = fiche_services.suggestion_create(
        section_id=section.pk, author=member, body=section.current_body + " Et plus.", rationale="Plus précis."
    )
    comment = fiche_services.comment_create(suggestion_id=suggestion.pk, author=member, body="Mon avis.")
    fiche_services.comment_report(comment_id=comment.pk, reporter=other, reason="Hors sujet.")
    fiche_services.follow_set(user=member, target=fiche, following=True)
    personal = fiche_services.personal_fiche_create(
        owner=member, fiche=fiche, job_title="Chargée de mission", local_context=MEMBER_SECRET
    )
    Group.objects.create(name="Équipe")

    ids = {
        "member": member.pk,
        "other": other.pk,
        "pending": users["pending"].pk,
        "pending_council": pending_council.pk,
        "invitation": invitation.token,
        "published": published.label,
        "draft": draft.label,
        "fiche": fiche.slug,
        "section": section.pk,
        "revision": section.current_revision_id,
        "suggestion": suggestion.pk,
        "comment": comment.pk,
        "personal_section": personal.sections.order_by("order").first().pk,
        "fiche_version": "v1.0",
    }
    for model in admin.site._registry:
        first = model._default_manager.order_by("pk").first()
        assert first is not None, f"Aucun objet {model._meta.label} pour tester ses pages d'administration"
        ids[f"admin:{model._meta.label_lower}"] = first.pk
    assert PersonalFiche.objects.filter(owner=member).exists()
    clients = {"anonymous": Client()}
    for role, user in users.items():
        clients[role] = Client()
        clients[role].force_login(user)
    return {"ids": ids, "clients": clients, "users": users}


# --- Checking -----------------------------------------------------------------------------------


def outcome_of(response) -> str:
    if response.status_code in (301, 302):
        location = response["Location"]
        if location.startswith("/comptes/login/?next="):
            return LOGIN
        if location == PENDING_PAGE:
            return PENDING
        if location.startswith("/admin/login/?next="):
            return ADMIN_LOGIN
        return redirect_to(location.split("?")[0])
    return str(response.status_code)


def _text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    if content.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            content = b"".join(archive.read(name) for name in archive.namelist())
    return content.decode("utf-8", errors="replace")


def snapshot() -> dict:
    """Every row of the project's own tables (and allauth's), to prove a request changed nothing."""
    state = {}
    for config in ("members", "competences", "missions", "fiches", "codev_network", "account", "auth"):
        for model in apps.get_app_config(config).get_models():
            rows = model._default_manager.order_by("pk").values()
            # Logging in a test client touches last_login; that is not the request under test.
            state[model._meta.label] = [{k: v for k, v in r.items() if k != "last_login"} for r in rows]
    return state


def _patterns_by_key() -> dict[str, Pattern]:
    return {p.key: p for p in url_patterns()}


def _url(pattern: Pattern, case: Case, ids: dict) -> str:
    kwargs = {name: value.format_map(ids) for name, value in case.kwargs.items()}
    if pattern.name:
        url = reverse(pattern.name, kwargs=kwargs)
    else:
        url = "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda m: str(kwargs[m[1]]), pattern.route)
    return url + (f"?{case.query}" if case.query else "")


@pytest.mark.django_db
@pytest.mark.parametrize("key", sorted(p.key for p in url_patterns()))
def test_who_may_open_each_url(world, key):
    cases = expectation(key)
    assert cases is not None, f"{key} n'a pas de ligne dans EXPECTED"
    pattern = _patterns_by_key()[key]
    for case in cases:
        url = _url(pattern, case, world["ids"])
        post_only = NOT_ALLOWED in case.outcomes
        before = snapshot() if post_only else None
        actual = {}
        for role in ROLES:
            response = world["clients"][role].get(url)
            actual[role] = outcome_of(response)
            if case.owner_only_text and response.status_code == 200:
                shown = case.owner_only_text in _text(response)
                assert shown == (role == "member"), f"{url} as {role}: owner-only text {'shown' if shown else 'hidden'}"
        expected = {role: outcome.format_map(world["ids"]) for role, outcome in zip(ROLES, case.outcomes, strict=True)}
        assert actual == expected, f"{url}\n expected {expected}\n actual   {actual}"
        if post_only:
            assert snapshot() == before, f"GET {url} changed the database"
