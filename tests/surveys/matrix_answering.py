"""Rows of the authorization matrix for answering campaigns (see tests/core/authorization.py)."""

from tests.core.authorization import Case, members, members_post_only, public

# URL name -> Case or tuple of Cases, as EXPECTED in tests/core/test_authorization_matrix.py.
CASES: dict[str, Case | tuple[Case, ...]] = {
    # Members see the campaigns open to them; visitors the published summaries.
    "surveys:home": public(),
    # The notice, the pages of the questionnaire and the review: approved members (a campaign in
    # preparation is a 404 for them, tested in tests/surveys/test_answering.py).
    "surveys:answer": members(kwargs={"pk": "{survey_open_campaign}"}),
    "surveys:answer_section": members(kwargs={"pk": "{survey_open_campaign}", "number": "1"}),
    "surveys:answer_review": members(kwargs={"pk": "{survey_open_campaign}"}),
    "surveys:answer_discard": members_post_only(kwargs={"pk": "{survey_open_campaign}"}),
}


def samples(users: dict) -> dict:
    """An open anonymous campaign of the test questionnaire."""
    from tests.surveys.factories import make_campaign

    return {"survey_open_campaign": make_campaign(title="Campagne ouverte (matrice)").pk}
