"""The one place that says who may see a view.

Every view is closed by default: Django's LoginRequiredMiddleware requires a login, and
ApprovalRequiredMiddleware requires an approved account. A view opens itself with `public`
(anyone), `pending_allowed` (any logged-in account, even pending) or narrows with
`role_required` (curators, administrators).
"""

from functools import wraps

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied

from core.enums import Role


def has_role(user, role: Role) -> bool:
    """True when `user` is logged in, approved and holds `role` or a higher one."""
    return bool(user and user.is_authenticated and user.has_role(role))


def public(view_func):
    """Open a view to everyone, logged in or not."""
    return login_not_required(view_func)


def pending_allowed(view_func):
    """Open a view to any logged-in account, including one still waiting for approval."""
    view_func.approval_required = False
    return view_func


def role_required(role: Role):
    """Restrict a view to approved accounts holding `role` or a higher one (403 otherwise)."""

    def decorator(view_func):
        @wraps(view_func)
        def wrapped(request, *args, **kwargs):
            if not has_role(request.user, role):
                raise PermissionDenied
            return view_func(request, *args, **kwargs)

        return wrapped

    return decorator


curator_required = role_required(Role.CURATOR)
admin_required = role_required(Role.ADMIN)
