"""Small screens: the main menu folds behind a button only when JavaScript runs; the directory's filters fold too.

The browser journeys (tests/e2e, `check_page`) check every page at 390 px; these tests check the markup
that makes it work without JavaScript.
"""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.html import select, select_one, text_of

pytestmark = pytest.mark.django_db

SITE_CSS = Path(__file__).resolve().parents[2] / "static" / "css" / "site.css"


def test_the_main_menu_folds_behind_a_keyboard_button_that_names_its_list(client):
    response = client.get(reverse("home"))

    button = select_one(response, "nav.main-nav button.main-nav-toggle")
    assert button.get("type") == "button"
    assert button.get("data-bs-toggle") == "collapse"
    assert button.get("aria-controls") == "main-nav-list"
    assert button.get("aria-expanded") == "false"
    assert button.get("data-bs-target") == "#main-nav-list"
    folded = select_one(response, "nav.main-nav #main-nav-list")
    assert "collapse" in folded.get("class").split()
    assert [text_of(a) for a in select(folded, "a.nav-link")][:3] == ["Accueil", "Référentiel", "Fiche de poste"]


def test_without_javascript_the_menu_stays_open_and_the_button_hidden(client):
    html = client.get(reverse("home")).content.decode()
    # The class that lets CSS fold the menu is set before the first paint by a script of the site (no inline
    # script: the pages carry none), loaded without defer in <head>.
    head = html.split("</head>", 1)[0]
    assert re.search(r'<script src="[^"]*js/early\.js" nonce="[^"]+"></script>', head), (
        "the script that marks <html> as running JavaScript is missing"
    )
    assert 'classList.add("js")' in (SITE_CSS.parent.parent / "js" / "early.js").read_text(encoding="utf-8")
    css = SITE_CSS.read_text(encoding="utf-8")
    assert "html:not(.js) .main-nav-collapse.collapse:not(.show) {\n  display: block;" in css
    assert ".main-nav-toggle {\n  display: none;" in css
    assert ".js .main-nav-toggle {\n    display: inline-block;" in css


def test_the_directory_filters_fold_in_an_open_details(member_client):
    response = member_client.get(reverse("members:directory"))

    box = select_one(response, "details.directory-filters-box")
    assert box.get("open") is not None
    assert box.get("data-fold-narrow") is not None
    assert text_of(select_one(box, "summary")) == "Filtres de recherche"
    assert select_one(box, "form.directory-filters") is not None
