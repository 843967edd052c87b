import pytest
from django.http import HttpResponse
from django.test import override_settings
from django.urls import include, path

from codev_network.permissions import curator_required, has_role, pending_allowed, public
from members.enums import Role
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

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.codev_network.test_access")]


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


@override_settings(ROOT_URLCONF="codev_network.urls")
def test_the_site_s_public_pages_are_open_and_the_rest_closed_to_anonymous_visitors(client):
    # The site's own routes: public pages answer, everything else sends to the login page.
    assert client.get("/").status_code == 200
    assert client.get("/mentions-legales/").status_code == 200
    assert client.get("/sante/").status_code == 200
    pending = client.get("/membres/en-attente/")
    assert pending.status_code == 302 and "/comptes/login/" in pending["Location"]
    admin = client.get("/admin/")
    assert admin.status_code == 302
