import pytest
from django.urls import reverse

from fiches import services
from fiches.models import PersonalFiche, PersonalSection
from tests.html import content_text, page_text, select, select_one
from tests.members.factories import ProfileFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(fiche, curator):
    return services.version_publish(fiche_id=fiche.pk, label="v1.0", summary="", actor=curator)


def _change_common_section(section, curator, body, label):
    section.refresh_from_db()
    services.section_edit(
        section_id=section.pk, base_revision_id=section.current_revision_id, body=body, summary="", actor=curator
    )
    services.version_publish(fiche_id=section.fiche_id, label=label, summary="", actor=curator)


def test_the_form_is_prefilled_from_the_profile_and_the_copy_is_made(client, published):
    profile = ProfileFactory(
        employer="Communauté de communes du Val", time_share=40, job_title="Chargée de mission CoDev"
    )
    client.force_login(profile.user)
    form = client.get(reverse("fiches:my_fiche"))
    assert select_one(form, 'input[name="employer"]').get("value") == "Communauté de communes du Val"
    assert select_one(form, 'input[name="time_share"]').get("value") == "40"
    response = client.post(
        reverse("fiches:my_fiche"),
        {"job_title": "Chargée de mission CoDev", "employer": "CC du Val", "time_share": 40, "local_context": "Rural"},
        follow=True,
    )
    personal = PersonalFiche.objects.get(owner=profile.user)
    assert personal.copied_from == published and personal.sections.count() == 3
    page = page_text(response)
    assert "Chargée de mission CoDev" in page and "CC du Val" in page and "Texte de la section 0" in page


def test_a_personal_fiche_is_private(client, published, member, fiche):
    personal = services.personal_fiche_create(owner=member, fiche=fiche, job_title="Mon poste")
    intruder = UserFactory()
    client.force_login(intruder)
    section = personal.sections.first()
    assert client.get(reverse("fiches:my_section_edit", args=[section.pk])).status_code == 404
    client.post(reverse("fiches:my_section_edit", args=[section.pk]), {"body": "Piraté"})
    client.post(reverse("fiches:my_section_integrate", args=[section.pk]))
    section.refresh_from_db()
    assert section.body != "Piraté"
    assert "Mon poste" not in content_text(client.get(reverse("fiches:my_fiche")))


def test_common_changes_are_shown_and_integrated_into_an_unchanged_section(
    member_client, member, published, section, curator
):
    services.personal_fiche_create(owner=member, fiche=section.fiche, job_title="Mon poste")
    _change_common_section(section, curator, "Nouveau texte commun.", "v1.1")
    response = member_client.get(reverse("fiches:my_fiche"))
    page = page_text(response)
    assert "La fiche commune a changé pour cette section (version v1.1)" in page
    assert page.count("Intégrer") >= 1 and select(response, "ins")

    mine = PersonalSection.objects.get(section=section)
    member_client.post(reverse("fiches:my_section_integrate", args=[mine.pk]))
    mine.refresh_from_db()
    assert mine.body == "Nouveau texte commun." and mine.base_revision.body == "Nouveau texte commun."
    assert "La fiche commune a changé" not in page_text(member_client.get(reverse("fiches:my_fiche")))


def test_an_adapted_section_is_merged_by_hand_never_overwritten(member_client, member, published, section, curator):
    services.personal_fiche_create(owner=member, fiche=section.fiche, job_title="Mon poste")
    mine = PersonalSection.objects.get(section=section)
    member_client.post(
        reverse("fiches:my_section_edit", args=[mine.pk]), {"body": "Mon texte à moi.", "lock_version": 0}
    )
    _change_common_section(section, curator, "Nouveau texte commun.", "v1.1")

    member_client.post(reverse("fiches:my_section_integrate", args=[mine.pk]))
    mine.refresh_from_db()
    assert mine.body == "Mon texte à moi."  # refused: their adaptation is kept

    url = reverse("fiches:my_section_edit", args=[mine.pk])
    response = member_client.get(url, {"integrer": "1"})
    merge, merge_form = page_text(response), response.context["form"]
    assert "Intégrer les changements de la fiche commune" in merge and "Mon texte à moi." in merge
    newer = section.revisions.get(body="Nouveau texte commun.")
    # The form says "integrer" too, like the link that opened it: one name for one action.
    assert select_one(response, 'form input[type="hidden"][name="integrer"]').get("value") == str(newer.pk)
    member_client.post(
        url,
        {
            "body": "Mon texte à moi, et le nouveau texte commun.",
            "integrer": newer.pk,
            "lock_version": merge_form["lock_version"].value(),
        },
    )
    mine.refresh_from_db()
    assert mine.body == "Mon texte à moi, et le nouveau texte commun." and mine.base_revision == newer
