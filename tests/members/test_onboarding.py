"""The newcomer's checklist (issue 20, item 2): steps computed from the data, progress, links, dismissed for good."""

import pytest
from django.urls import reverse

from competences.models import SelfAssessment
from fiches import services as fiche_services
from members.onboarding import onboarding_registered_steps, onboarding_steps
from missions.models import MissionDeclaration
from tests.fiches.factories import fiche_with_sections, version_published
from tests.html import select, select_one, text_of
from tests.members.factories import ProfileFactory, UserFactory
from tests.referentiel.factories import build_version

pytestmark = pytest.mark.django_db

HOME = "/"  # where an approved member lands today (the lead's personal home will include the same template)
LABELS = {
    "profile": "Compléter mon profil",
    "missions": "Déclarer mes missions",
    "self-assessment": "Faire mon auto-évaluation",
    "personal-fiche": "Commencer ma fiche de poste personnelle",
}


def _checklist(response):
    boxes = select(response, "#onboarding")
    return boxes[0] if boxes else None


def _steps(response) -> dict[str, bool]:
    """Each step shown: key → done."""
    return {
        item.get("data-step"): "onboarding-step-done" in item.get("class")
        for item in select(_checklist(response), "li.onboarding-step")
    }


def test_every_app_registers_its_step_in_order():
    assert [step.key for step in onboarding_registered_steps()] == list(LABELS)


def test_a_new_member_sees_four_steps_to_do_with_links(client, member):
    client.force_login(member)

    response = client.get(HOME)

    box = _checklist(response)
    assert box is not None
    assert "Vos premiers pas dans le réseau" in text_of(box)
    assert "0 sur 4 étapes faites" in text_of(box)
    assert _steps(response) == dict.fromkeys(LABELS, False)
    links = {text_of(link): link.get("href") for link in select(box, "li.onboarding-step a")}
    assert links == {
        LABELS["profile"]: reverse("members:profile_edit"),
        LABELS["missions"]: reverse("missions:declaration"),
        LABELS["self-assessment"]: reverse("referentiel:self_assessment"),
        LABELS["personal-fiche"]: reverse("fiches:my_fiche"),
    }


def test_each_step_is_computed_from_the_members_data(client, member):
    client.force_login(member)
    ProfileFactory(user=member)  # a council and a job title
    MissionDeclaration.objects.create(user=member, mission_code="M1", time_share=40)

    response = client.get(HOME)

    assert "2 sur 4 étapes faites" in text_of(_checklist(response))
    assert _steps(response) == {"profile": True, "missions": True, "self-assessment": False, "personal-fiche": False}

    version = build_version()
    SelfAssessment.objects.create(user=member, code="C-1-01", level=2, version=version)
    fiche = fiche_with_sections(1)
    version_published(fiche, "v1.0")
    fiche_services.personal_fiche_create(owner=member, fiche=fiche, job_title="Chargée de mission")

    onboarding = onboarding_steps(member)
    assert (onboarding.done_count, onboarding.total, onboarding.complete) == (4, 4, True)
    # Everything done: the list has nothing left to say.
    assert _checklist(client.get(HOME)) is None


def test_a_profile_without_a_council_is_not_complete(client, member):
    ProfileFactory(user=member, council=None)
    client.force_login(member)

    assert _steps(client.get(HOME))["profile"] is False


def test_another_members_data_does_not_count(client, member):
    other = UserFactory()
    ProfileFactory(user=other)
    MissionDeclaration.objects.create(user=other, mission_code="M1", time_share=40)
    client.force_login(member)

    assert "0 sur 4 étapes faites" in text_of(_checklist(client.get(HOME)))


def test_dismissing_the_list_hides_it_for_good_without_javascript(client, member):
    client.force_login(member)
    page = client.get(HOME)
    form = select_one(_checklist(page), "form")
    assert form.get("method") == "post"
    assert form.get("action") == reverse("members:onboarding_dismiss")
    assert select(form, 'input[name="csrfmiddlewaretoken"]')

    response = client.post(reverse("members:onboarding_dismiss"), {"next": HOME}, follow=True)

    assert response.redirect_chain[-1][0] == HOME
    assert _checklist(response) is None
    assert "La liste des premiers pas est masquée." in text_of(select_one(response, "main"))
    member.refresh_from_db()
    assert member.onboarding_dismissed_at is not None
    # Another session, another day: still hidden.
    client.logout()
    client.force_login(member)
    assert _checklist(client.get(HOME)) is None


def test_dismissing_through_htmx_removes_the_box(client, member):
    client.force_login(member)

    response = client.post(reverse("members:onboarding_dismiss"), {"next": HOME}, headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response.content == b""
    assert "HX-Request" in response["Vary"]
    member.refresh_from_db()
    assert member.onboarding_dismissed_at is not None


def test_dismissal_needs_a_post_with_csrf(member):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(member)

    assert client.get(reverse("members:onboarding_dismiss")).status_code == 405
    assert client.post(reverse("members:onboarding_dismiss")).status_code == 403
    member.refresh_from_db()
    assert member.onboarding_dismissed_at is None


def test_dismissal_never_redirects_off_site(client, member):
    client.force_login(member)

    response = client.post(reverse("members:onboarding_dismiss"), {"next": "https://evil.example/"})

    assert response.status_code == 302
    assert not response["Location"].startswith("https://evil.example")


def test_a_pending_account_has_no_checklist(client, pending_user):
    client.force_login(pending_user)

    assert _checklist(client.get(HOME)) is None
    assert onboarding_steps(pending_user).shown is False


def test_the_dismissal_is_exported_and_erased_with_the_account(client, member):
    from core.personal_data import personal_data_kinds

    client.force_login(member)
    client.post(reverse("members:onboarding_dismiss"))
    member.refresh_from_db()
    kind = next(kind for kind in personal_data_kinds() if kind.key == "membres-compte")

    assert "onboarding_dismissed_at" in kind.columns
    assert kind.export(member)[0]["onboarding_dismissed_at"] == member.onboarding_dismissed_at.isoformat()
    kind.erase(member)
    member.refresh_from_db()
    assert member.onboarding_dismissed_at is None
