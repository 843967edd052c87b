"""The vocabulary of the authorization matrix (tests/core/test_authorization_matrix.py): roles, outcomes, rows.

The apps whose rows live beside their tests (`AREA_MODULES`) import it from here: each such module
holds `CASES` (rows keyed by URL name, as `EXPECTED`) and `samples(users) -> dict`, which builds the
sample objects its rows name and returns their identifiers.
"""

from dataclasses import dataclass, field

# Modules holding the rows of an app's area, merged into EXPECTED.
AREA_MODULES = (
    "tests.training.matrix_catalogue",
    "tests.training.matrix_plans",
    "tests.training.matrix_mentoring",
    "tests.training.matrix_portfolio",
    "tests.surveys.matrix_authoring",
    "tests.surveys.matrix_answering",
    "tests.surveys.matrix_results",
    "tests.exchange.matrix_spaces",
    "tests.exchange.matrix_messages",
    "tests.exchange.matrix_moderation",
    "tests.exchange.matrix_network",
    "tests.showcase.matrix_councils",
    "tests.showcase.matrix_works",
    "tests.showcase.matrix_figures",
    "tests.dashboard.matrix_network",
)

ROLES = ("anonymous", "pending", "member", "other", "curator", "admin")

# Outcomes. Redirections are checked on their target, not only on their status.
OK = "200"
LOGIN = "login"  # 302 to the site's login page, with ?next=
PENDING = "pending"  # 302 to the "account waiting for approval" page
ADMIN_LOGIN = "admin-login"  # 302 to the Django admin's own login page, with ?next=
FORBIDDEN = "403"
MISSING = "404"
NOT_ALLOWED = "405"  # POST-only view
GONE = "410"


def redirect_to(path: str) -> str:
    """302 to exactly `path` (its query string ignored)."""
    return f"redirect:{path}"


@dataclass(frozen=True)
class Case:
    """The outcome expected for each role (in `ROLES` order) on one URL built from sample objects.

    `kwargs` values are str.format templates over the sample objects' identifiers (see `world`).
    """

    outcomes: tuple[str, ...]
    kwargs: dict = field(default_factory=dict)
    query: str = ""
    # For pages that show "my" things without an id in the URL: only the member's response may
    # contain this text.
    owner_only_text: str = ""

    def __post_init__(self):
        assert len(self.outcomes) == len(ROLES)


def row(anonymous, pending, member, other, curator, admin_, **options) -> Case:
    return Case((anonymous, pending, member, other, curator, admin_), **options)


def public(**options) -> Case:
    return row(OK, OK, OK, OK, OK, OK, **options)


def members(**options) -> Case:
    """Approved accounts only."""
    return row(LOGIN, PENDING, OK, OK, OK, OK, **options)


def accounts(**options) -> Case:
    """Any logged-in account, even one waiting for approval."""
    return row(LOGIN, OK, OK, OK, OK, OK, **options)


def curators(**options) -> Case:
    return row(LOGIN, PENDING, FORBIDDEN, FORBIDDEN, OK, OK, **options)


def administrators(**options) -> Case:
    return row(LOGIN, PENDING, FORBIDDEN, FORBIDDEN, FORBIDDEN, OK, **options)


def members_post_only(**options) -> Case:
    return row(LOGIN, PENDING, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, NOT_ALLOWED, **options)


def curators_post_only(**options) -> Case:
    """The role check comes before the method check."""
    return row(LOGIN, PENDING, FORBIDDEN, FORBIDDEN, NOT_ALLOWED, NOT_ALLOWED, **options)


def staff(**options) -> Case:
    """The Django admin: only staff accounts (administrators) get in; other members get its login page.

    Pending accounts are stopped by the approval gate before the admin sees them.
    """
    return row(ADMIN_LOGIN, PENDING, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, OK, **options)


def staff_models(**options) -> Case:
    """The admin's model pages are not marked login-free: anonymous visitors get the site's login page."""
    return row(LOGIN, PENDING, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, OK, **options)


def staff_only_refused(**options) -> Case:
    return row(LOGIN, PENDING, ADMIN_LOGIN, ADMIN_LOGIN, ADMIN_LOGIN, FORBIDDEN, **options)
