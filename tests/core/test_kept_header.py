"""The site's header is kept (core/templatetags/kept.py) and still shows each request's own state."""

import re

import pytest
from django.urls import reverse

from fiches.models import Notification
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _kept(settings):
    settings.KEPT_FRAGMENT_SECONDS = 3600


TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
NEXT = re.compile(r'<input type="hidden" name="next" value="([^"]*)">')


def _header(response) -> str:
    html = response.content.decode()
    return html[html.index("<header") : html.index("</header>")]


def test_the_current_page_and_address_are_each_pages_own(client):
    member = UserFactory()
    client.force_login(member)
    toolbox = _header(client.get(reverse("toolbox:catalogue") + "?q=d%C3%A9bat"))
    meetings = _header(client.get(reverse("meetings:list")))
    again = _header(client.get(reverse("toolbox:catalogue") + "?q=autre"))
    assert NEXT.search(toolbox).group(1) == "/boite-a-outils/?q=d%C3%A9bat"
    assert NEXT.search(meetings).group(1) == reverse("meetings:list")
    assert NEXT.search(again).group(1) == "/boite-a-outils/?q=autre"
    assert re.search(r'href="/boite-a-outils/" aria-current="page"', toolbox)
    assert re.search(r'href="/rencontres/" aria-current="page"', meetings)
    assert not re.search(r'href="/boite-a-outils/" aria-current="page"', meetings)


def test_the_forms_carry_the_visitors_own_token(client):
    member = UserFactory()
    client.force_login(member)
    client.get(reverse("meetings:list"))  # kept by this visit
    other = UserFactory(first_name=member.first_name, last_name=member.last_name)
    client.logout()
    client.force_login(other)
    client.handler.enforce_csrf_checks = True
    header = _header(client.get(reverse("meetings:list")))
    token = TOKEN.search(header).group(1)
    assert "<csrf-token/>" not in header and "<current-path/>" not in header
    response = client.post(reverse("account_logout"), {"csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_each_account_and_role_has_its_own_header(client):
    member = UserFactory(first_name="Aline", last_name="Martin")
    curator = UserFactory(curator=True, first_name="Bruno", last_name="Petit")
    client.force_login(member)
    mine = _header(client.get(reverse("meetings:list")))
    client.logout()
    client.force_login(curator)
    theirs = _header(client.get(reverse("meetings:list")))
    client.logout()
    visitor = _header(client.get(reverse("meetings:list")))
    assert "Aline Martin" in mine and "Équipe CNCD" not in mine
    assert "Bruno Petit" in theirs and "Équipe CNCD" in theirs
    assert "Se connecter" in visitor and "Mon espace" not in visitor


def test_a_new_notification_shows_on_the_next_page(client):
    member = UserFactory()
    client.force_login(member)
    assert "fiche-count-badge" not in _header(client.get(reverse("meetings:list")))
    Notification.objects.create(recipient=member, message="Une réponse", url="/")
    header = _header(client.get(reverse("meetings:list")))
    assert re.search(r'fiche-count-badge">1<', header)


def test_the_language_has_its_own_header(client):
    member = UserFactory()
    client.force_login(member)
    assert "Se déconnecter" in _header(client.get(reverse("meetings:list")))
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Log out" in _header(client.get(reverse("meetings:list")))
