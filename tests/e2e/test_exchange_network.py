"""The entraide's network in a browser: a member joins a space and is notified of a new question there; an answer
@mentions a member, who is notified; the asker invites a suggested peer, who sees the invitation.

Every page of the journeys is checked with axe (`check_page`).
"""

import pytest
from playwright.sync_api import expect

from exchange import services
from exchange.enums import TagKind
from tests.e2e.login import log_in
from tests.exchange.factories import SpaceFactory
from tests.members.factories import ProfileFactory, UserFactory
from training.models import MentorOffer


def person(email, first, last):
    user = UserFactory(email=email, first_name=first, last_name=last)
    ProfileFactory(user=user, display_name=f"{first} {last}")
    return user


@pytest.fixture
def world(live_server):
    space = SpaceFactory(name="Animation", slug="animation", description="Animer un conseil de développement.")
    asker = person("alice.demande@example.org", "Alice", "Demande")
    follower = person("marc.membre@example.org", "Marc", "Membre")
    zoe = person("zoe.martin@example.org", "Zoé", "Martin")
    helper = person("hugo.aide@example.org", "Hugo", "Aide")
    MentorOffer.objects.create(user=helper, code="C-1-01")
    return {"space": space, "asker": asker, "follower": follower, "zoe": zoe, "helper": helper}


def test_join_a_space_and_get_notified_of_a_new_question(new_context, live_server, check_page, world):
    space, follower = world["space"], world["follower"]
    page = new_context().new_page()
    log_in(page, live_server, follower.email)
    page.goto(live_server.url + space.get_absolute_url())
    check_page(page, "reseau-01-espace")
    join = page.get_by_role("button", name="Rejoindre l'espace")
    expect(join).to_have_attribute("aria-pressed", "false")
    join.click()
    expect(join).to_have_attribute("aria-pressed", "true")
    expect(join).to_be_focused()  # swapped by htmx, the button keeps the focus
    expect(page.get_by_text("Vous avez rejoint cet espace", exact=False)).to_be_visible()
    check_page(page, "reseau-02-espace-rejoint")

    page.goto(live_server.url + "/entraide/abonnements/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes abonnements à l'entraide")
    expect(page.get_by_role("link", name="Animation")).to_be_visible()
    check_page(page, "reseau-03-abonnements")

    question = services.question_ask(
        user=world["asker"], space=space, title="Quel rythme pour les plénières ?", body="Trois par an ?"
    )
    page.goto(live_server.url + "/fiches/notifications/")
    expect(page.get_by_text("Nouvelle question dans l'espace « Animation »", exact=False)).to_be_visible()
    check_page(page, "reseau-04-notifications")
    page.goto(live_server.url + "/mon-espace/")
    expect(page.get_by_role("link", name=question.title).first).to_be_visible()
    check_page(page, "reseau-05-mon-espace")


def test_mention_a_member_in_an_answer(new_context, live_server, check_page, world):
    question = services.question_ask(
        user=world["asker"], space=world["space"], title="Un modèle de charte ?", body="Pour notre conseil."
    )
    page = new_context().new_page()
    log_in(page, live_server, world["follower"].email)
    page.goto(live_server.url + "/entraide/mentionner/")
    check_page(page, "reseau-06-mentionner")
    page.get_by_label("Nom, conseil ou territoire du membre").fill("Zoé")
    page.get_by_role("button", name="Chercher").click()
    expect(page.locator("#mention-results code", has_text="@zoe-martin")).to_be_visible()
    check_page(page, "reseau-07-mentionner-resultats")

    page.goto(live_server.url + question.get_absolute_url())
    page.locator("textarea[name=body]").fill("@zoe-martin en a rédigé une l'an dernier.")
    page.get_by_role("button", name="Publier la réponse").click()
    expect(page.get_by_role("link", name="@zoe-martin")).to_have_attribute("href", f"/membres/{world['zoe'].pk}/")
    check_page(page, "reseau-08-reponse-mention")

    zoe_page = new_context().new_page()
    log_in(zoe_page, live_server, world["zoe"].email)
    zoe_page.goto(live_server.url + "/fiches/notifications/")
    expect(zoe_page.get_by_text("Vous a mentionné·e dans une réponse", exact=False)).to_be_visible()
    check_page(zoe_page, "reseau-09-notification-mention")


def test_the_asker_invites_a_suggested_peer(new_context, live_server, check_page, world):
    question = services.question_ask(
        user=world["asker"],
        space=world["space"],
        title="Animer un atelier en ligne ?",
        body="Avec quarante personnes.",
        tags=[services.TagData(kind=TagKind.COMPETENCE, code="C-1-01", title="Animer")],
    )
    page = new_context().new_page()
    log_in(page, live_server, world["asker"].email)
    page.goto(live_server.url + question.get_absolute_url())
    expect(page.get_by_role("heading", name="Des pairs qui peuvent aider")).to_be_visible()
    check_page(page, "reseau-10-pairs")
    page.get_by_role("button", name="Inviter à répondre : Hugo Aide").click()
    expect(page.get_by_text("Invitation envoyée", exact=False)).to_be_visible()
    expect(page.get_by_text("Invité·e à répondre", exact=True)).to_be_visible()
    check_page(page, "reseau-11-invitation-envoyee")

    helper_page = new_context().new_page()
    log_in(helper_page, live_server, world["helper"].email)
    helper_page.goto(live_server.url + "/mon-espace/")
    expect(helper_page.get_by_text("Invitations à répondre dans l'entraide")).to_be_visible()
    check_page(helper_page, "reseau-12-mon-espace-invitation")
    expect(helper_page.locator(f'a[href="{question.get_absolute_url()}"]').first).to_be_visible()
    helper_page.goto(live_server.url + question.get_absolute_url())
    expect(helper_page.get_by_text("Vous avez été invité·e à répondre à cette question.")).to_be_visible()
    check_page(helper_page, "reseau-13-question-invitation")
