"""Rows of the authorization matrix for the results (see tests/core/authorization.py)."""

from core.models import PdfExport
from surveys.report import SURVEY_REPORT
from surveys.results import results_publish
from tests.core.authorization import (
    FORBIDDEN,
    LOGIN,
    MISSING,
    OK,
    PENDING,
    Case,
    curators,
    curators_post_only,
    public,
    redirect_to,
    row,
)
from tests.surveys.results_data import STANDARD_GROUPS, closed_campaign_with

CAMPAIGN = {"pk": "{results_campaign}"}

# URL name -> Case or tuple of Cases, as EXPECTED in tests/core/test_authorization_matrix.py.
CASES: dict[str, Case | tuple[Case, ...]] = {
    "surveys:results": (curators(kwargs=CAMPAIGN), curators(kwargs=CAMPAIGN, query="groupe=region-53")),
    "surveys:results_csv": curators(kwargs=CAMPAIGN),
    "surveys:results_xlsx": curators(kwargs=CAMPAIGN),
    "surveys:results_report": curators_post_only(kwargs=CAMPAIGN),
    # Someone else's report does not exist for them.
    "surveys:results_report_status": row(
        LOGIN, PENDING, FORBIDDEN, FORBIDDEN, OK, MISSING, kwargs={"export_id": "{results_export}"}
    ),
    # Not ready yet: back to its status page.
    "surveys:results_report_download": row(
        LOGIN,
        PENDING,
        FORBIDDEN,
        FORBIDDEN,
        redirect_to("/enquetes/equipe/rapports/{results_export}/"),
        MISSING,
        kwargs={"export_id": "{results_export}"},
    ),
    "surveys:compare": curators(kwargs=CAMPAIGN),
    "surveys:results_publish": curators(kwargs=CAMPAIGN),
    "surveys:results_unpublish": curators_post_only(kwargs=CAMPAIGN),
    # Public once published; a campaign whose results are not published does not exist for anyone.
    "surveys:public_results": (
        public(kwargs={"pk": "{results_published}"}),
        row(MISSING, MISSING, MISSING, MISSING, MISSING, MISSING, kwargs=CAMPAIGN),
    ),
}


def samples(users: dict) -> dict:
    """A closed campaign with 30 answers, a published one, a report asked for by the curator."""
    campaign = closed_campaign_with(STANDARD_GROUPS, title="Enquête close (matrice)")
    published = closed_campaign_with(STANDARD_GROUPS, title="Enquête publiée (matrice)")
    results_publish(campaign_id=published.pk, actor=users["curator"], summary="Synthèse.", lock_version=None)
    export = PdfExport.objects.create(
        requested_by=users["curator"], kind=SURVEY_REPORT, params={"campaign": campaign.pk}, language="fr"
    )
    return {"results_campaign": campaign.pk, "results_published": published.pk, "results_export": export.pk}
