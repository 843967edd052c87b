"""Structured sections: the référentiel picker of their editors, and codes as links (issue 20, item 6.5)."""

import pytest
from django.conf import settings
from django.urls import reverse

from fiches import services
from fiches.enums import SectionKind
from fiches.models import Fiche
from fiches.pdf import draft_pdf_context
from referentiel import demo as competences_demo
from tests.html import select, select_one, text_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def referentiel(db):
    competences_demo.seed()


def _section(kind, body):
    fiche, _created = Fiche.objects.get_or_create(slug="fiche-commune", defaults={"title": "Fiche"})
    return services.section_create(fiche=fiche, key=kind, title=kind, kind=kind, body=body, order=1)


def _propose_url(section):
    return reverse("fiches:suggestion_create", args=[section.fiche.slug, section.pk])


def _editor_text(response) -> str:
    return select_one(response, 'textarea[name="body"]').text.strip()


def test_the_missions_picker_groups_activities_by_mission_and_ticks_what_the_text_holds(referentiel, member_client):
    section = _section(SectionKind.MISSIONS, "M1.A2")
    response = member_client.get(_propose_url(section))
    picker = select_one(response, "details.fiche-picker form")
    assert picker.get("method") == "get"
    first = select(picker, "fieldset")[0]
    assert text_of(select_one(first, "legend")).startswith("M1 Animer les travaux du CoDev")
    assert select_one(first, 'input[value="M1.A2"]').get("checked") is not None
    assert select_one(first, 'input[value="M1.A1"]').get("checked") is None
    for box in select(picker, 'input[type="checkbox"]'):
        assert select(picker, f'label[for="{box.get("id")}"]')


def test_the_picker_writes_the_chosen_lines_into_the_editor(referentiel, member_client):
    section = _section(SectionKind.MISSIONS, "M1.A2")
    url = _propose_url(section)
    response = member_client.get(url, {"selection": "1", "choix": ["M1.A2", "M1", "M1.A1"]})
    assert _editor_text(response).splitlines() == [
        "M1 — Animer les travaux du CoDev",
        "M1.A1 — " + text_of(select_one(response, 'label[for="choix-M1.A1"]')).removeprefix("M1.A1 "),
        "M1.A2 — Animer les réunions avec des techniques participatives",
    ]
    # Nothing is saved until the proposal is sent.
    section.refresh_from_db()
    assert section.current_body == "M1.A2 — Animer les réunions avec des techniques participatives"


def test_the_competences_picker_gives_a_level_per_competence_grouped_by_domain(referentiel, curator_client):
    section = _section(SectionKind.COMPETENCES, "C-ANI-01 3")
    url = reverse("fiches:section_edit", args=[section.fiche.slug, section.pk])
    page = curator_client.get(url)
    select_level = select_one(page, 'select[name="niveau-C-ANI-01"]')
    assert select_one(select_level, "option[selected]").get("value") == "3"
    assert text_of(select_one(page, 'label[for="niveau-C-ANI-01"]')).startswith("C-ANI-01 ")
    assert select(page, "details.fiche-picker fieldset legend")  # a group per domain
    response = curator_client.get(url, {"selection": "1", "niveau-C-ANI-02": "2", "niveau-C-ANI-01": ""})
    assert _editor_text(response).startswith("C-ANI-02 : niveau 2 — ")
    assert "C-ANI-01" not in _editor_text(response)


def test_codes_are_links_to_the_referentiel_on_pages_and_in_the_pdf(referentiel, member_client):
    missions = _section(SectionKind.MISSIONS, "M1.A2")
    competences = _section(SectionKind.COMPETENCES, "C-ANI-01 3")
    competences.refresh_from_db()
    missions.refresh_from_db()
    mission_url = reverse("referentiel:mission", args=["v1.0", "M1"])
    activity_url = reverse("referentiel:activity", args=["v1.0", "M1.A2"])
    competence_url = reverse("referentiel:competence", args=["v1.0", "C-ANI-01"])
    page = member_client.get(missions.get_absolute_url())
    assert text_of(select_one(page, f'a[href="{activity_url}"]')).startswith("M1.A2 Animer les réunions")
    assert select(page, f'a[href="{mission_url}"]')
    page = member_client.get(competences.get_absolute_url())
    assert text_of(select_one(page, f'a[href="{competence_url}"]')).startswith("C-ANI-01 ")
    assert member_client.get(competence_url).status_code == 200
    # In the PDF, the links carry the site's address: a PDF is read away from the site.
    site = settings.SITE_URL.rstrip("/")
    html = "".join(part["html"] for part in draft_pdf_context(competences.fiche)["sections"])
    assert f'href="{site}{competence_url}"' in html and f'href="{site}{activity_url}"' in html


def test_the_personal_editor_has_the_picker_too(referentiel, member, member_client, curator):
    section = _section(SectionKind.COMPETENCES, "C-ANI-01 3")
    services.version_publish(fiche_id=section.fiche_id, label="v1.0", summary="", actor=curator)
    personal = services.personal_fiche_create(owner=member, fiche=section.fiche, job_title="Mon poste")
    mine = personal.sections.get(section=section)
    url = reverse("fiches:my_section_edit", args=[mine.pk])
    assert select_one(member_client.get(url), 'select[name="niveau-C-ANI-01"] option[selected]').get("value") == "3"
    response = member_client.get(url, {"selection": "1", "niveau-C-ANI-01": "2"})
    assert _editor_text(response).startswith("C-ANI-01 : niveau 2 — Concevoir des séances participatives")
    mine.refresh_from_db()
    assert mine.body.startswith("C-ANI-01 : niveau 3")  # nothing saved before « Enregistrer »
