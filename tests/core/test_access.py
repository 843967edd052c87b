import pytest
from django.http import HttpResponse
from django.urls import include, path

from core.enums import Role
from core.permissions import curator_required, has_role, pending_allowed, public
from tests.members.factories import UserFactory


@public
def open_view(request):
    return HttpResponse("ouvert")


def closed_view(request):
    return HttpResponse("réseau")


@pending_allowed
def waiting_room(request):
    return HttpResponse("salle d'attente")


@curator_required
def team_view(request):
    return HttpResponse("équipe")


urlpatterns = [
    path("ouvert/", open_view),
    path("reseau/", closed_view),
    path("attente/", waiting_room),
    path("equipe/", team_view),
    path("", include("codev_network.urls")),
]

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.core.test_access")]


@pytest.mark.parametrize(
    ("who", "url", "expected"),
    [
        ("anonymous", "/ouvert/", 200),
        ("anonymous", "/reseau/", 302),
        ("anonymous", "/attente/", 302),
        ("anonymous", "/equipe/", 302),
        ("pending", "/ouvert/", 200),
        ("pending", "/reseau/", 302),
        ("pending", "/attente/", 200),
        ("pending", "/equipe/", 302),
        ("refused", "/reseau/", 302),
        ("member", "/reseau/", 200),
        ("member", "/equipe/", 403),
        ("curator", "/equipe/", 200),
        ("admin", "/equipe/", 200),
    ],
)
def test_views_are_closed_unless_they_say_who_may_see_them(client, who, url, expected):
    users = {
        "pending": {"pending": True},
        "refused": {"refused": True},
        "member": {},
        "curator": {"curator": True},
        "admin": {"admin": True},
    }
    if who != "anonymous":
        client.force_login(UserFactory(**users[who]))
    response = client.get(url)
    assert response.status_code == expected
    if expected == 302 and who == "anonymous":
        assert response["Location"].startswith("/comptes/login/?next=")
    if expected == 302 and who in {"pending", "refused"}:
        assert response["Location"] == "/membres/en-attente/"


def test_htmx_requests_from_pending_accounts_are_redirected_with_hx_redirect(client):
    client.force_login(UserFactory(pending=True))
    response = client.get("/reseau/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"] == "/membres/en-attente/"


def test_roles_rank_and_require_approval():
    member, curator, admin = UserFactory.build(), UserFactory.build(curator=True), UserFactory.build(admin=True)
    assert has_role(member, Role.MEMBER) and not has_role(member, Role.CURATOR)
    assert has_role(curator, Role.MEMBER) and has_role(curator, Role.CURATOR) and not has_role(curator, Role.ADMIN)
    assert has_role(admin, Role.ADMIN)
    assert not has_role(UserFactory.build(curator=True, pending=True), Role.MEMBER)
    inactive = UserFactory.build(admin=True, is_active=False)
    assert not has_role(inactive, Role.MEMBER)
