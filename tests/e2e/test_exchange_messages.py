"""Private messages in a browser: a member turns messages on, another writes to her from her profile, she reads and
replies from "Mon espace › Messages"; he reports her reply and blocks her, after which she can no longer write.

Every page of the journey is checked with axe, on a desktop and on a phone's screen (`check_page`).
"""

import pytest
from playwright.sync_api import expect

from exchange import messaging
from exchange.models import Block, Report
from tests.e2e.login import log_in
from tests.e2e.navigation import open_menu
from tests.members.factories import ProfileFactory, UserFactory


@pytest.fixture
def people(live_server):
    writer = UserFactory(email="paul.plume@example.org", first_name="Paul", last_name="Plume")
    reader = UserFactory(email="lea.lecture@example.org", first_name="Léa", last_name="Lecture")
    for person in (writer, reader):
        ProfileFactory(user=person, display_name=f"{person.first_name} {person.last_name}")
    messaging.preference_set(user=writer, accepts=True)
    return {"writer": writer, "reader": reader}


def test_opt_in_write_reply_report_and_block(new_context, live_server, check_page, browser_problems, people):
    writer, reader = people["writer"], people["reader"]
    profile_url = f"{live_server.url}/membres/{reader.pk}/"

    # Léa has not turned messages on yet: Paul cannot write to her.
    paul = new_context().new_page()
    log_in(paul, live_server, writer.email)
    paul.goto(profile_url)
    panel = paul.locator("#block-exchange-messages")
    expect(panel).to_contain_text("Ce membre ne reçoit pas de messages.")
    expect(panel.get_by_role("link", name="Écrire un message")).to_have_count(0)

    # She turns them on from "Mon espace › Messages › Préférences".
    lea = new_context().new_page()
    log_in(lea, live_server, reader.email)
    open_menu(lea, "Mon espace").get_by_role("link", name="Messages").click()
    expect(lea.get_by_role("heading", level=1)).to_have_text("Mes messages")
    check_page(lea, "messages-01-liste-vide")
    lea.get_by_role("link", name="Préférences").click()
    check_page(lea, "messages-02-preferences")
    lea.get_by_label("J'accepte les messages privés des membres du réseau").check()
    lea.get_by_role("button", name="Enregistrer").click()
    expect(lea.get_by_text("Les membres du réseau peuvent maintenant vous écrire.")).to_be_visible()

    # Paul writes to her from her profile; an empty message is refused first.
    paul.reload()
    check_page(paul, "messages-03-profil")
    paul.locator("#block-exchange-messages").get_by_role("link", name="Écrire un message").click()
    expect(paul.get_by_role("heading", level=1)).to_have_text("Écrire à Léa Lecture")
    check_page(paul, "messages-04-ecrire")
    paul.get_by_role("button", name="Envoyer à Léa Lecture").click()
    expect(paul.get_by_text("Écrivez votre message.").first).to_be_visible()
    # The refused form comes back with a 400, which Chromium logs in its console: that one is expected.
    assert all("400 (Bad Request)" in error for error in browser_problems.console_errors)
    browser_problems.clear()
    check_page(paul, "messages-04b-ecrire-erreur")
    paul.get_by_label("Votre message").fill("Bonjour Léa,\ncomment gérez-vous les autosaisines ?")
    paul.get_by_role("button", name="Envoyer à Léa Lecture").click()
    expect(paul.get_by_text("Votre message est envoyé.")).to_be_visible()
    expect(paul.get_by_role("heading", level=1)).to_contain_text("Conversation avec Léa Lecture")
    check_page(paul, "messages-05-conversation")
    assert reader.email not in paul.content()

    # Léa sees the unread conversation in her header and her list, reads it and replies.
    lea.goto(live_server.url + "/entraide/messages/")
    expect(lea.get_by_role("banner")).to_contain_text("1 conversation non lue")
    expect(lea.get_by_text("1 message non lu")).to_be_visible()
    check_page(lea, "messages-06-liste")
    lea.get_by_role("link", name="Conversation avec Paul Plume").click()
    expect(lea.get_by_text("comment gérez-vous les autosaisines ?")).to_be_visible()
    check_page(lea, "messages-07-lecture")
    lea.get_by_label("Votre message").fill("Par le bureau du conseil, puis une saisine formelle.")
    lea.get_by_role("button", name="Envoyer", exact=True).click()
    expect(lea.get_by_text("Votre message est envoyé.")).to_be_visible()
    assert writer.email not in lea.content()

    # Paul reports her reply, then blocks her.
    paul.reload()
    expect(paul.get_by_text("Par le bureau du conseil")).to_be_visible()
    paul.get_by_role("link", name="Signaler ce message").click()
    expect(paul.get_by_role("heading", level=1)).to_have_text("Signaler un message")
    check_page(paul, "messages-08-signaler")
    paul.get_by_label("Pourquoi ce message vous semble-t-il inapproprié ?").fill("Hors sujet, pour l'essai.")
    paul.get_by_role("button", name="Signaler à l'équipe CNCD").click()
    expect(paul.get_by_text("le message est signalé à l'équipe CNCD", exact=False)).to_be_visible()
    assert Report.objects.get().reason == "Hors sujet, pour l'essai."
    paul.get_by_role("button", name="Bloquer Léa Lecture").click()
    expect(paul.get_by_text("Vous avez bloqué Léa Lecture", exact=False)).to_be_visible()
    check_page(paul, "messages-09-bloquee")
    assert Block.objects.filter(blocker=writer, blocked=reader).exists()

    # Léa is not told she was blocked: she reads that Paul does not receive messages.
    lea.reload()
    expect(lea.get_by_text("Ce membre ne reçoit pas de messages.")).to_be_visible()
    expect(lea.get_by_label("Votre message")).to_have_count(0)
    check_page(lea, "messages-10-ne-recoit-pas")

    # Paul finds her in his preferences and unblocks her.
    paul.goto(live_server.url + "/entraide/messages/preferences/")
    check_page(paul, "messages-11-preferences-bloques")
    paul.get_by_role("button", name="Débloquer Léa Lecture").click()
    expect(paul.get_by_text("Vous n'avez bloqué personne.")).to_be_visible()
