import itertools
import re

import pytest
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.test import Client
from django.urls import path, reverse

from codev_network.urls import urlpatterns as site_urlpatterns
from core.permissions import curator_required, public

pytestmark = pytest.mark.django_db


# A tiny URLconf for the error pages: the site's own URLs (the layout needs them) plus views that fail.
@curator_required
def _team_only(request):
    return HttpResponse("Espace de l'équipe")


@public
def _always_forbidden(request):
    raise PermissionDenied


@public
def _broken(request):
    raise RuntimeError("panne simulée")


urlpatterns = [
    path("test/equipe/", _team_only),
    path("test/interdit/", _always_forbidden),
    path("test/panne/", _broken),
    *site_urlpatterns,
]
error_urls = pytest.mark.urls(__name__)


def headings(html: str) -> list[tuple[int, str]]:
    return [
        (int(level), re.sub(r"<[^>]+>|\s+", " ", text).strip())
        for level, text in re.findall(r"<h([1-6])[^>]*>(.*?)</h\1>", html, re.S)
    ]


def readable(html: str) -> str:
    """The page as compared in these tests: apostrophes and French non-breaking spaces as plain characters."""
    return html.replace("&#x27;", "'").replace("&nbsp;", " ")


def main_content(html: str) -> str:
    return html.split('<main id="contenu"', 1)[1].split("</main>", 1)[0]


LEGAL_PAGES = {
    "legal_notice": (
        "Mentions légales",
        [
            "Coordination nationale des conseils de développement (CNCD)",
            "association régie par la loi du 1<sup>er</sup> juillet 1901",
            "<dt>Directeur·rice de la publication</dt>",
            "hébergées chez le prestataire suivant",
            "<dt>Hébergeur</dt>",
            "Licence Ouverte / Open Licence version 2.0 (Etalab)",
            'href="https://www.etalab.gouv.fr/licence-ouverte-open-licence/"',
            ">Django</a>",
            ">Bootstrap</a>",
            ">htmx</a>",
        ],
    ),
    "privacy": (
        "Politique de confidentialité",
        [
            "Le responsable du traitement est la Coordination nationale des conseils de développement (CNCD)",
            "Exécution des conditions d'adhésion au réseau",
            "Votre consentement",
            "Intérêt légitime",
            # Each kind's retention is listed from the declarations (tests/core/test_register.py).
            "Les données que nous gardons",
            "attribuées à « ancien·ne membre »",
            "12 mois",
            "« Télécharger mes données »",
            "« Supprimer mon compte »",
            "Commission nationale de l'informatique et des libertés (CNIL)",
            "aucun bandeau",
            "Argon2",
        ],
    ),
    "accessibility": (
        "Déclaration d'accessibilité",
        [
            "<strong>non conforme</strong>",
            "RGAA), version 4.1",
            "axe-core",
            "Aucune non-conformité n'est connue",
            "Les documents PDF exportés",
            "Cette déclaration a été établie en novembre 2026.",
            "HTML5",
            "Défenseur des droits",
            "Libre réponse 71120",
            "75342 Paris CEDEX 07",
            'href="https://formulaire.defenseurdesdroits.fr/"',
        ],
    ),
}


@pytest.mark.parametrize("url_name", LEGAL_PAGES)
def test_legal_pages_are_public_and_say_what_they_must(client, url_name):
    title, phrases = LEGAL_PAGES[url_name]

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    html = readable(response.content.decode())
    assert f"<title>{title} · " in html
    content = main_content(html)
    assert headings(content)[0] == (1, title)
    for phrase in phrases:
        assert phrase in content, phrase


@pytest.mark.parametrize("url_name", LEGAL_PAGES)
def test_legal_pages_have_one_h1_and_no_skipped_heading_level(client, url_name):
    levels = [level for level, _ in headings(main_content(client.get(reverse(url_name)).content.decode()))]

    assert levels.count(1) == 1 and levels[0] == 1
    assert len(levels) > 5
    for previous, current in itertools.pairwise(levels):
        assert current <= previous + 1, levels


def test_privacy_page_links_to_the_members_own_data_page(client):
    html = client.get(reverse("privacy")).content.decode()

    assert f'<a href="{reverse("members:my_data")}">Mes données personnelles</a>' in html


def test_privacy_tables_have_captions_and_header_cells(client):
    html = client.get(reverse("privacy")).content.decode()

    tables = re.findall(r"<table.*?</table>", html, re.S)
    assert len(tables) == 3
    for table in tables:
        assert "<caption>" in table
        assert '<th scope="col">' in table and '<th scope="row">' in table


def test_the_footer_links_lead_to_the_three_legal_pages(client):
    footer = client.get(reverse("home")).content.decode().split("<footer", 1)[1]
    links = dict(re.findall(r'<a href="([^"]+)">([^<]+)</a>', footer))

    titles = {}
    for href in links:
        response = client.get(href)
        assert response.status_code == 200
        titles[href] = headings(main_content(readable(response.content.decode())))[0][1]

    assert sorted(titles.values()) == sorted(title for title, _ in LEGAL_PAGES.values())


def test_an_unknown_address_gives_the_french_404_page(client):
    response = client.get("/cette-page-n-existe-pas/")

    assert response.status_code == 404
    html = readable(response.content.decode())
    assert "<title>Page introuvable · " in html
    assert headings(main_content(html)) == [(1, "Page introuvable")]
    assert "La page que vous cherchez n'existe pas" in html
    assert f'href="{reverse("home")}">Retour à l\'accueil' in html
    assert f'href="{reverse("account_login")}"' in main_content(html)
    assert "<footer" in html  # the site layout, not Django's bare page
    assert "style=" not in html


def test_the_404_page_for_a_member_does_not_offer_to_log_in(member_client):
    response = member_client.get("/cette-page-n-existe-pas/")

    assert response.status_code == 404
    assert reverse("account_login") not in main_content(response.content.decode())


def test_a_form_posted_without_csrf_token_gets_the_french_security_page():
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})

    assert response.status_code == 403
    html = readable(response.content.decode())
    assert headings(main_content(html))[0] == (1, "La vérification de sécurité a échoué")
    assert "votre demande n'a pas été enregistrée" in html
    assert "Revenez à la page du formulaire et rechargez-la." in html
    assert "votre session a expiré" in html
    # No CSRF cookie was sent: the page says cookies may be blocked, and links to the cookie policy.
    assert "Votre navigateur n'a pas renvoyé le cookie de sécurité" in html
    assert f'href="{reverse("privacy")}#cookies"' in html
    assert "Content-Security-Policy" in response.headers
    assert "style=" not in html
    assert "django_language" not in response.cookies  # the refused request changed nothing


def test_the_csrf_page_links_back_to_the_form_page_but_never_to_another_site():
    client = Client(enforce_csrf_checks=True)
    client.get(reverse("home"))  # sets the CSRF cookie
    assert "csrftoken" in client.cookies

    response = client.post(
        reverse("set_language"), {"language": "en"}, headers={"referer": "http://testserver/mentions-legales/"}
    )

    assert response.status_code == 403
    html = readable(response.content.decode())
    assert "cookie de sécurité" not in html  # the cookie was there: only the token was missing
    assert '<a href="http://testserver/mentions-legales/">Revenir à la page précédente</a>' in html

    response = client.post(reverse("set_language"), {"language": "en"}, headers={"referer": "https://example.com/x"})

    assert response.status_code == 403
    html = readable(response.content.decode())
    assert "example.com" not in html
    assert "Revenir à la page précédente" not in html


@error_urls
def test_a_member_without_the_role_gets_the_french_403_page(member_client):
    response = member_client.get("/test/equipe/")

    assert response.status_code == 403
    html = readable(response.content.decode())
    assert "<title>Accès refusé · " in html
    assert headings(main_content(html)) == [(1, "Accès refusé")]
    assert "Votre compte n'a pas les droits nécessaires pour afficher cette page." in html
    assert "réservées à l'équipe de la CNCD" in html
    assert reverse("account_login") not in main_content(html)
    assert "style=" not in html


@error_urls
def test_a_curator_reaches_the_same_view(curator_client):
    response = curator_client.get("/test/equipe/")

    assert response.status_code == 200
    assert response.content.decode() == "Espace de l'équipe"


@error_urls
def test_an_anonymous_visitor_refused_a_page_is_offered_to_log_in_and_come_back(client):
    response = client.get("/test/interdit/?onglet=2")

    assert response.status_code == 403
    html = readable(response.content.decode())
    assert headings(main_content(html)) == [(1, "Accès refusé")]
    assert "Cette page est réservée aux membres connecté·es." in html
    assert f'href="{reverse("account_login")}?next=/test/interdit/%3Fonglet%3D2"' in html
    assert f'href="{reverse("account_signup")}"' in html


def test_the_500_page_renders_without_a_request_or_context():
    html = readable(render_to_string("500.html"))

    assert html.lstrip().startswith("<!DOCTYPE html>")
    assert '<html lang="fr">' in html
    assert "<title>Erreur du serveur · Réseau des technicien·nes CoDev</title>" in html
    assert headings(html) == [(1, "Une erreur est survenue")]
    assert "<header" in html and "<main" in html and "<footer" in html
    assert "/static/css/site.css" in html
    assert "{%" not in html and "{{" not in html
    assert "<script" not in html and "style=" not in html


@error_urls
def test_an_unexpected_error_shows_the_500_page_and_is_logged(client, caplog):
    client.raise_request_exception = False

    with caplog.at_level("ERROR", logger="django.request"):
        response = client.get("/test/panne/")

    assert response.status_code == 500
    html = readable(response.content.decode())
    assert "Une erreur est survenue" in html
    assert "La plateforme n'a pas pu afficher cette page" in html
    assert any("panne simulée" in str(record.exc_info[1]) for record in caplog.records if record.exc_info)
