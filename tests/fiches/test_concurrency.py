"""Two people saving the same section at the same moment: one wins, the other gets a conflict.

These need real row locks (PostgreSQL); conftest.py skips them elsewhere. Each thread has its own
database connection, and a pause inside the transaction widens the window so that, without
`select_for_update`, both writes would go through.
"""

import threading
import time

import pytest
from django.db import connection

from fiches import services
from fiches.enums import SuggestionStatus
from fiches.models import Revision, Section, Suggestion
from tests.fiches.factories import fiche_with_sections, suggestion_on
from tests.members.factories import UserFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def slow_writes(monkeypatch):
    """Pause after the row lock is taken, so that concurrent calls overlap."""
    original = services._clean_body

    def slow(section, body):
        time.sleep(0.3)
        return original(section, body)

    monkeypatch.setattr(services, "_clean_body", slow)


def _race(*calls):
    """Run the calls at the same moment, each in its own thread and connection; return results or errors."""
    barrier = threading.Barrier(len(calls))
    results = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            results[index] = call()
        except Exception as error:  # noqa: BLE001 - the test inspects whatever each side got
            results[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_two_simultaneous_edits_one_wins_the_other_gets_a_conflict(slow_writes):
    fiche = fiche_with_sections(1)
    section = Section.objects.get(fiche=fiche)
    base = section.current_revision_id
    claire, karim = UserFactory(curator=True), UserFactory(curator=True)

    results = _race(
        lambda: services.section_edit(
            section_id=section.pk, base_revision_id=base, body="Texte de Claire.", summary="", actor=claire
        ),
        lambda: services.section_edit(
            section_id=section.pk, base_revision_id=base, body="Texte de Karim.", summary="", actor=karim
        ),
    )

    winners = [r for r in results if isinstance(r, Revision)]
    conflicts = [r for r in results if isinstance(r, services.EditConflict)]
    assert len(winners) == 1 and len(conflicts) == 1, results
    section.refresh_from_db()
    assert section.current_revision == winners[0]
    assert conflicts[0].current.pk == winners[0].pk  # the loser is shown the winner's text
    assert Revision.objects.filter(section=section).count() == 2
    assert winners[0].parent_id == base


def test_two_simultaneous_accepts_on_the_same_section(slow_writes):
    fiche = fiche_with_sections(1)
    section = Section.objects.get(fiche=fiche)
    first = suggestion_on(section, body="Proposition A.")
    second = suggestion_on(section, body="Proposition B.")
    curator_a, curator_b = UserFactory(curator=True), UserFactory(curator=True)

    results = _race(
        lambda: services.suggestion_accept(suggestion_id=first.pk, actor=curator_a),
        lambda: services.suggestion_accept(suggestion_id=second.pk, actor=curator_b),
    )

    winners = [r for r in results if isinstance(r, Revision)]
    refused = [r for r in results if isinstance(r, services.FicheError)]
    assert len(winners) == 1 and len(refused) == 1, results
    assert "mettre à jour" in refused[0].messages[0]
    statuses = sorted(Suggestion.objects.values_list("status", flat=True))
    assert statuses == sorted([SuggestionStatus.ACCEPTED, SuggestionStatus.OPEN])
    assert Revision.objects.filter(section=section).count() == 2


def test_the_same_suggestion_accepted_twice_at_once_makes_one_revision(slow_writes):
    fiche = fiche_with_sections(1)
    section = Section.objects.get(fiche=fiche)
    suggestion = suggestion_on(section, body="Proposition unique.")
    curator_a, curator_b = UserFactory(curator=True), UserFactory(curator=True)

    results = _race(
        lambda: services.suggestion_accept(suggestion_id=suggestion.pk, actor=curator_a),
        lambda: services.suggestion_accept(suggestion_id=suggestion.pk, actor=curator_b),
    )

    assert sum(isinstance(r, Revision) for r in results) == 1, results
    assert sum(isinstance(r, services.FicheError) and "déjà été traitée" in r.messages[0] for r in results) == 1
    assert Revision.objects.filter(section=section).count() == 2
