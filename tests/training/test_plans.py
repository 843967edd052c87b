"""Mon plan de développement: the page, priorities, actions, sharing, reminders, the home block, personal data."""

import time
from datetime import timedelta
from html import unescape
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from competences.models import AssessmentSharing
from core.models import AuditEntry
from core.personal_data import personal_data_erase
from fiches import services as fiche_services
from fiches.enums import SectionKind
from fiches.models import COMMON_FICHE_SLUG, Fiche, Notification
from referentiel.services import self_assessment_save
from tests.html import main_text, select, text_of
from tests.members.factories import ProfileFactory, UserFactory
from tests.referentiel.factories import build_version, small_data
from tests.toolbox.factories import make_resource
from tests.training.factories import make_mentor, make_plan, make_training
from training import plans
from training.enums import ActionKind, ActionStatus, PlanReference, RequestStatus
from training.home import plan_actions
from training.models import DevelopmentPlan, MentoringRequest, PlanAction, PlanPriority
from training.reminders import overdue_reminders_send

pytestmark = pytest.mark.django_db

PLAN = reverse("training:plan")
ADD_ACTION = reverse("training:plan_action_add")
BIG = "x" * 1_048_576


@pytest.fixture
def version(db):
    return build_version(small_data("v1.0"))


@pytest.fixture
def fiche(db):
    fiche = Fiche.objects.create(slug=COMMON_FICHE_SLUG, title="Fiche de poste commune")
    fiche_services.section_create(
        fiche=fiche,
        key="competences",
        title="Compétences",
        kind=SectionKind.COMPETENCES,
        body="C-1-01 : niveau 3 — Compétence 1.1\nC-1-02 : niveau 2 — Compétence 1.2\nC-2-01 : niveau 2",
        order=1,
    )
    return fiche


@pytest.fixture
def rated(member, version, fiche):
    """The member rates 1.1 at 1 (gap 2), 1.2 at 2 (met), 2.1 at 1 (gap 1)."""
    self_assessment_save(
        user=member,
        version=version,
        ratings={"C-1-01": (1, False, "J'ai animé deux réunions"), "C-1-02": (2, False, ""), "C-2-01": (1, False, "")},
    )
    return member


def action(member, **fields):
    plan, _created = DevelopmentPlan.objects.get_or_create(user=member)
    values = {"title": "Lire le guide", "kind": ActionKind.OTHER, "status": ActionStatus.PLANNED, **fields}
    return PlanAction.objects.create(plan=plan, **values)


def accepted(requester, mentor, code="C-1-01"):
    return MentoringRequest.objects.create(
        requester=requester, mentor=mentor, code=code, message="Bonjour", status=RequestStatus.ACCEPTED
    )


# The page ------------------------------------------------------------------------------------------------------


def test_nothing_self_assessed_shows_the_way_to_the_self_assessment(member_client, version, fiche):
    page = member_client.get(PLAN)
    assert page.status_code == 200
    assert select(page, f"#plan-start a[href='{reverse('referentiel:self_assessment')}']")
    assert "Les écarts apparaîtront ici" in main_text(page)


def test_the_page_compares_levels_in_a_chart_and_a_table_and_lists_the_gaps_widest_first(member_client, rated, curator):
    training = make_training(codes=["C-1-01"], title="Animer une réunion participative")
    make_training(codes=["C-1-01"], title="Brouillon", status="brouillon")
    make_resource(UserFactory(), title="Guide d'animation", links=[("competence", "C-1-01", "")], published_by=curator)
    make_resource(UserFactory(), title="Pas publiée", links=[("competence", "C-1-01", "")])
    mentor = ProfileFactory(user=UserFactory(first_name="Aïcha", last_name="Benali")).user
    make_mentor(mentor, "C-1-01")
    page = member_client.get(PLAN)
    assert select(page, "svg[role=img]") and select(page, "#plan-levels-title")
    desc = text_of(select(page, "#plan-levels-desc")[0])
    assert "C-1-01 Compétence 1.1 : votre niveau 1, niveau attendu 3" in desc
    assert select(page, "#plan-levels-table caption")
    assert len(select(page, "#plan-levels-table tbody tr")) == 3
    gaps = [card.get("id") for card in select(page, "#plan-gaps > li")]
    assert gaps == ["ecart-C-1-01", "ecart-C-2-01"]
    text = main_text(page)
    assert "Animer une réunion participative" in text and "Brouillon" not in text
    assert "Guide d'animation" in text and "Pas publiée" not in text
    assert "Aïcha Benali" in text
    links = [a.get("href") for a in select(page, "#ecart-C-1-01 a")]
    assert any(href.startswith(ADD_ACTION) and f"formation={training.pk}" in href for href in links)
    assert any(href.startswith(ADD_ACTION) and f"pair={mentor.pk}" in href for href in links)


def test_the_personal_fiche_may_be_chosen_as_reference(member_client, rated, fiche):
    from fiches.models import PersonalSection
    from tests.fiches.factories import version_published

    version_published(fiche, "v1")
    personal = fiche_services.personal_fiche_create(owner=rated, fiche=fiche, job_title="Chargée de mission")
    PersonalSection.objects.filter(personal_fiche=personal).update(body="C-1-01 : niveau 1")
    assert select(member_client.get(PLAN), "#plan-reference-form")
    response = member_client.post(reverse("training:plan_reference"), {"reference": PlanReference.PERSONAL})
    assert response.status_code == 302
    page = member_client.get(PLAN)
    assert "votre fiche de poste personnelle" in main_text(page)
    assert select(page, "#plan-gaps") == []  # level 1 meets the personal fiche's 1
    member_client.post(reverse("training:plan_reference"), {"reference": "autre"})
    assert DevelopmentPlan.objects.get(user=rated).reference == PlanReference.PERSONAL


def test_the_plan_page_reads_a_constant_number_of_queries(member_client, rated, curator):
    for index in range(2):
        make_training(codes=["C-1-01", "C-2-01"], title=f"Formation {index}")
    make_mentor(ProfileFactory().user, "C-1-01")
    action(rated, title="Une")
    with CaptureQueriesContext(connection) as few:
        assert member_client.get(PLAN).status_code == 200
    for index in range(6):
        make_training(codes=["C-1-01", "C-2-01"], title=f"Autre formation {index}")
        make_resource(
            UserFactory(), title=f"Ressource {index}", links=[("competence", "C-2-01", "")], published_by=curator
        )
        make_mentor(ProfileFactory().user, "C-1-01", "C-2-01")
        action(rated, title=f"Action {index}", target_date=timezone.localdate() + timedelta(days=index))
    plans.priority_add(user=rated, code="C-1-01")
    plans.priority_add(user=rated, code="C-2-01")
    with CaptureQueriesContext(connection) as more:
        assert member_client.get(PLAN).status_code == 200
    assert len(more) == len(few), [q["sql"] for q in more.captured_queries][len(few) - 3 :]
    assert len(more) <= 40


# Priorities ----------------------------------------------------------------------------------------------------


def test_priorities_are_added_reordered_noted_and_removed(member_client, rated):
    add = reverse("training:plan_priority_add")
    assert member_client.post(add, {"code": "C-1-01", "note": "Pour animer le conseil"}).status_code == 302
    member_client.post(add, {"code": "C-2-01"})
    codes = lambda: list(PlanPriority.objects.filter(plan__user=rated).values_list("code", flat=True))  # noqa: E731
    assert codes() == ["C-1-01", "C-2-01"]
    second = PlanPriority.objects.get(code="C-2-01")
    member_client.post(reverse("training:plan_priority_move", args=[second.pk]), {"direction": "haut"})
    assert codes() == ["C-2-01", "C-1-01"]
    page = member_client.get(PLAN)
    assert [text_of(li).split()[0] for li in select(page, "#plan-priorities > li")] == ["C-2-01", "C-1-01"]
    response = member_client.post(reverse("training:plan_priority_edit", args=[second.pk]), {"note": "Urgent"})
    assert response.status_code == 302 and PlanPriority.objects.get(pk=second.pk).note == "Urgent"
    member_client.post(reverse("training:plan_priority_remove", args=[second.pk]))
    assert codes() == ["C-1-01"]


def test_a_priority_refuses_duplicates_unknown_codes_and_long_notes(member_client, rated):
    add = reverse("training:plan_priority_add")
    member_client.post(add, {"code": "C-1-01"})
    page = member_client.post(add, {"code": "C-1-01"}, follow=True)
    assert "déjà une de vos priorités" in page.content.decode()
    page = member_client.post(add, {"code": "C-9-99"}, follow=True)
    assert "pas dans le référentiel en vigueur" in page.content.decode()
    member_client.post(add, {"code": "C-1-02", "note": "x" * 501})
    assert PlanPriority.objects.filter(plan__user=rated).count() == 1
    response = member_client.post(
        reverse("training:plan_priority_edit", args=[PlanPriority.objects.get().pk]), {"note": "x" * 501}
    )
    assert response.status_code == 200 and "500" in response.content.decode()


def test_a_member_cannot_touch_someone_elses_priority(client, rated, other_member):
    priority = plans.priority_add(user=rated, code="C-1-01")
    client.force_login(other_member)
    assert client.get(reverse("training:plan_priority_edit", args=[priority.pk])).status_code == 404
    client.post(reverse("training:plan_priority_remove", args=[priority.pk]))
    assert PlanPriority.objects.filter(pk=priority.pk).exists()


# Actions -------------------------------------------------------------------------------------------------------


def test_an_action_from_a_suggestion_is_prefilled_then_saved_and_marked_done(member_client, rated):
    training = make_training(codes=["C-1-01"], title="Animer une réunion participative")
    url = f"{ADD_ACTION}?code=C-1-01&type=formation&formation={training.pk}"
    form = member_client.get(url)
    assert form.status_code == 200
    assert select(form, f"select[name=training] option[value='{training.pk}'][selected]")
    assert select(form, "input[name=kind][value=formation][checked]")
    target = timezone.localdate() + timedelta(days=30)
    response = member_client.post(
        url,
        {"kind": "formation", "code": "C-1-01", "training": training.pk, "status": "prevue", "target_date": target},
    )
    assert response.status_code == 302
    saved = PlanAction.objects.get(plan__user=rated)
    assert saved.title == "Animer une réunion participative" and saved.training == training
    member_client.post(reverse("training:plan_action_status", args=[saved.pk]), {"status": ActionStatus.DONE})
    saved.refresh_from_db()
    assert saved.status == ActionStatus.DONE and saved.done_on == timezone.localdate()
    assert "faite le" in main_text(member_client.get(PLAN))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"kind": "autre", "title": "x" * 201, "status": "prevue"}, "200"),
        ({"kind": "autre", "title": "", "status": "prevue"}, "Décrivez l'action"),
        ({"kind": "formation", "training": 999999, "status": "prevue"}, "pas au catalogue"),
        ({"kind": "formation", "status": "prevue"}, "Choisissez la formation"),
        ({"kind": "ressource", "resource": 999999, "status": "prevue"}, "pas dans la boîte à outils"),
        ({"kind": "echange", "peer": 999999, "status": "prevue"}, "Choisissez un·e pair"),
        ({"kind": "autre", "title": "Lire", "status": "prevue", "target_date": "2020-01-01"}, "déjà passée"),
        ({"kind": "autre", "title": "Lire", "status": "prevue", "target_date": "2099-01-01"}, "cinq ans"),
        ({"kind": "autre", "title": "Lire", "status": "prevue", "target_date": "31/02/2027"}, "date valide"),
        ({"kind": "autre", "title": "Lire", "status": "n'importe"}, "n'importe"),
        ({"kind": "autre", "title": "Lire", "status": "faite", "done_on": "2099-01-01"}, "dans le futur"),
        ({"kind": "autre", "title": "Lire", "status": "prevue", "note": "x" * 2001}, "2000"),
        ({"kind": "autre", "title": "Lire", "status": "prevue", "code": "C-9-99"}, "pas dans le référentiel"),
    ],
)
def test_bad_actions_are_refused_with_what_was_typed_kept(member_client, rated, data, message):
    response = member_client.post(ADD_ACTION, data)
    assert response.status_code == 200
    content = unescape(response.content.decode()).replace("\u202f", "").replace("&nbsp;", "").replace(" ", "")
    assert message.replace(" ", "") in content
    assert not PlanAction.objects.exists()
    if data.get("title"):
        assert data["title"][:50] in unescape(response.content.decode())


def test_a_done_action_may_have_a_past_target_date(member_client, rated):
    past = timezone.localdate() - timedelta(days=10)
    response = member_client.post(
        ADD_ACTION, {"kind": "autre", "title": "Lu le guide", "status": "faite", "target_date": past, "done_on": past}
    )
    assert response.status_code == 302
    assert PlanAction.objects.get().done_on == past


def test_an_overdue_action_can_still_be_edited_without_changing_its_date(member_client, rated):
    overdue = action(rated, target_date=timezone.localdate() - timedelta(days=3))
    url = reverse("training:plan_action_edit", args=[overdue.pk])
    data = {
        "kind": "autre",
        "title": "Lire le guide en entier",
        "status": "en-cours",
        "target_date": overdue.target_date,
        "lock_version": overdue.lock_version,
    }
    assert member_client.post(url, data).status_code == 302
    overdue.refresh_from_db()
    assert overdue.title == "Lire le guide en entier" and overdue.status == ActionStatus.IN_PROGRESS


def test_two_tabs_editing_the_same_action_get_a_conflict(member_client, rated):
    saved = action(rated)
    url = reverse("training:plan_action_edit", args=[saved.pk])
    data = {"kind": "autre", "status": "prevue", "lock_version": saved.lock_version}
    assert member_client.post(url, {**data, "title": "Premier onglet"}).status_code == 302
    response = member_client.post(url, {**data, "title": "Second onglet"})
    assert response.status_code == 200
    text = response.content.decode()
    assert "Conflit de modification" in text and "Premier onglet" in text and "Second onglet" in text
    saved.refresh_from_db()
    assert saved.title == "Premier onglet"
    # Saving again, deliberately, goes through.
    current = select(response, "input[name=lock_version]")[0].get("value")
    assert member_client.post(url, {**data, "title": "Second onglet", "lock_version": current}).status_code == 302


def test_a_member_cannot_open_or_change_someone_elses_action(client, rated, other_member):
    saved = action(rated)
    client.force_login(other_member)
    for name in ("training:plan_action_edit", "training:plan_action_delete"):
        assert client.get(reverse(name, args=[saved.pk])).status_code == 404
    client.post(reverse("training:plan_action_delete", args=[saved.pk]))
    client.post(reverse("training:plan_action_status", args=[saved.pk]), {"status": "faite"})
    saved.refresh_from_db()
    assert saved.status == ActionStatus.PLANNED


def test_an_action_is_deleted_after_confirmation(member_client, rated):
    saved = action(rated)
    url = reverse("training:plan_action_delete", args=[saved.pk])
    assert member_client.get(url).status_code == 200
    assert member_client.post(url).status_code == 302
    assert not PlanAction.objects.exists()


# Sharing -------------------------------------------------------------------------------------------------------


def test_a_plan_is_private_until_shared(client, rated, other_member, curator):
    action(rated, title="Lire le guide")
    url = reverse("training:plan_shared", args=[rated.pk])
    mentor = UserFactory()
    accepted(rated, mentor)
    pending = UserFactory()
    MentoringRequest.objects.create(requester=rated, mentor=pending, code="C-1-01", message="Bonjour")
    for viewer in (other_member, curator, mentor, pending):
        client.force_login(viewer)
        assert client.get(url).status_code == 404
    client.force_login(rated)
    assert client.get(url).status_code == 302  # their own: the plan page
    client.post(reverse("training:plan_sharing"), {"shared_with_mentors": "on"})
    assert AuditEntry.objects.filter(action="training.plan.sharing_changed", actor=rated).exists()
    told = Notification.objects.get(recipient=mentor)
    assert told.url == url and "partage avec vous son plan" in told.message
    assert not Notification.objects.filter(recipient=pending).exists()
    for viewer, status in ((mentor, 200), (pending, 404), (curator, 404), (other_member, 404)):
        client.force_login(viewer)
        assert client.get(url).status_code == status, viewer
    client.force_login(rated)
    client.post(reverse("training:plan_sharing"), {"shared_with_team": "on"})
    for viewer, status in ((mentor, 404), (curator, 200), (other_member, 404)):
        client.force_login(viewer)
        assert client.get(url).status_code == status, viewer
    client.force_login(curator)
    page = client.get(url)
    assert "Lire le guide" in main_text(page) and not select(page, "main form[method=post]")
    assert client.get(reverse("training:plan_shared", args=[other_member.pk])).status_code == 404  # no plan


def test_a_mentor_finds_the_plans_shared_with_them(client, rated):
    mentor = UserFactory()
    accepted(rated, mentor)
    make_plan(mentor)
    DevelopmentPlan.objects.create(user=rated, shared_with_mentors=True)
    client.force_login(mentor)
    page = client.get(PLAN)
    assert select(page, f"#partages ~ ul a[href='{reverse('training:plan_shared', args=[rated.pk])}']")


# Reminders -----------------------------------------------------------------------------------------------------


def test_an_overdue_action_is_reminded_once_per_target_date(rated, other_member):
    today = timezone.localdate()
    late = action(rated, title="Lire le guide", target_date=today - timedelta(days=1))
    action(rated, title="Faite", target_date=today - timedelta(days=2), status=ActionStatus.DONE)
    action(rated, title="À venir", target_date=today + timedelta(days=2))
    out = StringIO()
    call_command("training_send_reminders", stdout=out)
    assert "1 membre" in out.getvalue()
    notes = Notification.objects.filter(recipient=rated)
    assert notes.count() == 1 and "Lire le guide" in notes.get().message
    assert notes.get().url == PLAN + "#actions"
    assert overdue_reminders_send() == 0  # once
    assert Notification.objects.filter(recipient=rated).count() == 1
    # A new target date: a new reminder when it passes.
    plans.action_update(
        user=rated,
        action_id=late.pk,
        values={
            "kind": "autre",
            "title": "Lire le guide",
            "status": "prevue",
            "target_date": today + timedelta(days=1),
        },
        lock_version=late.lock_version,
    )
    assert PlanAction.objects.get(pk=late.pk).reminded_at is None
    assert overdue_reminders_send(today=today + timedelta(days=3)) == 1
    assert Notification.objects.filter(recipient=rated).count() == 2
    assert not Notification.objects.filter(recipient=other_member).exists()


# Home, personal data -------------------------------------------------------------------------------------------


def test_the_home_block_shows_overdue_then_next_actions(member_client, rated):
    assert plan_actions(rated) is None
    today = timezone.localdate()
    action(rated, title="En retard", target_date=today - timedelta(days=1))
    action(rated, title="Bientôt", target_date=today + timedelta(days=3))
    action(rated, title="Faite", status=ActionStatus.DONE, done_on=today)
    block = plan_actions(rated)
    assert [link.text for link in block.links] == ["En retard", "Bientôt"]
    assert block.count == 1 and block.links[0].flag
    assert "En retard" in member_client.get(reverse("my_space")).content.decode()


def test_personal_data_exports_and_erases_the_plan(rated, other_member):
    priority = plans.priority_add(user=rated, code="C-1-01", note="Pour le conseil")
    action(rated, title="Échanger", kind=ActionKind.PEER, peer=other_member)
    action(other_member, title="Échanger avec la technicienne", kind=ActionKind.PEER, peer=rated)
    assert plans.plan_export(rated)[0]["reference"]
    assert plans.priorities_export(rated) == [
        {"order": 1, "code": "C-1-01", "note": "Pour le conseil", "created_at": priority.created_at.isoformat()}
    ]
    assert [row["title"] for row in plans.actions_export(rated)] == ["Échanger"]
    personal_data_erase(rated)
    assert not DevelopmentPlan.objects.filter(user=rated).exists()
    assert not PlanPriority.objects.exists()
    other = PlanAction.objects.get()
    assert other.peer is None and other.plan.user == other_member


def test_sharing_with_the_directory_is_not_needed_to_see_ones_own_plan(member_client, rated):
    AssessmentSharing.objects.create(user=rated, in_directory=False)
    assert member_client.get(PLAN).status_code == 200


def test_the_address_cannot_name_a_peer_the_member_could_not_find(member_client, rated):
    hidden = ProfileFactory(user=UserFactory(first_name="Personne", last_name="Introuvable")).user
    helper = ProfileFactory(user=UserFactory(first_name="Karim", last_name="Benali")).user
    make_mentor(helper, "C-1-01")
    form = member_client.get(f"{ADD_ACTION}?code=C-1-01&type=echange&pair={hidden.pk}")
    assert "Introuvable" not in form.content.decode()
    assert not select(form, "select[name=peer] option[selected][value]")
    assert select(form, f"select[name=peer] option[value='{helper.pk}']")
    # Posting that peer anyway is refused.
    response = member_client.post(
        ADD_ACTION, {"kind": "echange", "code": "C-1-01", "peer": hidden.pk, "status": "prevue"}
    )
    assert response.status_code == 200 and not PlanAction.objects.exists()
    response = member_client.post(
        ADD_ACTION, {"kind": "echange", "code": "C-1-01", "peer": helper.pk, "status": "prevue"}
    )
    assert response.status_code == 302
    assert PlanAction.objects.get().title == "Échanger avec Karim Benali"


def test_the_page_says_so_without_a_référentiel_or_without_expected_levels(member_client, member):
    page = member_client.get(PLAN)
    assert page.status_code == 200 and "Aucune version du référentiel" in main_text(page)
    version = build_version(small_data("v1.0"))
    self_assessment_save(user=member, version=version, ratings={"C-1-01": (2, False, "")})
    text = main_text(member_client.get(PLAN))
    assert "ne fixe encore aucun niveau attendu" in text
    assert "1 compétence évaluée sans niveau attendu" in text


def test_a_curator_has_their_own_plan_like_any_member(client, curator, rated):
    plans.priority_add(user=rated, code="C-1-01", note="Note privée de la technicienne")
    client.force_login(curator)
    page = client.get(PLAN)
    assert page.status_code == 200 and "Note privée" not in page.content.decode()


@pytest.mark.parametrize(
    "field", ["kind", "code", "title", "training", "resource", "peer", "target_date", "status", "done_on", "note"]
)
def test_a_megabyte_in_any_field_of_an_action_is_refused_quickly(member_client, version, field):
    started = time.monotonic()
    response = member_client.post(ADD_ACTION, {"kind": "autre", "title": "Lire", "status": "prevue", field: BIG})
    assert time.monotonic() - started < 5
    assert response.status_code == 200 and not PlanAction.objects.exists()


@pytest.mark.parametrize("field", ["code", "note"])
def test_a_megabyte_in_a_priority_is_refused(member_client, version, field):
    member_client.post(reverse("training:plan_priority_add"), {"code": "C-1-01", "note": "", field: BIG})
    assert not PlanPriority.objects.exists()


def test_the_shared_view_reads_a_constant_number_of_queries(client, rated, curator):
    DevelopmentPlan.objects.create(user=rated, shared_with_team=True)
    action(rated, title="Une")
    url = reverse("training:plan_shared", args=[rated.pk])
    client.force_login(curator)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for index in range(5):
        action(rated, title=f"Action {index}", kind=ActionKind.PEER, peer=UserFactory())
        plans.priority_add(user=rated, code=["C-1-01", "C-1-02", "C-2-01", "C-1-03", "C-2-02"][index])
    with CaptureQueriesContext(connection) as more:
        assert client.get(url).status_code == 200
    assert len(more) == len(few)
