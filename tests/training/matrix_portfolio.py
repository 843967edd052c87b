"""Rows of the authorization matrix for this area (see tests/core/authorization.py)."""

from tests.core.authorization import (
    LOGIN,
    MISSING,
    OK,
    PENDING,
    Case,
    curators,
    members,
    members_post_only,
    redirect_to,
    row,
)

# URL name -> Case or tuple of Cases, as EXPECTED in tests/core/test_authorization_matrix.py.
CASES: dict[str, Case | tuple[Case, ...]] = {
    # The member's own portfolio: each account composes its own (no identifier in the address).
    "training:portfolio": members(),
    "training:portfolio_json": members(),
    "training:portfolio_pdf": members_post_only(),
    # The sample export is the member's, not ready yet: its status page, and the download sends back to
    # it. Anyone else (the team included) cannot know it exists.
    "training:portfolio_status": row(
        LOGIN, PENDING, OK, MISSING, MISSING, MISSING, kwargs={"export_id": "{portfolio_export}"}
    ),
    "training:portfolio_download": row(
        LOGIN,
        PENDING,
        redirect_to("/parcours/portfolio/pdf/{portfolio_export}/"),
        MISSING,
        MISSING,
        MISSING,
        kwargs={"export_id": "{portfolio_export}"},
    ),
    # The network's training needs: the CNCD team only.
    "training:needs": (curators(), curators(query="category=A")),
    "training:needs_csv": curators(),
    "training:needs_xlsx": curators(),
}


def samples(users: dict) -> dict:
    """Build the sample objects the rows above name; return {name: identifier}.

    `users`: "member", "other", "pending", "curator", "admin" (the member owns the samples).
    """
    from core.models import PdfExport
    from training.portfolio import PORTFOLIO_EXPORT

    export = PdfExport.objects.create(
        requested_by=users["member"], kind=PORTFOLIO_EXPORT, params={"user": users["member"].pk}, language="fr"
    )
    return {"portfolio_export": export.pk}
