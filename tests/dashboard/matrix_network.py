"""Authorization matrix rows of the dashboard's sections (read by tests/core/test_authorization_matrix.py).

The dashboard is for the CNCD team only: each section's own address as well as the page.
"""

from tests.core.authorization import FORBIDDEN, LOGIN, MISSING, PENDING, Case, curators, row

CASES: dict[str, Case | tuple[Case, ...]] = {
    "dashboard:network_section": (
        curators(kwargs={"section": "poste"}),
        curators(kwargs={"section": "autoevaluation"}),
        curators(kwargs={"section": "participation"}, query="kind=metropole"),
        # An unknown section: the role is checked first.
        row(LOGIN, PENDING, FORBIDDEN, FORBIDDEN, MISSING, MISSING, kwargs={"section": "inconnue"}),
    ),
}


def samples(users) -> dict:
    return {}
