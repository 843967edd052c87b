"""The personal home ("Mon espace") and the team's to-do page: each block from the data it reads."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from competences.models import FrameworkVersion
from core.home import HomeBlock, home_block_register, home_blocks
from fiches.models import Notification
from members.models import User
from referentiel.services import self_assessment_save
from tests.fiches.factories import fiche_with_sections, section_rewritten, suggestion_on
from tests.html import main_text, select, select_one, text_of
from tests.members.factories import DEFAULT_PASSWORD, CouncilFactory, ProfileFactory, UserFactory
from tests.referentiel.factories import build_version, small_data

pytestmark = pytest.mark.django_db

HOME = reverse("my_space")
TODO = reverse("team_todo")


def test_an_approved_member_lands_on_their_home_after_logging_in(client):
    member = UserFactory(email="claire@example.org")
    response = client.post(reverse("account_login"), {"login": member.email, "password": DEFAULT_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == HOME


def test_a_pending_account_is_sent_to_its_pending_page_and_can_reach_its_profile_from_the_menu(client):
    pending = UserFactory(pending=True)
    client.force_login(pending)
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"] == reverse("members:pending")
    page = client.get(reverse("members:pending"))
    menu = [link.get("href") for link in select(page, "header details.menu a")]
    assert reverse("members:profile_edit") in menu and reverse("members:my_data") in menu


def test_every_page_of_my_space_is_in_the_menu(member_client):
    response = member_client.get(HOME)
    menu = [link.get("href") for link in select(response, "header details.menu a")]
    for name in (
        "my_space",
        "members:profile_edit",
        "missions:declaration",
        "referentiel:self_assessment",
        "fiches:my_fiche",
        "members:my_data",
    ):
        assert reverse(name) in menu, name
    assert select_one(response, f'header a[href="{HOME}"]').get("aria-current") == "page"


def test_what_needs_the_member(member_client, member):
    section = fiche_with_sections(2).sections.first()
    mine = suggestion_on(section, author=member)
    section_rewritten(section, "Un autre texte, écrit depuis.")  # the proposal is now outdated
    Notification.objects.create(recipient=member, message="Claire a répondu à votre commentaire.", url="/fiches/")
    text = main_text(member_client.get(HOME))
    assert "Vos propositions à mettre à jour" in text and f"{mine} — {section.title}" in text
    assert "à mettre à jour" in text
    assert "Réponses et décisions" in text and "Claire a répondu à votre commentaire." in text


def test_changes_of_the_referentiel_to_review_in_the_self_assessment(member_client, member):
    old = build_version(label="v1.0")
    self_assessment_save(user=member, version=old, ratings={"C-1-01": (2, False, "")})
    FrameworkVersion.objects.filter(pk=old.pk).update(
        status="archived", published_at=timezone.now() - timedelta(days=30)
    )
    data = small_data("v2.0")
    data.competences[0].title = "Compétence 1.1, reformulée"
    build_version(data)
    text = main_text(member_client.get(HOME))
    assert "Le référentiel a changé depuis votre auto-évaluation" in text
    assert "C-1-01 Compétence 1.1, reformulée" in text and "Depuis la version v1.0" in text
    assert "1 compétence évaluée sur 6." in text  # a rating follows its code from one version to the next


def test_new_peers_in_the_region_respect_what_the_directory_shows(member_client, member):
    council = CouncilFactory(departments=["35"])  # Ille-et-Vilaine, Bretagne
    ProfileFactory(user=member, council=council)
    recent = timezone.now() - timedelta(days=3)
    shown = ProfileFactory(display_name="Yann Le Gall", council=CouncilFactory(departments=["29"]))
    hidden = ProfileFactory(display_name="Nolwenn Caradec", council=CouncilFactory(departments=["22"]))
    elsewhere = ProfileFactory(display_name="Paul Dupuis", council=CouncilFactory(departments=["69"]))
    old_peer = ProfileFactory(display_name="Anne Ancienne", council=CouncilFactory(departments=["56"]))
    User.objects.filter(pk__in=[shown.user_id, hidden.user_id, elsewhere.user_id]).update(status_changed_at=recent)
    User.objects.filter(pk=old_peer.user_id).update(status_changed_at=timezone.now() - timedelta(days=400))
    User.objects.filter(pk=hidden.user_id).update(is_active=False)  # not in the directory: not on the home
    response = member_client.get(HOME)
    peers = text_of(select_one(response, "section#peers"))
    assert "En Bretagne" in peers and "Yann Le Gall" in peers
    assert "Nolwenn Caradec" not in peers and "Paul Dupuis" not in peers and "Anne Ancienne" not in peers
    region = select_one(response, "section#peers a[href*=region]").get("href").split("region=")[1]
    assert "Yann Le Gall" in main_text(member_client.get(reverse("members:directory"), {"region": region}))


def test_progress_counts_missions_and_self_assessment(member_client, member):
    version = build_version(label="v1.0")
    self_assessment_save(user=member, version=version, ratings={"C-1-01": (3, False, ""), "C-1-02": (2, False, "")})
    text = main_text(member_client.get(HOME))
    assert "2 compétences évaluées sur 6." in text
    assert "Vous n'avez pas encore indiqué les missions que vous exercez." in text
    progress = select_one(member_client.get(HOME), "#block-progress-self-assessment progress")
    assert (progress.get("value"), progress.get("max")) == ("2", "6")


def test_the_team_sees_what_waits_for_it_and_members_do_not(client, member_client, curator):
    UserFactory(pending=True, email="nouvelle@example.org")
    late = UserFactory(pending=True, email="ancienne@example.org")
    User.objects.filter(pk=late.pk).update(date_joined=timezone.now() - timedelta(days=20))
    section = fiche_with_sections(1).sections.first()
    suggestion_on(section)
    assert member_client.get(TODO).status_code == 403
    assert "Équipe CNCD" not in main_text(member_client.get(HOME))
    client.force_login(curator)
    home = main_text(client.get(HOME))
    assert "3 éléments attendent l'équipe." in home and "Comptes à valider : 2" in home
    page = client.get(TODO)
    assert page.status_code == 200
    accounts = text_of(select_one(page, "#block-todo-accounts"))
    assert late.display_name in accounts and "en attente depuis plus d'une semaine" in accounts
    assert "Propositions à décider 1" in main_text(page)


def test_the_home_reads_a_bounded_number_of_queries(member_client, member):
    section = fiche_with_sections(3).sections.first()
    with CaptureQueriesContext(connection) as few:
        member_client.get(HOME)
    for _ in range(6):
        suggestion_on(section, author=member)
    section_rewritten(section, "Nouveau texte.")
    for number in range(6):
        Notification.objects.create(recipient=member, message=f"Notification {number}", url="/fiches/")
    with CaptureQueriesContext(connection) as many:
        member_client.get(HOME)
    assert len(many) <= len(few) + 2  # the blocks that appear add their own query, not one per line


def test_the_newcomer_checklist_opens_the_home_until_hidden(member_client, member):
    page = member_client.get(HOME)
    assert "Vos premiers pas dans le réseau" in text_of(select_one(page, "#onboarding"))
    member_client.post(reverse("members:onboarding_dismiss"), {"next": HOME})
    assert not select(member_client.get(HOME), "#onboarding")


def test_an_app_adds_its_block_through_the_registry(member):
    @home_block_register("news", order=1)
    def toolbox_news(user):
        return HomeBlock("news-test", "Boîte à outils", text=f"Bonjour {user.pk}")

    try:
        assert next(block.key for block in home_blocks("news", member)) == "news-test"
        with pytest.raises(ValueError):
            home_block_register("ailleurs")
    finally:
        from core import home

        home._PROVIDERS["news"] = [entry for entry in home._PROVIDERS["news"] if entry[2] is not toolbox_news]
