"""Rows of the authorization matrix for questionnaires and campaigns (see tests/core/authorization.py).

Every page is the CNCD team's: members get 403 (they know the surveys exist), visitors the login page.
"""

from tests.core.authorization import Case, curators, curators_post_only

_QUESTIONNAIRE = {"pk": "{survey_questionnaire}"}
_SECTION = {"pk": "{survey_section}"}
_QUESTION = {"pk": "{survey_question}"}
_CAMPAIGN = {"pk": "{survey_draft_campaign}"}

# URL name -> Case or tuple of Cases, as EXPECTED in tests/core/test_authorization_matrix.py.
CASES: dict[str, Case | tuple[Case, ...]] = {
    "surveys:team": curators(),
    "surveys:questionnaire_create": curators(),
    "surveys:questionnaire": curators(kwargs=_QUESTIONNAIRE),
    "surveys:questionnaire_edit": curators(kwargs=_QUESTIONNAIRE),
    "surveys:questionnaire_delete": curators(kwargs=_QUESTIONNAIRE),
    "surveys:questionnaire_copy": curators_post_only(kwargs=_QUESTIONNAIRE),
    "surveys:questionnaire_preview": curators(kwargs=_QUESTIONNAIRE),
    "surveys:section_create": curators(kwargs=_QUESTIONNAIRE),
    "surveys:section_edit": curators(kwargs=_SECTION),
    "surveys:section_delete": curators(kwargs=_SECTION),
    "surveys:section_move": curators_post_only(kwargs=_SECTION),
    "surveys:question_create": (curators(kwargs=_SECTION), curators(kwargs=_SECTION, query="type=echelle")),
    "surveys:question_edit": curators(kwargs=_QUESTION),
    "surveys:question_delete": curators(kwargs=_QUESTION),
    "surveys:question_move": curators_post_only(kwargs=_QUESTION),
    "surveys:campaign_create": curators(kwargs=_QUESTIONNAIRE),
    "surveys:campaign": curators(kwargs=_CAMPAIGN),
    "surveys:campaign_edit": curators(kwargs=_CAMPAIGN),
    "surveys:campaign_open": curators_post_only(kwargs=_CAMPAIGN),
    "surveys:campaign_close": curators_post_only(kwargs=_CAMPAIGN),
    "surveys:campaign_reopen": curators_post_only(kwargs=_CAMPAIGN),
    "surveys:campaign_delete": curators(kwargs=_CAMPAIGN),
}


def samples(users: dict) -> dict:
    """A questionnaire (of every kind of question), one of its parts and questions, a campaign in preparation."""
    from surveys.enums import CampaignStatus
    from tests.surveys.factories import make_campaign, make_questionnaire

    questionnaire = make_questionnaire(title="Questionnaire (matrice)")
    section = questionnaire.sections.order_by("order").first()
    question = section.questions.order_by("order").first()
    campaign = make_campaign(questionnaire, title="Campagne en préparation (matrice)", status=CampaignStatus.DRAFT)
    return {
        "survey_questionnaire": questionnaire.pk,
        "survey_section": section.pk,
        "survey_question": question.pk,
        "survey_draft_campaign": campaign.pk,
    }
