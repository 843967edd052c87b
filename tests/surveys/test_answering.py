"""Answering a campaign through the pages: the home, the notice, one page per section with drafts, conditions,
validation that keeps every answer, the review, sending (anonymous and attributed), editing until the close."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from surveys import answering
from surveys.enums import CampaignStatus, ParticipationStatus
from surveys.models import LONG_ANSWER, SHORT_ANSWER, Campaign, Participation, Response
from tests.html import main_text
from tests.members.factories import ProfileFactory, UserFactory
from tests.surveys.factories import make_campaign, make_questionnaire

pytestmark = pytest.mark.django_db

FIRST = {
    "q-ia": "oui",
    "q-ia-usages": ["synthese", "courriers"],
    "q-temps-animer": "50",
    "q-temps-accompagner": "30",
    "q-temps-valoriser": "20",
}
SECOND = {"q-satisfaction": "4", "q-seances": "12,5", "q-outil": "Un tableur partagé", "q-remarques": "Rien."}


@pytest.fixture
def campaign(db):
    return make_campaign()


@pytest.fixture
def attributed(db):
    return make_campaign(anonymous=False, title="Enquête nominative")


@pytest.fixture
def respondent(db):
    profile = ProfileFactory(category="B")
    return profile.user


@pytest.fixture
def respondent_client(client, respondent):
    client.force_login(respondent)
    return client


def section_url(campaign, number):
    return reverse("surveys:answer_section", kwargs={"pk": campaign.pk, "number": number})


def review_url(campaign):
    return reverse("surveys:answer_review", kwargs={"pk": campaign.pk})


def post(client, campaign, number, data, action="next"):
    return client.post(section_url(campaign, number), {**data, "action": action})


def answer_all(client, campaign):
    assert post(client, campaign, 1, FIRST).status_code == 302
    assert post(client, campaign, 2, SECOND, action="review").status_code == 302
    return client.post(review_url(campaign))


# Home -----------------------------------------------------------------------------------------------


def test_home_for_visitors_shows_published_summaries_only(client, campaign):
    closed = make_campaign(open_now=False, title="Enquête 2025", results_published_at=timezone.now())
    response = client.get(reverse("surveys:home"))
    assert response.status_code == 200
    text = main_text(response)
    assert closed.title in text
    assert campaign.title not in text
    assert "connectez-vous" in text


def test_home_lists_open_and_programmed_campaigns_with_my_state(respondent_client, respondent, campaign, attributed):
    later = make_campaign(
        title="Enquête de printemps",
        opens_at=timezone.now() + timedelta(days=10),
        closes_at=timezone.now() + timedelta(days=40),
    )
    make_campaign(title="Campagne en préparation", status=CampaignStatus.DRAFT)
    text = main_text(respondent_client.get(reverse("surveys:home")))
    assert campaign.title in text and attributed.title in text and later.title in text
    assert "Campagne en préparation" not in text
    assert text.count("Pas encore commencée") >= 2
    post(respondent_client, campaign, 1, FIRST, action="save")
    answer_all(respondent_client, attributed)
    text = main_text(respondent_client.get(reverse("surveys:home")))
    assert "Brouillon enregistré" in text
    assert "Réponse envoyée" in text
    assert "Réponse modifiable jusqu'au" in text


def test_home_links_the_team_pages_for_curators_only(client, respondent_client, campaign):
    team = reverse("surveys:team")
    assert team not in respondent_client.get(reverse("surveys:home")).content.decode()
    client.force_login(UserFactory(curator=True))
    assert f'href="{team}"' in client.get(reverse("surveys:home")).content.decode()


def test_home_query_count_does_not_grow_with_campaigns(respondent_client, respondent):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert respondent_client.get(reverse("surveys:home")).status_code == 200
        return len(queries)

    questionnaire = make_questionnaire()
    make_campaign(questionnaire)
    make_campaign(questionnaire, open_now=False, results_published_at=timezone.now())
    few = count()
    for index in range(6):
        campaign = make_campaign(questionnaire, title=f"Campagne {index}", anonymous=index % 2 == 0)
        Participation.objects.create(campaign=campaign, user=respondent, draft={"ia": "oui"})
        make_campaign(questionnaire, open_now=False, title=f"Close {index}", results_published_at=timezone.now())
    assert count() == few


# Notice ---------------------------------------------------------------------------------------------


def test_notice_of_an_anonymous_campaign_says_what_anonymity_means(respondent_client, campaign):
    text = main_text(respondent_client.get(reverse("surveys:answer", kwargs={"pk": campaign.pk})))
    assert "Vos réponses sont anonymes" in text
    assert "Aucun lien entre vos réponses et vous n'est conservé" in text
    assert "région et votre catégorie de poste sont conservées" in text
    assert "ne peut plus être modifiée" in text
    assert campaign.publication_note in text
    assert "J'ai lu, commencer" in text
    assert not Participation.objects.exists()  # reading the notice starts nothing


def test_notice_of_an_attributed_campaign(respondent_client, attributed):
    text = main_text(respondent_client.get(reverse("surveys:answer", kwargs={"pk": attributed.pk})))
    assert "Vos réponses sont nominatives" in text
    assert "L'équipe CNCD voit vos réponses avec votre nom" in text
    assert "jusqu'à la clôture" in text


def test_a_campaign_in_preparation_does_not_exist_for_members(respondent_client):
    draft = make_campaign(status=CampaignStatus.DRAFT)
    assert respondent_client.get(reverse("surveys:answer", kwargs={"pk": draft.pk})).status_code == 404
    assert respondent_client.get(section_url(draft, 1)).status_code == 404


def test_pending_and_anonymous_visitors_may_not_answer(client, campaign):
    assert client.get(section_url(campaign, 1)).status_code == 302
    client.force_login(UserFactory(pending=True))
    response = client.get(section_url(campaign, 1))
    assert response.status_code == 302 and "/repondre/" not in response["Location"]


# Sections and drafts -----------------------------------------------------------------------------------


def test_section_page_has_progress_and_the_questions(respondent_client, campaign):
    response = respondent_client.get(section_url(campaign, 1))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<progress class="w-100" value="1" max="2"' in html
    assert "Partie 1 sur 2" in main_text(response)
    assert 'data-condition-name="q-ia"' in html  # the conditional question is drawn, shown live by the script
    assert "Seulement si vous avez répondu « Oui »" in main_text(response)
    assert "js/surveys.js" in html and "nonce=" in html
    assert respondent_client.get(section_url(campaign, 3)).status_code == 404


def test_every_move_saves_the_draft(respondent_client, respondent, campaign):
    response = post(respondent_client, campaign, 1, {"q-ia": "non", "q-temps-animer": "40"}, action="save")
    assert response.status_code == 302
    participation = Participation.objects.get(campaign=campaign, user=respondent)
    assert participation.status == ParticipationStatus.STARTED
    assert participation.draft == {"ia": "non", "temps": {"animer": 40}}
    # Coming back finds the draft.
    html = respondent_client.get(section_url(campaign, 1)).content.decode()
    assert 'value="non" checked' in html and 'name="q-temps-animer" value="40"' in html
    assert post(respondent_client, campaign, 1, FIRST).status_code == 302
    assert post(respondent_client, campaign, 2, {"q-outil": "Carnet"}, action="previous")["Location"] == section_url(
        campaign, 1
    )
    participation.refresh_from_db()
    assert participation.draft["outil"] == "Carnet"
    assert participation.draft["temps"] == {"animer": 50, "accompagner": 30, "valoriser": 20}


def test_moving_on_checks_required_answers_and_keeps_everything_typed(respondent_client, campaign):
    response = post(respondent_client, campaign, 1, {"q-temps-animer": "50", "q-temps-accompagner": "30"})
    assert response.status_code == 200
    text = main_text(response)
    assert "2 réponses à revoir" in text
    assert "Cette question demande une réponse." in text
    assert "totaliser exactement 100" in text and "leur total est 80" in text
    html = response.content.decode()
    assert 'name="q-temps-animer" value="50"' in html and 'name="q-temps-accompagner" value="30"' in html
    assert "<title>Erreur" in html


def test_a_hidden_question_is_not_required_and_its_answer_dropped(respondent_client, respondent, campaign):
    data = {**FIRST, "q-ia": "non"}
    assert post(respondent_client, campaign, 1, data).status_code == 302
    draft = Participation.objects.get(user=respondent).draft
    assert "ia-usages" not in draft
    post(respondent_client, campaign, 1, FIRST)
    assert Participation.objects.get(user=respondent).draft["ia-usages"] == ["synthese", "courriers"]
    # Changing the condition's answer later drops the dependent answer.
    post(respondent_client, campaign, 1, {**FIRST, "q-ia": "non"}, action="save")
    assert "ia-usages" not in Participation.objects.get(user=respondent).draft


@pytest.mark.parametrize(
    ("number", "data", "message"),
    [
        (1, {**FIRST, "q-ia": "peut-etre"}, "Choisissez l'une des réponses proposées."),
        (1, {**FIRST, "q-ia-usages": ["synthese", "inconnu"]}, "Choisissez parmi les réponses proposées."),
        (1, {**FIRST, "q-temps-animer": "50.5"}, "Chaque part est un nombre entier entre 0 et 100."),
        (1, {**FIRST, "q-temps-animer": "-10", "q-temps-accompagner": "90"}, "nombre entier entre 0 et 100"),
        (1, {**FIRST, "q-temps-animer": "150"}, "nombre entier entre 0 et 100"),
        (1, {**FIRST, "q-temps-inconnu": "10"}, None),  # an unknown share is ignored: not an input of the page
        (2, {**SECOND, "q-satisfaction": "9"}, "Choisissez une valeur entre 1 et 5."),
        (2, {**SECOND, "q-satisfaction": "abc"}, "Choisissez une valeur entre 1 et 5."),
        (2, {**SECOND, "q-seances": "douze"}, "Écrivez un nombre"),
        (2, {**SECOND, "q-seances": "NaN"}, "Écrivez un nombre"),
        (2, {**SECOND, "q-seances": "1e3"}, "inférieur ou égal à 500"),
        (2, {**SECOND, "q-seances": "1e999999"}, "10 chiffres au plus"),
        (2, {**SECOND, "q-seances": "Infinity"}, "Écrivez un nombre"),
        (2, {**SECOND, "q-seances": "-1"}, "supérieur ou égal à 0"),
        (2, {**SECOND, "q-seances": "1.234"}, "deux décimales au plus"),
        (2, {**SECOND, "q-seances": "9" * 40}, "Écrivez un nombre"),
        (2, {**SECOND, "q-outil": "x" * (SHORT_ANSWER + 1)}, f"{SHORT_ANSWER} caractères au plus"),
        (2, {**SECOND, "q-remarques": "x" * (LONG_ANSWER + 1)}, f"{LONG_ANSWER} caractères au plus"),
    ],
)
def test_bad_answers_are_refused_and_kept_as_typed(respondent_client, respondent, campaign, number, data, message):
    if number == 2:
        post(respondent_client, campaign, 1, FIRST)
    response = post(respondent_client, campaign, number, data)
    if message is None:
        assert response.status_code == 302
        return
    # A choice off the list (only a forged request sends one) cannot be drawn again; typed values are.
    assert response.status_code == 200
    assert message in main_text(response)
    html = response.content.decode()
    for name, value in data.items():
        if (
            isinstance(value, str)
            and len(value) < 100
            and name.startswith("q-")
            and name not in ("q-ia", "q-satisfaction")
        ):
            assert f'value="{value}"' in html or f">{value}<" in html, name


def test_valid_numbers_are_stored_as_decimal_strings(respondent_client, respondent, campaign):
    post(respondent_client, campaign, 1, FIRST)
    post(respondent_client, campaign, 2, {**SECOND, "q-seances": " 12,50 "}, action="save")
    assert Participation.objects.get(user=respondent).draft["seances"] == "12.5"
    post(respondent_client, campaign, 2, {**SECOND, "q-seances": "500"}, action="save")
    draft = Participation.objects.get(user=respondent).draft
    assert draft["seances"] == "500" and draft["satisfaction"] == 4


def test_saving_a_draft_keeps_the_valid_answers_and_reports_the_rest(respondent_client, respondent, campaign):
    post(respondent_client, campaign, 1, FIRST)
    response = post(respondent_client, campaign, 2, {**SECOND, "q-seances": "beaucoup"}, action="save")
    assert response.status_code == 200
    assert "sauf les réponses signalées" in main_text(response)
    assert 'value="beaucoup"' in response.content.decode()
    draft = Participation.objects.get(user=respondent).draft
    assert draft["outil"] == "Un tableur partagé" and "seances" not in draft


# Review and sending ---------------------------------------------------------------------------------------


def test_review_lists_every_answer_then_sending_an_anonymous_answer(respondent_client, respondent, campaign):
    post(respondent_client, campaign, 1, FIRST)
    post(respondent_client, campaign, 2, SECOND, action="review")
    text = main_text(respondent_client.get(review_url(campaign)))
    for expected in ("Oui", "Synthèses ; Courriers", "Animer : 50 %", "4", "12,5", "Un tableur partagé", "Rien."):
        assert expected in text
    assert "ne pourra plus être modifiée" in text
    response = respondent_client.post(review_url(campaign))
    assert response.status_code == 302
    sent = Response.objects.get(campaign=campaign)
    assert sent.respondent_id is None and sent.submitted_at is None and sent.updated_at is None
    assert sent.answers["seances"] == "12.5" and sent.answers["temps"] == {
        "animer": 50,
        "accompagner": 30,
        "valoriser": 20,
    }
    assert sent.category == "B" and sent.region_code  # the profile's, without a name
    participation = Participation.objects.get(campaign=campaign, user=respondent)
    assert participation.status == ParticipationStatus.SUBMITTED and participation.draft == {}
    entry = AuditEntry.objects.get(action="surveys.answers.sent")
    assert entry.target_id == str(campaign.pk) and str(sent.pk) not in str(entry.data)
    assert entry.actor_id is None  # an anonymous sending keeps no author
    text = main_text(respondent_client.get(response["Location"]))
    assert "Rien ne la relie à vous" in text and "Réponse anonyme envoyée" in text
    # Nothing may be changed any more, nor sent twice.
    assert respondent_client.post(review_url(campaign)).status_code == 302
    followed = respondent_client.get(section_url(campaign, 1), follow=True)
    assert "ne peut plus être modifiée" in main_text(followed)
    refused = post(respondent_client, campaign, 1, FIRST, action="save")  # from a tab left open
    assert "déjà envoyée" in main_text(refused) and 'value="50"' in refused.content.decode()
    assert Response.objects.count() == 1
    assert Participation.objects.get(user=respondent).draft == {}


def test_sending_refuses_missing_answers_and_points_to_them(respondent_client, respondent, campaign):
    post(respondent_client, campaign, 1, {"q-ia": "oui"}, action="save")
    response = respondent_client.post(review_url(campaign))
    assert response.status_code == 200
    assert "2 réponses sont à compléter" not in main_text(response)  # only the split is required and missing
    assert "1 réponse est à compléter" in main_text(response)
    assert not Response.objects.exists()


def test_an_attributed_answer_is_editable_until_the_close(respondent_client, respondent, attributed):
    assert answer_all(respondent_client, attributed).status_code == 302
    sent = Response.objects.get(campaign=attributed)
    assert sent.respondent == respondent and sent.submitted_at is not None
    first_sent = sent.submitted_at
    # The form opens again, prefilled.
    html = respondent_client.get(section_url(attributed, 2)).content.decode()
    assert 'value="Un tableur partagé"' in html
    post(respondent_client, attributed, 2, {**SECOND, "q-outil": "Un wiki"}, action="review")
    assert "modifications en cours" in main_text(respondent_client.get(reverse("surveys:home")))
    respondent_client.post(review_url(attributed))
    sent = Response.objects.get(campaign=attributed)
    assert sent.answers["outil"] == "Un wiki" and sent.submitted_at == first_sent and sent.updated_at >= first_sent
    assert AuditEntry.objects.filter(action="surveys.answers.updated").count() == 1
    # Discarding changes keeps what was sent.
    post(respondent_client, attributed, 2, {**SECOND, "q-outil": "Brouillon"}, action="save")
    respondent_client.post(reverse("surveys:answer_discard", kwargs={"pk": attributed.pk}))
    html = respondent_client.get(section_url(attributed, 2)).content.decode()
    assert 'value="Un wiki"' in html
    # After the close nothing is editable.
    Campaign.objects.filter(pk=attributed.pk).update(closes_at=timezone.now() - timedelta(minutes=1))
    response = respondent_client.post(section_url(attributed, 2), {**SECOND, "q-outil": "Trop tard", "action": "save"})
    assert response.status_code == 200
    assert "n'accepte plus de réponses" in main_text(response)
    assert 'value="Trop tard"' in response.content.decode()  # shown again, to be copied
    assert "Enregistrer le brouillon" not in main_text(response)
    followed = respondent_client.get(section_url(attributed, 2), follow=True)
    assert "Cette campagne est close" in main_text(followed)
    assert respondent_client.post(review_url(attributed)).status_code == 302
    assert Response.objects.get(campaign=attributed).answers["outil"] == "Un wiki"


def test_nothing_is_accepted_before_the_opening_or_after_the_close(respondent_client, respondent):
    soon = make_campaign(opens_at=timezone.now() + timedelta(days=2), closes_at=timezone.now() + timedelta(days=9))
    followed = respondent_client.get(section_url(soon, 1), follow=True)
    assert "pas encore ouverte" in main_text(followed)
    closed = make_campaign(open_now=False)
    assert "n'accepte plus de réponses" in main_text(post(respondent_client, closed, 1, FIRST))
    text = main_text(respondent_client.get(reverse("surveys:answer", kwargs={"pk": closed.pk})))
    assert "Cette campagne est close" in text and "commencer" not in text
    assert not Participation.objects.exists()


def test_sending_twice_in_a_row_makes_one_response(respondent, campaign):
    sections = answering.questionnaire_structure(campaign.questionnaire)
    from django.http import QueryDict

    def data(values):
        query = QueryDict(mutable=True)
        for key, value in values.items():
            query.setlist(key, value if isinstance(value, list) else [value])
        return query

    answering.draft_save(campaign=campaign, user=respondent, section=sections[0], data=data(FIRST))
    answering.answers_send(campaign=campaign, user=respondent)
    with pytest.raises(answering.AnswerRefused):
        answering.answers_send(campaign=campaign, user=respondent)
    assert Response.objects.count() == 1


def test_section_page_query_count_does_not_grow_with_questions(respondent_client, campaign):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert respondent_client.get(section_url(campaign, 2)).status_code == 200
        return len(queries)

    few = count()
    section = campaign.questionnaire.sections.order_by("order").last()
    for index in range(5):
        section.questions.create(code=f"texte-{index}", kind="texte-court", text=f"Question {index}", order=10 + index)
    assert count() == few


# Personal data and the home block ----------------------------------------------------------------------------


def test_personal_data_export_and_erasure(respondent_client, respondent, campaign, attributed):
    from core.personal_data import personal_data_kinds

    kinds = {kind.key: kind for kind in personal_data_kinds()}
    participations, answers = kinds["enquetes-participations"], kinds["enquetes-reponses-nominatives"]
    post(respondent_client, campaign, 1, FIRST, action="save")
    answer_all(respondent_client, attributed)
    rows = participations.export(respondent)
    assert {row["campaign"] for row in rows} == {campaign.title, attributed.title}
    assert next(row for row in rows if row["campaign"] == campaign.title)["draft"]["ia"] == "oui"
    exported = answers.export(respondent)
    assert {"question": "Votre outil préféré ?", "answer": "Un tableur partagé"}.items() <= next(
        row for row in exported if row["question"] == "Votre outil préféré ?"
    ).items()
    participations.erase(respondent)
    answers.erase(respondent)
    assert not Participation.objects.filter(user=respondent).exists()
    kept = Response.objects.get(campaign=attributed)
    # Kept for the statistics, as an anonymous response: no respondent, no time, no free text.
    assert kept.respondent_id is None and kept.submitted_at is None and kept.updated_at is None
    assert "outil" not in kept.answers and "remarques" not in kept.answers and kept.answers["ia"] == "oui"


def test_the_home_block_lists_campaigns_waiting_for_my_answer(respondent_client, respondent, campaign, attributed):
    from surveys.home import surveys_waiting

    block = surveys_waiting(respondent)
    assert block.title == "Des enquêtes attendent votre réponse" and block.count == 2
    assert "Jusqu'au" in block.links[0].note
    answer_all(respondent_client, campaign)
    block = surveys_waiting(respondent)
    assert block.title == "Une enquête attend votre réponse"
    assert [link.text for link in block.links] == [attributed.title]
    answer_all(respondent_client, attributed)
    assert surveys_waiting(respondent) is None


def test_my_space_shows_the_survey_waiting(respondent_client, campaign):
    text = main_text(respondent_client.get(reverse("my_space")))
    assert "Une enquête attend votre réponse" in text and campaign.title in text


def test_review_page_query_count_does_not_grow_with_answers(respondent_client, campaign):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert respondent_client.get(review_url(campaign)).status_code == 200
        return len(queries)

    post(respondent_client, campaign, 1, {"q-ia": "non"}, action="save")
    few = count()
    post(respondent_client, campaign, 1, FIRST)
    post(respondent_client, campaign, 2, SECOND, action="save")
    assert count() == few


def test_a_question_whose_condition_is_on_an_earlier_page_is_asked_only_when_met(
    respondent_client, respondent, campaign
):
    from surveys.models import Question

    ai = Question.objects.get(section__questionnaire=campaign.questionnaire, code="ia")
    Question.objects.create(
        section=campaign.questionnaire.sections.order_by("order").last(),
        code="ia-frein",
        kind="texte-court",
        text="Qu'est-ce qui vous freine ?",
        required=True,
        condition_question=ai,
        condition_values=["non"],
        order=9,
    )
    post(respondent_client, campaign, 1, FIRST)  # "oui": the question is not asked
    page = respondent_client.get(section_url(campaign, 2))
    assert "Qu'est-ce qui vous freine ?" not in main_text(page)
    assert (
        post(respondent_client, campaign, 2, {**SECOND, "q-ia-frein": "Le temps"}, action="review").status_code == 302
    )
    assert "ia-frein" not in Participation.objects.get(user=respondent).draft
    post(respondent_client, campaign, 1, {**FIRST, "q-ia": "non"})  # now it is asked, and required
    page = respondent_client.get(section_url(campaign, 2))
    assert "Qu'est-ce qui vous freine ?" in main_text(page)
    assert "data-condition-name" not in page.content.decode()  # decided by the server, not the script
    assert post(respondent_client, campaign, 2, SECOND, action="review").status_code == 200
    assert "Cette question demande une réponse." in main_text(respondent_client.get(review_url(campaign)))
