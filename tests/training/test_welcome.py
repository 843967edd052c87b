"""The newcomers' path: the team's steps (create, edit with conflicts, reorder, deactivate), the newcomer's checks."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.home import home_blocks
from core.models import AuditEntry
from tests.html import main_text, select, text_of
from tests.members.factories import ProfileFactory, UserFactory
from tests.training.factories import make_mentor
from training import welcome
from training.mentoring import request_accept, request_create
from training.models import WelcomeStep, WelcomeStepDone

pytestmark = pytest.mark.django_db


def make_step(title="Lire la fiche de poste commune", order=10, **fields):
    values = {"description": "La fiche **décrit** le poste.", "link": "/fiche-de-poste/", "order": order, **fields}
    return WelcomeStep.objects.create(title=title, **values)


@pytest.fixture
def steps():
    return [
        make_step("Lire la fiche de poste commune", 10),
        make_step("Faire mon auto-évaluation", 20),
        make_step("Rencontrer un·e pair", 30),
    ]


# --- The newcomer -------------------------------------------------------------------------------------------


def test_the_newcomer_checks_a_step_off_and_sees_the_progress(member_client, member, steps):
    response = member_client.get(reverse("training:welcome"))
    assert response.status_code == 200
    [bar] = select(response, "progress")
    assert bar.get("max") == "3" and bar.get("value") == "0"
    assert re.search(r"0 étapes? franchies? sur 3", main_text(response))
    assert "décrit" in main_text(response)

    response = member_client.post(reverse("training:welcome_step_check", args=[steps[0].pk]), {"fait": "1"})
    assert response.status_code == 302
    response = member_client.get(reverse("training:welcome"))
    [bar] = select(response, "progress")
    assert bar.get("value") == "1"
    assert "Décocher" in main_text(response)

    member_client.post(reverse("training:welcome_step_check", args=[steps[0].pk]), {"fait": "0"})
    assert not WelcomeStepDone.objects.exists()
    # Checking twice keeps one row.
    for _index in range(2):
        member_client.post(reverse("training:welcome_step_check", args=[steps[1].pk]), {"fait": "1"})
    assert WelcomeStepDone.objects.count() == 1


def test_a_deactivated_step_is_not_shown_nor_counted(member_client, member, steps):
    welcome.step_check(user=member, step=steps[2], done=True)
    steps[2].active = False
    steps[2].save()
    progress = welcome.welcome_progress(member)
    assert (progress.done, progress.total) == (0, 2)
    assert "Rencontrer" not in main_text(member_client.get(reverse("training:welcome")))
    assert (
        member_client.post(reverse("training:welcome_step_check", args=[steps[2].pk]), {"fait": "1"}).status_code == 404
    )


def test_the_page_keeps_its_queries(member_client, member):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert member_client.get(reverse("training:welcome")).status_code == 200
        return len(queries)

    make_step()
    few = count()
    for index in range(8):
        step = make_step(f"Étape {index}", 100 + index)
        welcome.step_check(user=member, step=step, done=True)
    assert count() == few


def test_the_home_block_for_a_recent_member_who_has_not_finished(member, steps):
    member.status_changed_at = timezone.now() - timedelta(days=10)
    member.save()
    [block] = [b for b in home_blocks("progress", member) if b.key == "progress-welcome"]
    assert re.search(r"0 étapes? franchies? sur 3", block.text)
    assert "Lire la fiche" in block.links[0].text
    for step in steps:
        welcome.step_check(user=member, step=step, done=True)
    assert not [b for b in home_blocks("progress", member) if b.key == "progress-welcome"]


def test_no_home_block_for_an_older_member(member, steps):
    member.status_changed_at = timezone.now() - timedelta(days=120)
    member.date_joined = timezone.now() - timedelta(days=400)
    member.save()
    assert not [b for b in home_blocks("progress", member) if b.key == "progress-welcome"]


def test_the_mentoring_home_blocks(member):
    mentor = UserFactory()
    ProfileFactory(user=mentor, display_name="Marie Mentor")
    ProfileFactory(user=member, display_name="Nina Nouvelle")
    make_mentor(mentor, "C-1-01")
    req = request_create(requester=member, mentor=mentor, code="C-1-01", message="Bonjour")
    [block] = [b for b in home_blocks("needs", mentor) if b.key == "needs-mentoring-requests"]
    assert block.count == 1 and "Nina Nouvelle" in block.links[0].text
    request_accept(request_obj=req, mentor=mentor)
    assert not [b for b in home_blocks("needs", mentor) if b.key == "needs-mentoring-requests"]
    [block] = [b for b in home_blocks("news", member) if b.key == "news-mentoring-answers"]
    assert "Marie Mentor" in block.links[0].text and "Acceptée" in block.links[0].note


# --- The team -----------------------------------------------------------------------------------------------


def test_the_team_creates_a_step_at_the_end(curator_client, steps):
    response = curator_client.post(
        reverse("training:welcome_step_create"),
        {"title": "Découvrir la boîte à outils", "description": "Des **méthodes**.", "link": "/boite-a-outils/"},
    )
    assert response.status_code == 302
    step = WelcomeStep.objects.get(title="Découvrir la boîte à outils")
    assert step.order > steps[-1].order
    assert AuditEntry.objects.filter(action="training.welcome_step.created").exists()


@pytest.mark.parametrize(
    "link",
    ["javascript:alert(1)", "//evil.example.org/", "ftp://example.org/", "pas une adresse"],
)
def test_a_bad_link_is_refused_and_the_text_kept(curator_client, link):
    response = curator_client.post(
        reverse("training:welcome_step_create"), {"title": "Titre gardé", "description": "", "link": link}
    )
    assert response.status_code == 200
    assert "Saisissez une adresse du site" in main_text(response)
    assert "Titre gardé" in response.content.decode()
    assert not WelcomeStep.objects.exists()


def test_too_long_texts_are_refused(curator_client):
    response = curator_client.post(
        reverse("training:welcome_step_create"), {"title": "x" * 201, "description": "y" * 10_001, "link": ""}
    )
    assert response.status_code == 200
    assert not WelcomeStep.objects.exists()


def test_the_team_edits_a_step_and_a_conflict_is_shown(curator_client, steps):
    step = steps[0]
    url = reverse("training:welcome_step_edit", args=[step.pk])
    data = {
        "title": "Lire la fiche",
        "description": "Nouveau texte",
        "link": "https://www.example.org/",
        "lock_version": 0,
    }
    assert curator_client.post(url, data).status_code == 302
    step.refresh_from_db()
    assert step.title == "Lire la fiche" and step.lock_version == 1
    # A second tab opened on version 0.
    response = curator_client.post(url, {**data, "title": "Autre titre"})
    assert response.status_code == 200
    assert "Conflit de modification" in main_text(response)
    assert "Autre titre" in response.content.decode()
    step.refresh_from_db()
    assert step.title == "Lire la fiche"


def test_the_team_reorders_and_deactivates(curator_client, steps):
    curator_client.post(reverse("training:welcome_step_move", args=[steps[2].pk]), {"sens": "haut"})
    assert list(WelcomeStep.objects.values_list("title", flat=True)) == [
        "Lire la fiche de poste commune",
        "Rencontrer un·e pair",
        "Faire mon auto-évaluation",
    ]
    # The first cannot go higher.
    curator_client.post(reverse("training:welcome_step_move", args=[steps[0].pk]), {"sens": "haut"})
    assert WelcomeStep.objects.first().pk == steps[0].pk
    curator_client.post(reverse("training:welcome_step_active", args=[steps[1].pk]), {"active": "0"})
    steps[1].refresh_from_db()
    assert not steps[1].active
    response = curator_client.get(reverse("training:welcome_steps"))
    assert "Retirée" in main_text(response)
    rows = [text_of(row) for row in select(response, "tbody tr")]
    assert len(rows) == 3
    assert AuditEntry.objects.filter(action="training.welcome_step.moved").count() == 1
    assert AuditEntry.objects.filter(action="training.welcome_step.deactivated").count() == 1


def test_a_member_cannot_manage_steps(member_client, steps):
    assert member_client.get(reverse("training:welcome_steps")).status_code == 403
    assert (
        member_client.post(reverse("training:welcome_step_active", args=[steps[0].pk]), {"active": "0"}).status_code
        == 403
    )


def test_the_steps_page_keeps_its_queries(curator_client):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert curator_client.get(reverse("training:welcome_steps")).status_code == 200
        return len(queries)

    make_step()
    few = count()
    for index in range(8):
        make_step(f"Étape {index}", 100 + index)
    assert count() == few


def test_the_team_s_forms_open(curator_client, steps):
    assert curator_client.get(reverse("training:welcome_step_create")).status_code == 200
    response = curator_client.get(reverse("training:welcome_step_edit", args=[steps[0].pk]))
    assert response.status_code == 200
    assert "Lire la fiche de poste commune" in response.content.decode()
    assert curator_client.get(reverse("training:welcome_step_edit", args=[999_999])).status_code == 404


def test_the_team_s_changes_read_in_its_journal(curator, steps):
    from core.audit_sentences import audit_sentence, team_entries

    welcome.step_create(actor=curator, values={"title": "Nouvelle étape", "description": "", "link": ""})
    welcome.step_move(step_id=steps[1].pk, actor=curator, up=True)
    welcome.step_set_active(step_id=steps[0].pk, actor=curator, active=False)
    welcome.step_set_active(step_id=steps[0].pk, actor=curator, active=True)
    entries = list(team_entries("training").filter(action__startswith="training.welcome_step."))
    assert len(entries) == 4
    assert all("parcours d'arrivée" in audit_sentence(entry) for entry in entries)
