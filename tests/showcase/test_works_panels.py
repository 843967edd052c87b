"""What the works area shows elsewhere: the référentiel item's panel, the home's news, the journal's sentences,
the personal-data registry."""

import pytest

from core.audit_sentences import audit_sentence
from core.models import AuditEntry
from core.panels import panels
from showcase import works
from showcase.enums import LinkKind
from showcase.personal_data import _works_erase, _works_export
from tests.showcase.works_helpers import published_work, work_data

pytestmark = pytest.mark.django_db


def test_referentiel_panel_lists_public_works_of_the_code(django_user_model):
    work = published_work(title="Avis qui illustre l'activité")
    works.work_update(
        user=work.created_by,
        work_id=work.pk,
        data=work_data(title="Avis qui illustre l'activité"),
        links=[works.LinkData(LinkKind.ACTIVITY, "M1.A2", "Animer")],
        lock_version=None,
    )
    blocks = panels("referentiel.competence", None, code="M1.A2", kind="activity")
    block = next(block for block in blocks if block.key == "showcase-works")
    assert [link.text for link in block.links] == ["Avis qui illustre l'activité"]
    works.work_unpublish(user=work.created_by, work_id=work.pk)
    blocks = panels("referentiel.competence", None, code="M1.A2", kind="activity")
    assert not any(block.key == "showcase-works" for block in blocks)


def test_journal_sentence_and_personal_data(curator):
    work = published_work()
    works.work_hide(user=curator, work_id=work.pk, reason="Doublon")
    entry = AuditEntry.objects.filter(action="showcase.work.hidden").get()
    assert "Doublon" in str(audit_sentence(entry))
    rows = _works_export(work.created_by)
    assert rows[0]["title"] == work.title and rows[0]["role"] == "ajouté par vous"
    assert _works_export(curator)[0]["hidden_reason"] == "Doublon"
    _works_erase(work.created_by)
    _works_erase(curator)
    work.refresh_from_db()
    assert work.created_by is None and work.hidden_by is None
