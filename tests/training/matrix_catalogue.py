"""Rows of the authorization matrix for the catalogue of trainings (see tests/core/authorization.py).

The landing page, the catalogue, a published training's page and the CSV export are public. Drafts are the
CNCD team's only (a 404 for anyone else, as for a training that does not exist); an archived training stays
visible to the team and to the members who followed it. Marking "suivie" is for approved members; every
other page (create, edit, sessions, publish, archive, delete, import) is the team's.
"""

from tests.core.authorization import (
    FORBIDDEN,
    LOGIN,
    MISSING,
    OK,
    PENDING,
    Case,
    curators,
    curators_post_only,
    members,
    members_post_only,
    public,
    row,
)

PUBLISHED = {"pk": "{training}"}
DRAFT = {"pk": "{training_draft}"}
ARCHIVED = {"pk": "{training_archived}"}
SESSION = {"pk": "{training}", "session_pk": "{training_session}"}

# URL name -> Case or tuple of Cases, as EXPECTED in tests/core/test_authorization_matrix.py.
CASES: dict[str, Case | tuple[Case, ...]] = {
    "training:home": public(),
    "training:catalogue": (
        public(),
        public(query="competence=C-1-01&a_venir=1&tri=prochaine-session"),
        # The state filter is the team's: ignored (published only) for anyone else.
        public(query="etat=toutes"),
    ),
    "training:export": (public(), public(query="etat=brouillon")),
    "training:detail": (
        public(kwargs=PUBLISHED),
        row(MISSING, MISSING, MISSING, MISSING, OK, OK, kwargs=DRAFT),
        row(MISSING, MISSING, OK, MISSING, OK, OK, kwargs=ARCHIVED),
    ),
    "training:completion": (
        members(kwargs=PUBLISHED),
        row(LOGIN, PENDING, MISSING, MISSING, FORBIDDEN, FORBIDDEN, kwargs=DRAFT),
        # The member who followed the archived training may still change their mark.
        row(LOGIN, PENDING, OK, MISSING, FORBIDDEN, FORBIDDEN, kwargs=ARCHIVED),
    ),
    "training:completion_delete": members_post_only(kwargs=PUBLISHED),
    "training:create": curators(),
    "training:import": curators(),
    "training:import_template": (curators(kwargs={"file_format": "csv"}), curators(kwargs={"file_format": "xlsx"})),
    "training:edit": (curators(kwargs=PUBLISHED), curators(kwargs=DRAFT)),
    "training:sessions": curators(kwargs=PUBLISHED),
    "training:session_edit": curators(kwargs=SESSION),
    "training:session_delete": curators_post_only(kwargs=SESSION),
    "training:publish": curators_post_only(kwargs=DRAFT),
    "training:archive": curators_post_only(kwargs=PUBLISHED),
    "training:delete": (curators(kwargs=PUBLISHED), curators(kwargs=ARCHIVED)),
}


def samples(users: dict) -> dict:
    """A published training with a session, a draft, and an archived training the member followed."""
    from django.utils import timezone

    from tests.training.factories import make_training
    from training.enums import TrainingStatus
    from training.models import TrainingCompletion

    published = make_training(title="Animer une concertation", codes=("C-1-01",), sessions=1)
    draft = make_training(title="Formation en préparation", status=TrainingStatus.DRAFT)
    archived = make_training(title="Formation retirée", status=TrainingStatus.ARCHIVED, sessions=0)
    TrainingCompletion.objects.create(
        training=archived, user=users["member"], completed_on=timezone.localdate(), review="Utile."
    )
    return {
        "training": published.pk,
        "training_draft": draft.pk,
        "training_archived": archived.pk,
        "training_session": published.sessions.first().pk,
    }
