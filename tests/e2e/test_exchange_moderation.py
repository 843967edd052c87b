"""Moderation of the entraide in a browser: a member reports an answer; the CNCD team hides it with a reason from
its queue; the answer's author reads the reason; the team locks the thread, then moves it to another space.

Every page of the journey is checked with axe (`check_page`).
"""

import pytest
from playwright.sync_api import expect

from exchange import services
from exchange.models import Answer, Question
from tests.e2e.login import log_in
from tests.exchange.factories import SpaceFactory
from tests.members.factories import ProfileFactory, UserFactory


def person(email, first, last, **kwargs):
    user = UserFactory(email=email, first_name=first, last_name=last, **kwargs)
    ProfileFactory(user=user, display_name=f"{first} {last}")
    return user


@pytest.fixture
def world(live_server):
    space = SpaceFactory(name="Animation", slug="animation", description="Animer un conseil de développement.")
    legal = SpaceFactory(name="Cadre juridique", slug="cadre-juridique", description="Statuts, saisines, chartes.")
    asker = person("alice.demande@example.org", "Alice", "Demande")
    rude = person("paul.brusque@example.org", "Paul", "Brusque")
    reporter = person("nina.vigilante@example.org", "Nina", "Vigilante")
    curator = person("claire.equipe@example.org", "Claire", "Équipe", curator=True)
    question = services.question_ask(
        user=asker,
        space=space,
        title="Une autosaisine sans l'accord du président ?",
        body="Notre bureau veut s'autosaisir sur la mobilité. Comment faites-vous ?",
        rate_limited=False,
    )
    answer = services.answer_post(question=question, user=rude, body="Question idiote, lisez donc les statuts.")
    return {
        "space": space,
        "legal": legal,
        "question": question,
        "answer": answer,
        "rude": rude,
        "reporter": reporter,
        "curator": curator,
    }


def test_report_hide_read_the_reason_lock_and_move(new_context, live_server, check_page, world):
    question, answer = world["question"], world["answer"]

    # A member reports the answer.
    member_page = new_context().new_page()
    log_in(member_page, live_server, world["reporter"].email)
    member_page.goto(live_server.url + question.get_absolute_url())
    check_page(member_page, "moderation-01-question")
    member_page.get_by_role("link", name="Signaler cette réponse").click()
    expect(member_page.get_by_role("heading", level=1)).to_have_text("Signaler une réponse")
    check_page(member_page, "moderation-02-signaler")
    member_page.get_by_role("button", name="Envoyer le signalement").click()
    expect(member_page.get_by_text("Indiquez pourquoi vous signalez ce contenu.")).to_be_visible()
    check_page(member_page, "moderation-03-signaler-erreur")
    member_page.get_by_label("Pourquoi ce contenu vous semble-t-il inapproprié ?").fill("Réponse méprisante")
    member_page.get_by_role("button", name="Envoyer le signalement").click()
    expect(member_page.get_by_text("votre signalement est transmis", exact=False)).to_be_visible()

    # The team hides it from its queue, with a reason.
    team_page = new_context().new_page()
    log_in(team_page, live_server, world["curator"].email, check_page=check_page, name="moderation-04-2fa")
    team_page.goto(live_server.url + "/entraide/moderation/")
    expect(team_page.get_by_role("heading", name="1 signalement à examiner")).to_be_visible()
    check_page(team_page, "moderation-05-file")
    team_page.get_by_role("link", name="Décider").click()
    check_page(team_page, "moderation-06-decider")
    team_page.get_by_label("Masquer le contenu", exact=False).check()
    team_page.get_by_label("Motif du masquage ou note de classement").fill("Propos contraires à la charte")
    team_page.get_by_role("button", name="Enregistrer la décision").click()
    expect(team_page.get_by_text("Le contenu est masqué", exact=False)).to_be_visible()
    expect(team_page.get_by_text("Aucun signalement en attente.")).to_be_visible()
    check_page(team_page, "moderation-07-file-vide")
    assert Answer.objects.get(pk=answer.pk).hidden_reason == "Propos contraires à la charte"

    # The author reads the reason, on the question and in their notifications.
    author_page = new_context().new_page()
    log_in(author_page, live_server, world["rude"].email)
    author_page.goto(live_server.url + "/fiches/notifications/")
    expect(author_page.get_by_text("Propos contraires à la charte", exact=False).first).to_be_visible()
    check_page(author_page, "moderation-08-notifications-auteur")
    author_page.goto(live_server.url + question.get_absolute_url())
    expect(author_page.get_by_text("Propos contraires à la charte", exact=False).first).to_be_visible()
    check_page(author_page, "moderation-09-question-auteur")

    # The team locks the thread, then moves it.
    team_page.goto(live_server.url + question.get_absolute_url())
    team_page.get_by_role("link", name="Verrouiller").click()
    expect(team_page.get_by_role("heading", level=1)).to_have_text("Verrouiller une discussion")
    check_page(team_page, "moderation-10-verrouiller")
    team_page.get_by_label("Motif").fill("La réponse attendue a été donnée")
    team_page.get_by_role("button", name="Verrouiller").click()
    expect(team_page.get_by_text("La discussion est verrouillée.")).to_be_visible()
    check_page(team_page, "moderation-11-verrouillee")
    team_page.get_by_role("link", name="Déplacer").click()
    check_page(team_page, "moderation-12-deplacer")
    team_page.get_by_label("Nouvel espace").select_option(label="Cadre juridique")
    team_page.get_by_label("Motif (lu par l'auteur·rice de la question)").fill("Question de droit")
    team_page.get_by_role("button", name="Déplacer").click()
    expect(
        team_page.get_by_text("La question est déplacée vers l'espace « Cadre juridique »", exact=False)
    ).to_be_visible()
    check_page(team_page, "moderation-13-deplacee")
    moved = Question.objects.get(pk=question.pk)
    assert moved.is_locked and moved.space == world["legal"]

    # The team's spaces.
    team_page.goto(live_server.url + "/entraide/equipe/espaces/")
    expect(team_page.get_by_role("heading", level=1)).to_have_text("Espaces de l'entraide")
    check_page(team_page, "moderation-14-espaces")
