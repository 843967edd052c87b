"""Outcomes through the pages: a proposal on the common fiche made in one step, with the link back to the
meeting; a note for the référentiel team, handled by a curator."""

import pytest
from django.urls import reverse

from core.models import AuditEntry
from fiches.enums import SuggestionStatus
from fiches.models import Notification, Suggestion
from meetings.enums import OutcomeKind, WorkshopKind
from meetings.models import Outcome, Workshop
from tests.fiches.factories import fiche_with_sections
from tests.meetings.factories import make_meeting
from tests.referentiel.factories import build_version, small_data

pytestmark = pytest.mark.django_db


def test_an_outcome_becomes_a_real_suggestion_on_the_fiche(client, curator, member):
    fiche = fiche_with_sections(2)
    section = fiche.sections.order_by("order").first()
    meeting = make_meeting(member, days=-1)
    workshop = Workshop.objects.create(meeting=meeting, title="Table des missions", kind=WorkshopKind.TABLE)
    url = reverse("meetings:outcomes", kwargs={"pk": meeting.pk})
    client.force_login(member)

    form = client.get(url, {"nature": "proposition", "section": section.pk}).content.decode()
    assert section.current_body.split(" :")[0] in form  # the section's current text, to edit
    assert "Issue de la rencontre « Séminaire du réseau »" in form

    body = section.current_body + "\n\nPréparer les comptes rendus des séances."
    response = client.post(
        url,
        {
            "nature": "proposition",
            "section": str(section.pk),
            "title": "Ajouter les comptes rendus",
            "workshop": str(workshop.pk),
            "body": body,
            "rationale": "Issue de la rencontre « Séminaire du réseau ».",
            "base_revision": str(section.current_revision_id),
        },
    )
    assert response.status_code == 302
    outcome = Outcome.objects.get()
    suggestion = Suggestion.objects.get()
    assert outcome.kind == OutcomeKind.FICHE_SUGGESTION and outcome.suggestion == suggestion
    assert outcome.workshop == workshop and outcome.meeting == meeting
    assert suggestion.section == section and suggestion.author == member
    assert suggestion.status == SuggestionStatus.OPEN and "Séminaire du réseau" in suggestion.rationale
    assert AuditEntry.objects.filter(action="meetings.outcome.created", target_id=str(outcome.pk)).exists()
    # The meeting's page links to the proposal.
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert suggestion.get_absolute_url() in page and "Ajouter les comptes rendus" in page


def test_an_unchanged_text_is_refused_and_kept(client, member):
    fiche = fiche_with_sections(1)
    section = fiche.sections.get()
    meeting = make_meeting(member, days=-1)
    client.force_login(member)
    response = client.post(
        reverse("meetings:outcomes", kwargs={"pk": meeting.pk}),
        {
            "nature": "proposition",
            "section": str(section.pk),
            "title": "Rien",
            "body": section.current_body,
            "rationale": "Pour voir.",
            "base_revision": str(section.current_revision_id),
        },
    )
    assert response.status_code == 400
    assert "identique au texte actuel" in response.content.decode()
    assert not Outcome.objects.exists() and not Suggestion.objects.exists()


def test_a_note_for_the_referentiel_team_is_handled_by_a_curator(client, curator, member):
    build_version(small_data("v1.0"))
    meeting = make_meeting(member, days=-1)
    url = reverse("meetings:outcomes", kwargs={"pk": meeting.pk})
    client.force_login(member)
    form = client.get(url, {"nature": "note"}).content.decode()
    assert "M1.A1 — " in form
    response = client.post(
        url,
        {
            "nature": "note",
            "title": "Une activité manque",
            "body": "Les participant·es voudraient une activité sur la communication.",
            "referentiel_codes": ["M1"],
        },
    )
    assert response.status_code == 302
    outcome = Outcome.objects.get()
    assert outcome.kind == OutcomeKind.REFERENTIEL_NOTE and outcome.referentiel_codes == ["M1"]
    assert Notification.objects.filter(recipient=curator, message__contains="Une activité manque").exists()
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert reverse("referentiel:mission", args=["v1.0", "M1"]) in page and "À traiter" in page

    handled = reverse("meetings:outcome_handled", kwargs={"pk": outcome.pk})
    assert client.post(handled).status_code == 403
    client.force_login(curator)
    assert "Marquer comme traitée" in client.get(url).content.decode()
    client.post(handled)
    outcome.refresh_from_db()
    assert outcome.handled_at is not None and outcome.handled_by == curator
    assert AuditEntry.objects.filter(action="meetings.outcome.handled", target_id=str(outcome.pk)).exists()


def test_only_organisers_and_the_team_write_outcomes(client, curator, other_member):
    meeting = make_meeting(curator, days=-1)
    client.force_login(other_member)
    url = reverse("meetings:outcomes", kwargs={"pk": meeting.pk})
    assert client.get(url).status_code == 403
    assert client.post(url, {"nature": "note", "title": "x", "body": "y"}).status_code == 403
    assert not Outcome.objects.exists()
