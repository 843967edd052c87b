"""Authorization matrix rows of the showcase app's works area (read by tests/core/test_authorization_matrix.py).

The member is a technician of the council whose page is published (the councils area's `showcase_page`): its
published work (`showcase_work`, with a PDF) is public; its draft (`showcase_work_draft`, with a PDF too) opens only
for the member and the team (404 for everyone else). Editing is for the council's technician·nes and the team:
another member gets a 403 on a published work, a 404 on a draft. Writes are POST only; the team's moderation
checks its role inside (a POST).
"""

from tests.core.authorization import (
    FORBIDDEN,
    LOGIN,
    MISSING,
    OK,
    PENDING,
    Case,
    members,
    members_post_only,
    public,
    redirect_to,
    row,
)

WORK = {"pk": "{showcase_work}"}
DRAFT = {"pk": "{showcase_work_draft}"}
DRAFT_ONLY = (MISSING, MISSING, OK, MISSING, OK, OK)
WORK_PATH = "/vitrine/travaux/{showcase_work}/{showcase_work_slug}/"
# A file the matrix writes into the media root before each URL (tests/core/test_authorization_matrix.py).
STORED_PDF = "rencontres/programme"

CASES: dict[str, Case | tuple[Case, ...]] = {
    "showcase:works": (public(), public(query="q=mobilite&theme=mobilite&region=53&nature=avis&annee=2025&tri=ancien")),
    "showcase:works_feed": public(),
    "showcase:work_create": row(LOGIN, PENDING, OK, FORBIDDEN, OK, OK),
    "showcase:works_manage": members(),
    "showcase:work_short": (
        row(*(redirect_to(WORK_PATH),) * 6, kwargs=WORK),
        row(
            MISSING,
            MISSING,
            redirect_to("/vitrine/travaux/{showcase_work_draft}/{showcase_work_draft_slug}/"),
            MISSING,
            redirect_to("/vitrine/travaux/{showcase_work_draft}/{showcase_work_draft_slug}/"),
            redirect_to("/vitrine/travaux/{showcase_work_draft}/{showcase_work_draft_slug}/"),
            kwargs=DRAFT,
        ),
    ),
    "showcase:work": (
        public(kwargs={**WORK, "slug": "{showcase_work_slug}"}),
        row(*DRAFT_ONLY, kwargs={**DRAFT, "slug": "{showcase_work_draft_slug}"}),
    ),
    "showcase:work_edit": (
        row(LOGIN, PENDING, OK, FORBIDDEN, OK, OK, kwargs=WORK),
        row(LOGIN, PENDING, OK, MISSING, OK, OK, kwargs=DRAFT),
    ),
    "showcase:work_followup": (
        row(LOGIN, PENDING, OK, FORBIDDEN, OK, OK, kwargs=WORK),
        row(LOGIN, PENDING, OK, MISSING, OK, OK, kwargs=DRAFT),
    ),
    "showcase:work_document": members_post_only(kwargs=WORK),
    "showcase:work_document_remove": members_post_only(kwargs=WORK),
    "showcase:work_publish": members_post_only(kwargs=DRAFT),
    "showcase:work_unpublish": members_post_only(kwargs=WORK),
    "showcase:work_moderate": members_post_only(kwargs=WORK),
    "showcase:work_download": (public(kwargs=WORK), row(*DRAFT_ONLY, kwargs=DRAFT)),
}


def samples(users: dict) -> dict:
    """A published and a draft work of the member's council page, each with a PDF (the matrix's stored file)."""
    import datetime

    from showcase.enums import WorkStatus
    from showcase.models import Work
    from tests.showcase.factories import CouncilPageFactory, ThemeFactory, WorkFactory

    page = CouncilPageFactory(council=users["member"].profile.council)
    theme = ThemeFactory(name="Mobilité")
    common = {"page": page, "document": STORED_PDF, "document_name": "avis.pdf", "document_size": 40}
    work = WorkFactory(title="Avis sur la mobilité du territoire", themes=[theme], **common)
    draft = WorkFactory(
        title="Contribution en cours de rédaction",
        status=WorkStatus.DRAFT,
        issued_on=datetime.date(2025, 1, 5),
        **common,
    )
    assert Work.objects.filter(pk__in=[work.pk, draft.pk]).count() == 2
    return {
        "showcase_work": work.pk,
        "showcase_work_slug": work.slug,
        "showcase_work_draft": draft.pk,
        "showcase_work_draft_slug": draft.slug,
    }
