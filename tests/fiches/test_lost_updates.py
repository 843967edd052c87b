"""Lost updates on the fiche (issue 12, item 4b-d).

(b) A suggestion written on an older text must never undo what was written since: accepting
merges its changes onto the current text, or refuses with a conflict shown to the curator and told
to the author; the "mettre à jour" form offers the rebased text, never the old full text.
(c) The personal fiche and (d) one's own suggestion open in two tabs: the second save gets the
conflict page with both texts, the database keeps the first.
"""

import pytest
from django.urls import reverse

from fiches import services
from fiches.enums import SuggestionStatus
from fiches.models import Notification, PersonalFiche, PersonalSection, Revision, Suggestion
from tests.html import page_text
from tests.members.factories import UserFactory
from tests.two_tabs import open_form, save_twice

pytestmark = pytest.mark.django_db

TEXT = (
    "Animer les séances du conseil en soirée.\n\n"
    "Préparer l'ordre du jour avec la présidence.\n\n"
    "Rédiger les comptes rendus."
)
# The staff edit made while the suggestion waits: the last paragraph only.
STAFF_TEXT = TEXT.replace("Rédiger les comptes rendus.", "Rédiger et diffuser les comptes rendus.")
# The author's suggestion: the first paragraph only.
PROPOSED = TEXT.replace("en soirée", "en soirée et le samedi matin")


def _edit(section, body, actor):
    section.refresh_from_db()
    return services.section_edit(
        section_id=section.pk, base_revision_id=section.current_revision_id, body=body, summary="", actor=actor
    )


@pytest.fixture
def written(section, curator):
    """The section holds TEXT."""
    _edit(section, TEXT, curator)
    section.refresh_from_db()
    return section


def _suggest(section, author, body=PROPOSED):
    section.refresh_from_db()
    return services.suggestion_create(
        section_id=section.pk,
        author=author,
        body=body,
        rationale="Les séances ont aussi lieu le samedi.",
        base_revision_id=section.current_revision_id,
    )


# (b) Accepting merges, never reverts ----------------------------------------------------------------


def test_accepting_after_a_staff_edit_keeps_the_staff_edit(written, member, curator):
    suggestion = _suggest(written, member)
    _edit(written, STAFF_TEXT, UserFactory(curator=True))

    revision = services.suggestion_accept(suggestion_id=suggestion.pk, actor=curator)

    assert revision.body == (
        "Animer les séances du conseil en soirée et le samedi matin.\n\n"
        "Préparer l'ordre du jour avec la présidence.\n\n"
        "Rédiger et diffuser les comptes rendus."
    )
    assert revision.author == member and revision.suggestion == suggestion
    assert "reportée sur la révision" in revision.summary
    assert Suggestion.objects.get(pk=suggestion.pk).status == SuggestionStatus.ACCEPTED


def test_overlapping_changes_are_refused_shown_to_the_curator_and_told_to_the_author(written, member, curator, client):
    suggestion = _suggest(written, member, body=TEXT.replace("en soirée", "en journée"))
    _edit(written, TEXT.replace("en soirée", "le mercredi soir"), UserFactory(curator=True))
    revisions = Revision.objects.count()

    with pytest.raises(services.SuggestionConflict, match="mettre à jour"):
        services.suggestion_accept(suggestion_id=suggestion.pk, actor=curator)
    assert Revision.objects.count() == revisions
    assert Suggestion.objects.get(pk=suggestion.pk).status == SuggestionStatus.OPEN
    notice = Notification.objects.get(recipient=member)
    assert "n'a pas pu être acceptée" in notice.message
    assert notice.url == reverse("fiches:suggestion_update", args=[suggestion.pk])

    # Through the curator's button: refused, and the page shows both texts.
    client.force_login(curator)
    response = client.post(reverse("fiches:suggestion_accept", args=[suggestion.pk]), follow=True)
    page = page_text(response)
    assert "La section a changé aux mêmes endroits" in page and "Conflit avec le texte actuel" in page
    assert "journée" in page and "mercredi" in page  # the proposed text and the current one
    assert "Accepter" not in page.split("Décision de l'équipe CNCD")[1].split("Refuser")[0]
    assert Notification.objects.filter(recipient=member).count() == 1  # told once while unread


def test_the_suggestion_page_shows_what_accepting_a_stale_suggestion_gives(written, member, curator, client):
    suggestion = _suggest(written, member)
    _edit(written, STAFF_TEXT, UserFactory(curator=True))
    client.force_login(curator)
    page = page_text(client.get(reverse("fiches:suggestion", args=[suggestion.pk])))
    assert "sans rien défaire de ce qui a été écrit entre-temps" in page
    assert "Accepter : reporter ses changements sur le texte actuel" in page
    assert "diffuser" in page  # the staff edit is in the previewed result, not struck out


def test_the_update_form_of_a_stale_suggestion_is_rebased_and_keeps_the_staff_edit(written, member, curator, client):
    """The audit's scenario: update a stale suggestion without touching it, then accept it."""
    suggestion = _suggest(written, member)
    _edit(written, STAFF_TEXT, UserFactory(curator=True))
    client.force_login(member)
    url = reverse("fiches:suggestion_update", args=[suggestion.pk])
    response = client.get(url)
    page = page_text(response)
    assert "Vos changements ont été reportés sur le texte actuel" in page
    form = open_form(client, url)
    assert form["body"] == PROPOSED.replace("Rédiger les", "Rédiger et diffuser les")  # not the old full text

    assert client.post(url, form).status_code == 302
    client.force_login(curator)
    client.post(reverse("fiches:suggestion_accept", args=[suggestion.pk]))
    written.refresh_from_db()
    assert "Rédiger et diffuser les comptes rendus." in written.current_body
    assert "le samedi matin" in written.current_body


def test_the_update_form_of_a_conflicting_suggestion_shows_what_changed(written, member, client):
    suggestion = _suggest(written, member, body=TEXT.replace("en soirée", "en journée"))
    _edit(written, TEXT.replace("en soirée", "le mercredi soir"), UserFactory(curator=True))
    client.force_login(member)
    page = page_text(client.get(reverse("fiches:suggestion_update", args=[suggestion.pk])))
    assert "aux mêmes endroits que vous" in page
    assert "Ce qui a changé dans la section depuis le texte sur lequel vous avez écrit" in page
    assert "mercredi" in page and "journée" in page


def test_a_suggestion_written_while_the_section_changed_is_rebased_before_it_is_saved(written, member, client):
    client.force_login(member)
    url = reverse("fiches:suggestion_create", args=[written.fiche.slug, written.pk])
    form = open_form(client, url)
    _edit(written, STAFF_TEXT, UserFactory(curator=True))

    response = client.post(url, form | {"body": PROPOSED, "rationale": "Le samedi aussi."})
    page = page_text(response)
    assert response.status_code == 200 and not Suggestion.objects.exists()
    assert "La section a été modifiée pendant que vous rédigiez votre proposition" in page
    rebased = response.context["form"]
    assert rebased["body"].value() == PROPOSED.replace("Rédiger les", "Rédiger et diffuser les")
    assert rebased["base_revision"].value() == Revision.objects.get(body=STAFF_TEXT).pk
    assert "Le samedi aussi." in page  # the rationale is kept as typed

    # Saving the form as shown again: written on the current revision now, it goes through.
    again = {name: rebased[name].value() for name in ("body", "rationale", "base_revision")}
    assert client.post(url, again).status_code == 302
    suggestion = Suggestion.objects.get(rationale="Le samedi aussi.")
    assert suggestion.base_revision.body == STAFF_TEXT


# (d) One's own suggestion in two tabs --------------------------------------------------------------


def test_ones_own_suggestion_edited_in_two_tabs(written, member, client):
    suggestion = _suggest(written, member)
    client.force_login(member)
    url = reverse("fiches:suggestion_update", args=[suggestion.pk])
    response = save_twice(
        client,
        client,
        url,
        {"body": TEXT.replace("en soirée", "en soirée, tab 1"), "rationale": "Onglet 1"},
        {"body": TEXT.replace("en soirée", "en soirée, tab 2"), "rationale": "Onglet 2"},
    )
    page = page_text(response)
    assert response.status_code == 200 and "Conflit de modification" in page
    assert "tab 1" in page and "tab 2" in page and "Onglet 1" in page and "Onglet 2" in page
    suggestion.refresh_from_db()
    assert "tab 1" in suggestion.body and suggestion.rationale == "Onglet 1"
    assert response.context["form"]["body"].value() == TEXT.replace("en soirée", "en soirée, tab 2")
    assert response.context["form"]["lock_version"].value() == suggestion.lock_version


# (c) The personal fiche in two tabs ----------------------------------------------------------------


@pytest.fixture
def personal(written, member, curator):
    services.version_publish(fiche_id=written.fiche_id, label="v1.0", summary="", actor=curator)
    return services.personal_fiche_create(owner=member, fiche=written.fiche, job_title="Chargée de mission")


def test_the_personal_fiche_details_edited_in_two_tabs(personal, member, client):
    client.force_login(member)
    url = reverse("fiches:my_fiche_edit")
    response = save_twice(
        client,
        client,
        url,
        {"job_title": "Titre onglet 1", "local_context": "Contexte onglet 1"},
        {"job_title": "Titre onglet 2", "local_context": "Contexte onglet 2"},
    )
    page = page_text(response)
    assert response.status_code == 200 and "Conflit de modification" in page
    assert "Contexte onglet 1" in page and "Contexte onglet 2" in page
    assert PersonalFiche.objects.get(pk=personal.pk).local_context == "Contexte onglet 1"


def test_a_personal_section_edited_in_two_tabs(personal, member, client):
    mine = personal.sections.order_by("order").first()
    client.force_login(member)
    url = reverse("fiches:my_section_edit", args=[mine.pk])
    response = save_twice(client, client, url, {"body": "Mon texte, onglet 1."}, {"body": "Mon texte, onglet 2."})
    page = page_text(response)
    assert response.status_code == 200 and "Conflit de modification" in page
    assert "onglet 1" in page and "onglet 2" in page
    assert PersonalSection.objects.get(pk=mine.pk).body == "Mon texte, onglet 1."


def test_taking_in_the_common_text_makes_an_open_editor_stale(personal, member, curator, client, written):
    mine = PersonalSection.objects.get(personal_fiche=personal, section=written)
    client.force_login(member)
    url = reverse("fiches:my_section_edit", args=[mine.pk])
    tab = open_form(client, url)
    _edit(written, STAFF_TEXT, curator)
    services.version_publish(fiche_id=written.fiche_id, label="v1.1", summary="", actor=curator)
    assert client.post(reverse("fiches:my_section_integrate", args=[mine.pk])).status_code == 302

    response = client.post(url, tab | {"body": "Ancien texte modifié dans l'onglet."})
    assert "Conflit de modification" in page_text(response)
    assert PersonalSection.objects.get(pk=mine.pk).body == STAFF_TEXT
