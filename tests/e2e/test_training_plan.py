"""Mon plan de développement in a browser: the member opens their plan, makes a gap a priority, adds an action
from a suggestion, marks it done. Every page is checked with axe, on a desktop and a phone (`check_page`)."""

import pytest
from playwright.sync_api import expect

from fiches import services as fiche_services
from fiches.enums import SectionKind
from fiches.models import COMMON_FICHE_SLUG, Fiche
from referentiel.services import self_assessment_save
from tests.e2e.login import log_in
from tests.members.factories import ProfileFactory, UserFactory
from tests.referentiel.factories import build_version, small_data
from tests.training.factories import make_mentor, make_training
from training.enums import ActionStatus, RequestStatus
from training.models import DevelopmentPlan, MentoringRequest, PlanAction, PlanPriority, Training

PLAN = "/parcours/mon-plan/"
TRAINING = "Animer une réunion participative"


@pytest.fixture
def plan_world(live_server):
    version = build_version(small_data("v1.0"))
    fiche = Fiche.objects.create(slug=COMMON_FICHE_SLUG, title="Fiche de poste commune")
    fiche_services.section_create(
        fiche=fiche,
        key="competences",
        title="Compétences",
        kind=SectionKind.COMPETENCES,
        body="C-1-01 : niveau 3\nC-1-02 : niveau 2\nC-2-01 : niveau 2",
        order=1,
    )
    member = UserFactory(email="lea.fontaine@example.org", first_name="Léa", last_name="Fontaine")
    ProfileFactory(user=member, display_name="Léa Fontaine")
    mentor = UserFactory(email="karim.benali@example.org", first_name="Karim", last_name="Benali")
    ProfileFactory(user=mentor, display_name="Karim Benali")
    make_mentor(mentor, "C-1-01")
    make_training(codes=["C-1-01"], title=TRAINING)
    return {"version": version, "member": member}


def test_a_member_with_no_self_assessment_is_led_to_it(new_context, live_server, check_page, plan_world):
    page = new_context().new_page()
    log_in(page, live_server, plan_world["member"].email)
    page.goto(live_server.url + PLAN)
    expect(page.get_by_role("link", name="Faire mon auto-évaluation")).to_be_visible()
    check_page(page, "plan-empty")


def test_a_member_plans_an_action_from_a_gap_and_marks_it_done(new_context, live_server, check_page, plan_world):
    member = plan_world["member"]
    self_assessment_save(
        user=member,
        version=plan_world["version"],
        ratings={"C-1-01": (1, False, "Deux réunions animées"), "C-1-02": (2, False, "")},
    )
    page = new_context().new_page()
    log_in(page, live_server, member.email)
    page.goto(live_server.url + PLAN)
    expect(page.get_by_role("heading", name="Mon plan de développement", level=1)).to_be_visible()
    expect(page.locator("#plan-levels-table")).to_contain_text("C-1-01")
    gap = page.locator("#ecart-C-1-01")
    expect(gap).to_contain_text(TRAINING)
    expect(gap).to_contain_text("Karim Benali")
    check_page(page, "plan")

    # The gap becomes a priority.
    gap.get_by_role("button", name="En faire une priorité").click()
    expect(page.locator("#plan-priorities")).to_contain_text("C-1-01")
    assert PlanPriority.objects.filter(plan__user=member, code="C-1-01").exists()

    # One click from the suggested training pre-fills the action.
    page.locator("#ecart-C-1-01").get_by_role("link", name=f"Ajouter à mon plan : {TRAINING}").click()
    training = Training.objects.get(title=TRAINING)
    expect(page.get_by_label("Formation", exact=True)).to_have_value(str(training.pk))
    check_page(page, "plan-action-form")
    page.get_by_role("button", name="Enregistrer").click()
    actions = page.locator("#plan-open-actions")
    expect(actions).to_contain_text(TRAINING)

    actions.get_by_role("button", name=f"Marquer comme faite : {TRAINING}").click()
    expect(page.locator("#plan-closed-actions")).to_contain_text("faite le")
    assert PlanAction.objects.get(plan__user=member).status == ActionStatus.DONE
    check_page(page, "plan-done")


def test_a_member_shares_the_plan_with_their_mentor_who_reads_it(new_context, live_server, check_page, plan_world):
    member = plan_world["member"]
    self_assessment_save(user=member, version=plan_world["version"], ratings={"C-1-01": (1, False, "")})
    mentor = UserFactory(email="ines.carre@example.org", first_name="Inès", last_name="Carré")
    ProfileFactory(user=mentor, display_name="Inès Carré")
    MentoringRequest.objects.create(
        requester=member, mentor=mentor, code="C-1-01", message="Bonjour", status=RequestStatus.ACCEPTED
    )
    PlanAction.objects.create(plan=DevelopmentPlan.objects.create(user=member), title="Lire le guide d'animation")

    page = new_context().new_page()
    log_in(page, live_server, member.email)
    page.goto(live_server.url + PLAN)
    expect(page.locator("#plan-sharing-state")).to_contain_text("Privé")
    page.get_by_role("link", name="Choisir avec qui le partager").click()
    expect(page.get_by_text("Inès Carré")).to_be_visible()
    check_page(page, "plan-sharing")
    page.get_by_label("Les pairs qui ont accepté de m'accompagner").check()
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#plan-sharing-state")).to_contain_text("Partagé")

    other = new_context().new_page()
    log_in(other, live_server, mentor.email)
    other.goto(live_server.url + PLAN)
    other.locator("#partages").locator("xpath=..").get_by_role("link", name="Léa Fontaine").click()
    expect(other.get_by_role("heading", level=1)).to_contain_text("Léa Fontaine")
    expect(other.locator("main")).to_contain_text("Lire le guide d'animation")
    expect(other.locator("main form")).to_have_count(0)
    check_page(other, "plan-shared")


def test_a_member_notes_a_priority_and_deletes_an_action(new_context, live_server, check_page, plan_world):
    member = plan_world["member"]
    plan = DevelopmentPlan.objects.create(user=member)
    priority = PlanPriority.objects.create(plan=plan, code="C-1-01", order=1)
    PlanAction.objects.create(plan=plan, title="Lire le guide d'animation")
    page = new_context().new_page()
    log_in(page, live_server, member.email)
    page.goto(live_server.url + PLAN)
    page.locator("#plan-priorities").get_by_role("link", name="Modifier la note : C-1-01").click()
    check_page(page, "plan-priority")
    page.get_by_label("Pourquoi (facultatif)").fill("Pour animer le conseil")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.locator("#plan-priorities")).to_contain_text("Pour animer le conseil")
    priority.refresh_from_db()
    assert priority.note == "Pour animer le conseil"

    page.locator("#plan-open-actions").get_by_role("link", name="Supprimer : Lire le guide d'animation").click()
    check_page(page, "plan-action-delete")
    page.get_by_role("button", name="Supprimer l'action").click()
    expect(page.get_by_text("L'action est supprimée de votre plan.")).to_be_visible()
    assert not PlanAction.objects.exists()
