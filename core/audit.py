from collections.abc import Iterable
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from core.models import AuditEntry


def audit_log(*, actor, action: str, target=None, data: dict | None = None) -> AuditEntry:
    """Record that `actor` did `action` (a dotted name such as `members.user.approved`) on `target`."""
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_repr=str(target)[:255] if target is not None else "",
        data=data or {},
    )


def audit_prune(*, older_than_days: int, kept_actions: Iterable[str] = ()) -> int:
    """Delete entries older than `older_than_days` days, except `kept_actions`; return how many."""
    limit = timezone.now() - timedelta(days=older_than_days)
    with transaction.atomic():
        count, _by_model = (
            AuditEntry.objects.filter(created_at__lt=limit).exclude(action__in=list(kept_actions)).delete()
        )
        if count:
            # The pruning itself is accountable: what went, and under which rule.
            audit_log(actor=None, action="core.audit.pruned", data={"count": count, "days": older_than_days})
    return count
