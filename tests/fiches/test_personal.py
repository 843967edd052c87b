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


COMMON_V1 = "Animer les séances.\n\nPréparer les ordres du jour.\n\nRédiger les avis."


def test_integrating_paragraph_by_paragraph_keeps_mine_by_default_and_saves_nothing_before_save(
    member_client, member, published, section, curator
):
    section.refresh_from_db()
    services.section_edit(
        section_id=section.pk, base_revision_id=section.current_revision_id, body=COMMON_V1, summary="", actor=curator
    )
    services.version_publish(fiche_id=section.fiche_id, label="v1.1", summary="", actor=curator)
    services.personal_fiche_create(owner=member, fiche=section.fiche, job_title="Mon poste")
    mine = PersonalSection.objects.get(section=section)
    url = reverse("fiches:my_section_edit", args=[mine.pk])
    my_text = "Animer les séances en soirée.\n\nPréparer les ordres du jour.\n\nRédiger les avis."
    member_client.post(url, {"body": my_text, "lock_version": 0})
    _change_common_section(
        section,
        curator,
        "Animer les séances.\n\nPréparer les ordres du jour avec la présidence.\n\nRédiger les avis.\n\n"
        "Suivre le budget.",
        "v1.2",
    )
    response = member_client.get(url, {"integrer": "1"})
    passages = select(response, "#choix-paragraphes fieldset.fiche-passage")
    # Three passages differ (the first two paragraphs, each on its own, and the new fourth); the third is shared.
    assert [page_text_of(p) for p in select(response, "#choix-paragraphes legend")] == [
        "Passage 1 sur 3",
        "Passage 2 sur 3",
        "Passage 3 sur 3",
    ]
    assert len(passages) == 3
    assert "Rédiger les avis." not in page_text_of(select_one(response, "#choix-paragraphes"))
    # Each choice is a labelled radio, described by the text it keeps; the member's is chosen by default.
    for passage in passages:
        mine_radio = select_one(passage, 'input[type="radio"][value="mien"]')
        assert mine_radio.get("checked") is not None
        assert select_one(passage, f'label[for="{mine_radio.get("id")}"]').text == "Garder le mien"
        common_radio = select_one(passage, 'input[type="radio"][value="commun"]')
        assert common_radio.get("checked") is None
        assert len(select(passage, f"#{common_radio.get('aria-describedby')}")) == 1
    assert "Animer les séances en soirée." in page_text_of(passages[0])
    assert "Suivre le budget." in page_text_of(passages[2]) and "votre texte n'a pas ce passage" in page_text_of(
        passages[2]
    )

    opened = response.context["form"]["lock_version"].value()
    # Keep my first paragraph, take the common second and the new fourth: the result goes to the editor, nothing saved.
    applied = member_client.post(
        url + "?integrer=1",
        {
            "lock_version": opened,
            "paragraphe-1": "mien",
            "paragraphe-2": "commun",
            "paragraphe-3": "commun",
            "appliquer": "1",
        },
    )
    expected = (
        "Animer les séances en soirée.\n\nPréparer les ordres du jour avec la présidence.\n\n"
        "Rédiger les avis.\n\nSuivre le budget."
    )
    assert applied.context["form"]["body"].value() == expected
    assert "Aperçu du résultat" in page_text(applied)
    assert [page_text_of(i) for i in select(select_one(applied, "#resultat .fiche-diff"), "ins")] == [
        "[ajouté :] avec la présidence",
        "[ajouté :] Suivre le budget.",
    ]
    assert not select(select_one(applied, "#resultat .fiche-diff"), "del")
    assert select_one(applied, "#paragraphe-2-commun").get("checked") is not None
    mine.refresh_from_db()
    assert mine.body == my_text  # nothing lost, nothing saved yet
    newer = section.revisions.get(body__endswith="Suivre le budget.")
    saved = member_client.post(url + "?integrer=1", {"body": expected, "integrer": newer.pk, "lock_version": opened})
    assert saved.status_code == 302
    mine.refresh_from_db()
    assert mine.body == expected and mine.base_revision == newer


def page_text_of(element):
    from tests.html import text_of

    return text_of(element)
