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
