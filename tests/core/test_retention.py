"""Audit entries are deleted after their retention period (`prune_audit_entries`), account erasures excepted."""

import io
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from core.audit import audit_log, audit_prune
from core.models import AuditEntry
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


def entry(action: str, *, days_ago: int, actor=None) -> AuditEntry:
    written = audit_log(actor=actor, action=action, data={"âge": days_ago})
    AuditEntry.objects.filter(pk=written.pk).update(created_at=timezone.now() - timedelta(days=days_ago))
    return written


def remaining() -> set[str]:
    return set(AuditEntry.objects.values_list("action", flat=True))


def run(*args) -> str:
    out = io.StringIO()
    call_command("prune_audit_entries", *args, stdout=out)
    return out.getvalue()


def test_the_default_period_is_a_year(settings):
    assert settings.AUDIT_RETENTION_DAYS == 365
    assert settings.AUDIT_KEPT_ACTIONS == ["members.user.erased"]


def test_entries_older_than_the_setting_go_recent_ones_stay_and_the_output_is_french(settings):
    settings.AUDIT_RETENTION_DAYS = 30
    curator = UserFactory(curator=True)
    entry("members.user.approved", days_ago=31, actor=curator)
    entry("fiches.version.published", days_ago=400, actor=curator)
    entry("members.user.rejected", days_ago=29, actor=curator)
    entry("referentiel.framework.published", days_ago=0, actor=curator)

    output = run()

    assert output == "2 entrée(s) du journal d'audit de plus de 30 jours supprimée(s).\n"
    assert remaining() == {"members.user.rejected", "referentiel.framework.published", "core.audit.pruned"}


def test_the_pruning_is_itself_written_to_the_journal(settings):
    settings.AUDIT_RETENTION_DAYS = 10
    entry("members.user.approved", days_ago=11)

    run()

    pruned = AuditEntry.objects.get(action="core.audit.pruned")
    assert pruned.actor is None
    assert pruned.data == {"count": 1, "days": 10}


def test_nothing_to_prune_writes_nothing(settings):
    settings.AUDIT_RETENTION_DAYS = 10
    entry("members.user.approved", days_ago=9)

    assert run() == "0 entrée(s) du journal d'audit de plus de 10 jours supprimée(s).\n"
    assert remaining() == {"members.user.approved"}


def test_account_erasures_are_kept_whatever_their_age(settings):
    """They prove the erasure, and say which accounts to erase again after restoring an older backup."""
    settings.AUDIT_RETENTION_DAYS = 30
    entry("members.user.erased", days_ago=3000)
    entry("members.user.approved", days_ago=3000)

    run()

    assert remaining() == {"members.user.erased", "core.audit.pruned"}


def test_the_kept_actions_come_from_the_setting(settings):
    settings.AUDIT_KEPT_ACTIONS = ["fiches.version.published"]
    entry("fiches.version.published", days_ago=1000)
    entry("members.user.erased", days_ago=1000)

    run()

    assert remaining() == {"fiches.version.published", "core.audit.pruned"}


def test_days_on_the_command_line_override_the_setting(settings):
    settings.AUDIT_RETENTION_DAYS = 365
    entry("members.user.approved", days_ago=8)
    entry("members.user.rejected", days_ago=6)

    assert run("--days", "7") == "1 entrée(s) du journal d'audit de plus de 7 jours supprimée(s).\n"
    assert remaining() == {"members.user.rejected", "core.audit.pruned"}


def test_a_negative_period_is_refused():
    entry("members.user.approved", days_ago=8)

    with pytest.raises(CommandError, match="--days doit être positif ou nul"):
        run("--days", "-1")
    assert remaining() == {"members.user.approved"}


def test_the_service_keeps_entries_exactly_at_the_limit():
    kept = entry("members.user.approved", days_ago=5)
    AuditEntry.objects.filter(pk=kept.pk).update(created_at=timezone.now() - timedelta(days=5) + timedelta(minutes=1))

    assert audit_prune(older_than_days=5) == 0
    assert AuditEntry.objects.filter(pk=kept.pk).exists()
