"""Rows of the authorization matrix for "Mon plan de développement" (see tests/core/authorization.py).

The plan is private to its member: every page shows one's own plan (no id in the URL), priorities and actions
of someone else are a 404, and the read-only view of a plan is for the people its owner shared it with (the
sample plan is shared with the CNCD team), a 404 for anyone else.
"""

from tests.core.authorization import (
    LOGIN,
    MISSING,
    OK,
    PENDING,
    Case,
    members,
    members_post_only,
    redirect_to,
    row,
)

PLAN_SECRET = "Action privée du plan de la technicienne"
PLAN_PATH = "/parcours/mon-plan/"

PRIORITY = {"pk": "{plan_priority}"}
ACTION = {"pk": "{plan_action}"}
OWN_ONLY = (LOGIN, PENDING, OK, MISSING, MISSING, MISSING)

# URL name -> Case or tuple of Cases, as EXPECTED in tests/core/test_authorization_matrix.py.
CASES: dict[str, Case | tuple[Case, ...]] = {
    "training:plan": members(owner_only_text=PLAN_SECRET),
    "training:plan_reference": members_post_only(),
    "training:plan_sharing": members(),
    "training:plan_priority_add": members_post_only(),
    "training:plan_priority_edit": row(*OWN_ONLY, kwargs=PRIORITY),
    "training:plan_priority_move": members_post_only(kwargs=PRIORITY),
    "training:plan_priority_remove": members_post_only(kwargs=PRIORITY),
    "training:plan_action_add": (
        members(),
        members(query="code=C-1-01&type=formation&formation=999999&pair=999999"),
    ),
    "training:plan_action_edit": row(*OWN_ONLY, kwargs=ACTION),
    "training:plan_action_delete": row(*OWN_ONLY, kwargs=ACTION),
    "training:plan_action_status": members_post_only(kwargs=ACTION),
    # Shared with the CNCD team: the team reads it; the member is sent to their own page; others: 404.
    "training:plan_shared": row(
        LOGIN, PENDING, redirect_to(PLAN_PATH), MISSING, OK, OK, kwargs={"user_id": "{plan_owner}"}
    ),
}


def samples(users: dict) -> dict:
    """The member's plan, shared with the CNCD team, with a priority and an action."""
    from training.models import DevelopmentPlan, PlanAction, PlanPriority

    member = users["member"]
    plan, _created = DevelopmentPlan.objects.get_or_create(user=member, defaults={"shared_with_team": True})
    priority = PlanPriority.objects.create(plan=plan, code="C-1-01", note="Pour animer le conseil", order=1)
    action = PlanAction.objects.create(plan=plan, code="C-1-01", title=PLAN_SECRET)
    return {"plan_owner": member.pk, "plan_priority": priority.pk, "plan_action": action.pk}
