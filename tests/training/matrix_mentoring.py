"""Rows of the authorization matrix for peer mentoring and the newcomers' path (see tests/core/authorization.py).

Every mentoring page is for approved members; a request is seen only by its two members (a 404 for anyone
else, the CNCD team included: it is a private exchange). The team curates the newcomers' path's steps.
"""

from tests.core.authorization import (
    LOGIN,
    MISSING,
    OK,
    PENDING,
    Case,
    curators,
    curators_post_only,
    members,
    members_post_only,
    row,
)

REQUEST = {"pk": "{mentoring_request}"}
STEP = {"pk": "{welcome_step}"}

# URL name -> Case or tuple of Cases, as EXPECTED in tests/core/test_authorization_matrix.py.
CASES: dict[str, Case | tuple[Case, ...]] = {
    "training:mentors": (members(), members(query="competence=C-1-01")),
    "training:mentor_offers": members(),
    # The form to ask a peer who offers help on the competence; without a competence there is nothing to ask.
    "training:request_create": (
        members(kwargs={"user_id": "{mentor}"}, query="competence=C-1-01"),
        row(LOGIN, PENDING, MISSING, MISSING, MISSING, MISSING, kwargs={"user_id": "{mentor}"}),
    ),
    "training:requests": members(),
    "training:request_detail": row(LOGIN, PENDING, OK, MISSING, MISSING, MISSING, kwargs=REQUEST),
    "training:request_accept": members_post_only(kwargs=REQUEST),
    "training:request_decline": members_post_only(kwargs=REQUEST),
    "training:request_withdraw": members_post_only(kwargs=REQUEST),
    "training:welcome": members(),
    "training:welcome_step_check": members_post_only(kwargs=STEP),
    "training:welcome_steps": curators(),
    "training:welcome_step_create": curators(),
    "training:welcome_step_edit": curators(kwargs=STEP),
    "training:welcome_step_move": curators_post_only(kwargs=STEP),
    "training:welcome_step_active": curators_post_only(kwargs=STEP),
}


def samples(users: dict) -> dict:
    """A peer offering help on C-1-01, the member's pending request to them, a step of the newcomers' path."""
    from tests.members.factories import ProfileFactory
    from training.models import MentoringRequest, MentorOffer, WelcomeStep

    mentor = ProfileFactory(display_name="Marie Mentor").user
    MentorOffer.objects.create(user=mentor, code="C-1-01")
    request = MentoringRequest.objects.create(
        requester=users["member"], mentor=mentor, code="C-1-01", message="Pouvez-vous m'aider ?"
    )
    step = WelcomeStep.objects.create(title="Lire la fiche de poste commune", link="/fiches/", order=10)
    return {"mentor": mentor.pk, "mentoring_request": request.pk, "welcome_step": step.pk}
