"""The entraide's questions in a browser: a member asks a question tagged with a competence, a peer answers,
another quotes that answer and marks it useful, the asker accepts it, and the search finds the thread.

Every page of the journey is checked with axe (`check_page`).
"""

import pytest
from playwright.sync_api import expect

from tests.e2e.login import log_in
from tests.exchange.factories import SpaceFactory
from tests.members.factories import ProfileFactory, UserFactory
from tests.referentiel.factories import build_version, small_data

TITLE = "Comment gérer une autosaisine sur les mobilités ?"


def person(email, first, last):
    user = UserFactory(email=email, first_name=first, last_name=last)
    ProfileFactory(user=user, display_name=f"{first} {last}")
    return user


@pytest.fixture
def world(live_server):
    build_version(small_data("v1.0"))
    space = SpaceFactory(name="Cadre juridique", slug="cadre-juridique", description="Saisines et conventions.")
    return {
        "space": space,
        "asker": person("lea.pose@example.org", "Léa", "Pose"),
        "helper": person("karim.aide@example.org", "Karim", "Aide"),
        "reader": person("sophie.lit@example.org", "Sophie", "Lit"),
    }


def test_ask_answer_quote_mark_useful_accept_and_find(new_context, live_server, check_page, world):
    asker_page = new_context().new_page()
    log_in(asker_page, live_server, world["asker"].email)
    asker_page.goto(live_server.url + "/entraide/")
    expect(asker_page.get_by_role("link", name="Entraide", exact=True)).to_have_attribute("aria-current", "page")
    check_page(asker_page, "questions-01-espaces")
    asker_page.get_by_role("link", name="Cadre juridique").click()
    check_page(asker_page, "questions-02-espace")
    asker_page.get_by_role("link", name="Poser une question dans cet espace").click()
    check_page(asker_page, "questions-03-poser")
    asker_page.get_by_label("Titre").fill(TITLE)
    asker_page.get_by_label("Message").fill("Notre bureau veut s'autosaisir. Faut-il **prévenir** le président ?")
    asker_page.get_by_label("C-1-01 — Compétence 1.1").check()
    asker_page.get_by_role("button", name="Publier la question").click()
    expect(asker_page.get_by_role("heading", level=1)).to_contain_text(TITLE)
    expect(asker_page.locator("strong", has_text="prévenir")).to_be_visible()
    expect(asker_page.get_by_role("link", name="C-1-01")).to_be_visible()
    check_page(asker_page, "questions-04-question")
    question_url = asker_page.url

    helper_page = new_context().new_page()
    log_in(helper_page, live_server, world["helper"].email)
    helper_page.goto(question_url)
    helper_page.get_by_label("Votre réponse").fill("Nous votons en bureau puis informons le président par courrier.")
    helper_page.get_by_role("button", name="Publier la réponse").click()
    expect(helper_page.get_by_text("Réponse de K. A.")).to_be_visible()
    check_page(helper_page, "questions-05-reponse")

    reader_page = new_context().new_page()
    log_in(reader_page, live_server, world["reader"].email)
    reader_page.goto(question_url)
    reader_page.get_by_role("link", name="Citer").click()
    body = reader_page.get_by_label("Votre réponse")
    expect(body).to_have_value("K. A. a écrit :\n> Nous votons en bureau puis informons le président par courrier.\n\n")
    check_page(reader_page, "questions-06-citer")
    body.press("End")
    body.type("Même chose chez nous.")
    reader_page.get_by_role("button", name="Publier la réponse").click()
    expect(reader_page.locator("blockquote")).to_contain_text("Nous votons en bureau")
    useful = reader_page.get_by_role("button", name="Utile").first
    expect(useful).to_have_attribute("aria-pressed", "false")
    useful.click()
    expect(reader_page.get_by_role("button", name="Utile").first).to_have_attribute("aria-pressed", "true")
    check_page(reader_page, "questions-07-utile")

    asker_page.goto(question_url)
    asker_page.get_by_role("button", name="Retenir cette réponse").first.click()
    expect(asker_page.get_by_text("Réponse retenue par la personne qui a posé la question")).to_be_visible()
    check_page(asker_page, "questions-08-retenue")

    asker_page.goto(live_server.url + "/entraide/")
    asker_page.get_by_label("Rechercher dans les questions et les réponses").fill("courrier")
    asker_page.get_by_role("button", name="Rechercher").click()
    expect(asker_page.get_by_role("link", name=TITLE)).to_be_visible()
    expect(asker_page.get_by_text("1 question trouvée")).to_be_visible()
    check_page(asker_page, "questions-09-recherche")
