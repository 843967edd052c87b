"""Writing questionnaires through the HTTP layer: every kind of question, bad input, order, frozen, copy."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.models import AuditEntry
from surveys import authoring
from surveys.enums import ParticipationStatus, QuestionKind, QuestionSource
from surveys.models import Participation, Question, Questionnaire, QuestionSection
from surveys.questions import questionnaire_questions
from tests.html import main_text
from tests.members.factories import UserFactory
from tests.referentiel.factories import build_version, small_data
from tests.surveys.factories import make_campaign, make_questionnaire, make_response

pytestmark = pytest.mark.django_db


@pytest.fixture
def questionnaire(curator):
    return make_questionnaire(created_by=curator)


def _q(questionnaire, code):
    return Question.objects.get(section__questionnaire=questionnaire, code=code)


def _add(client, section, kind, **data):
    url = reverse("surveys:question_create", args=[section.pk]) + f"?type={kind}"
    return client.post(url, {"type": kind, **data})


def _freeze(questionnaire):
    campaign = make_campaign(questionnaire)
    Participation.objects.create(campaign=campaign, user=UserFactory(), status=ParticipationStatus.STARTED)
    return campaign


# Access ------------------------------------------------------------------------------------------


def test_team_pages_are_for_curators_only(client, member, questionnaire):
    client.force_login(member)
    for url in (
        reverse("surveys:team"),
        reverse("surveys:questionnaire", args=[questionnaire.pk]),
        reverse("surveys:questionnaire_preview", args=[questionnaire.pk]),
    ):
        assert client.get(url).status_code == 403


# Questionnaires ----------------------------------------------------------------------------------


def test_curator_writes_a_questionnaire(curator_client):
    response = curator_client.post(
        reverse("surveys:questionnaire_create"), {"title": "Enquête 2027", "introduction": "Dix minutes."}
    )
    questionnaire = Questionnaire.objects.get(title="Enquête 2027")
    assert response.status_code == 302 and response["Location"] == questionnaire.get_absolute_url()
    assert AuditEntry.objects.filter(action="surveys.questionnaire.created").exists()
    response = curator_client.post(
        reverse("surveys:section_create", args=[questionnaire.pk]), {"title": "Votre poste", "description": ""}
    )
    assert response.status_code == 302
    assert questionnaire.sections.get().title == "Votre poste"
    page = main_text(curator_client.get(questionnaire.get_absolute_url()))
    assert "Votre poste" in page and "Aucune question dans cette partie." in page


def test_questionnaire_title_too_long_is_refused_and_kept(curator_client):
    title = "T" * 201
    response = curator_client.post(reverse("surveys:questionnaire_create"), {"title": title, "introduction": "x"})
    assert response.status_code == 200
    assert "200 caractères" in main_text(response)
    assert title in response.content.decode()
    assert not Questionnaire.objects.exists()


def test_questionnaire_edit_detects_a_conflict(curator_client, questionnaire):
    url = reverse("surveys:questionnaire_edit", args=[questionnaire.pk])
    stale = questionnaire.lock_version
    curator_client.post(url, {"title": "Premier", "introduction": "a", "lock_version": stale})
    response = curator_client.post(url, {"title": "Second", "introduction": "b", "lock_version": stale})
    assert response.status_code == 200
    assert "Conflit de modification" in main_text(response)
    questionnaire.refresh_from_db()
    assert questionnaire.title == "Premier"


def test_kind_picker_then_a_form_of_that_kind(curator_client, questionnaire):
    section = questionnaire.sections.first()
    page = main_text(curator_client.get(reverse("surveys:question_create", args=[section.pk])))
    assert "Répartition en pourcentages" in page and "Texte long" in page
    scale = main_text(curator_client.get(reverse("surveys:question_create", args=[section.pk]) + "?type=echelle"))
    assert "Minimum de l'échelle" in scale and "Options" not in scale


@pytest.mark.parametrize(
    ("kind", "data", "check"),
    [
        (
            QuestionKind.SINGLE,
            {"text": "Votre statut ?", "source": "options", "options": "titulaire | Titulaire\nContractuel·le"},
            lambda q: (
                q.options
                == [
                    {"value": "titulaire", "label": "Titulaire"},
                    {"value": "contractuelle", "label": "Contractuel·le"},
                ]
            ),
        ),
        (
            QuestionKind.MULTIPLE,
            {"text": "Vos outils ?", "source": "options", "options": "a | Visio\nb | Tableur\nc | Lettre"},
            lambda q: [o["value"] for o in q.options] == ["a", "b", "c"],
        ),
        (
            QuestionKind.SCALE,
            {"text": "Satisfait·e ?", "scale_min": "0", "scale_max": "10", "scale_min_label": "Non"},
            lambda q: (q.scale_min, q.scale_max, q.scale_min_label) == (0, 10, "Non"),
        ),
        (
            QuestionKind.NUMBER,
            {"text": "Combien de séances ?", "number_min": "0", "number_max": "365"},
            lambda q: (q.number_min, q.number_max) == (0, 365),
        ),
        (
            QuestionKind.SPLIT,
            {"text": "Votre temps ?", "source": "missions", "options": ""},
            lambda q: q.source == QuestionSource.MISSIONS and q.options == [],
        ),
        (QuestionKind.SHORT_TEXT, {"text": "Un outil à recommander ?"}, lambda q: q.options == []),
        (QuestionKind.LONG_TEXT, {"text": "Autre chose ?", "required": "on"}, lambda q: q.required),
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_every_kind_of_question(curator_client, questionnaire, kind, data, check):
    build_version(small_data("v1.0", missions=3))
    section = questionnaire.sections.last()
    response = _add(curator_client, section, kind, **data)
    assert response.status_code == 302, main_text(response)
    question = Question.objects.get(section=section, text=data["text"])
    assert question.kind == kind and check(question)
    assert question.order == 5  # after the four of the factory's second part
    assert question.code  # made from the text
    preview = main_text(curator_client.get(reverse("surveys:questionnaire_preview", args=[questionnaire.pk])))
    assert data["text"] in preview


def test_code_made_from_the_text_and_unique(curator_client, questionnaire):
    section = questionnaire.sections.first()
    _add(curator_client, section, QuestionKind.SHORT_TEXT, text="Votre logiciel préféré ?")
    _add(curator_client, section, QuestionKind.SHORT_TEXT, text="Votre logiciel préféré ?")
    codes = sorted(Question.objects.filter(text="Votre logiciel préféré ?").values_list("code", flat=True))
    assert codes == ["votre-logiciel-prefere", "votre-logiciel-prefere-2"]


def test_duplicate_code_is_refused(curator_client, questionnaire):
    section = questionnaire.sections.first()
    response = _add(curator_client, section, QuestionKind.SHORT_TEXT, text="Une autre", code="ia")
    assert response.status_code == 200
    assert "déjà celui d'une autre question" in main_text(response)
    assert "Une autre" in response.content.decode()


def test_badly_written_code_is_refused(curator_client, questionnaire):
    response = _add(curator_client, questionnaire.sections.first(), QuestionKind.SHORT_TEXT, text="X", code="Été 2025")
    assert response.status_code == 200 and "minuscules sans accents" in main_text(response)


def test_choice_question_needs_options(curator_client, questionnaire):
    response = _add(
        curator_client, questionnaire.sections.first(), QuestionKind.SINGLE, text="Oui ou non ?", source="options"
    )
    assert response.status_code == 200
    assert "au moins deux options" in main_text(response)
    response = _add(
        curator_client,
        questionnaire.sections.first(),
        QuestionKind.MULTIPLE,
        text="Doublons ?",
        source="options",
        options="a | Un\na | Deux",
    )
    assert "déjà celle d'une autre option" in main_text(response)


def test_scale_minimum_must_be_below_maximum(curator_client, questionnaire):
    response = _add(
        curator_client, questionnaire.sections.first(), QuestionKind.SCALE, text="Note ?", scale_min="5", scale_max="5"
    )
    assert response.status_code == 200
    assert "plus grand que son minimum" in main_text(response)
    response = _add(
        curator_client, questionnaire.sections.first(), QuestionKind.SCALE, text="Note ?", scale_min="1", scale_max="50"
    )
    assert response.status_code == 200 and not Question.objects.filter(text="Note ?").exists()


def test_number_bounds_checked(curator_client, questionnaire):
    response = _add(
        curator_client, questionnaire.sections.first(), QuestionKind.NUMBER, text="N ?", number_min="9", number_max="1"
    )
    assert response.status_code == 200 and "plus grand que le minimum" in main_text(response)


def test_too_long_texts_are_refused(curator_client, questionnaire):
    section = questionnaire.sections.first()
    response = _add(curator_client, section, QuestionKind.SHORT_TEXT, text="Q" * 501)
    assert response.status_code == 200 and "500 caractères" in main_text(response)
    response = _add(
        curator_client,
        section,
        QuestionKind.SINGLE,
        text="Longue option",
        source="options",
        options="a | " + "L" * 201 + "\nb | B",
    )
    assert response.status_code == 200 and "200 caractères" in main_text(response)
    assert not Question.objects.filter(text__in=["Longue option"]).exists()


def test_condition_on_an_earlier_question(curator_client, questionnaire):
    ai = _q(questionnaire, "ia")
    section = questionnaire.sections.last()
    response = _add(
        curator_client,
        section,
        QuestionKind.LONG_TEXT,
        text="Pourquoi pas ?",
        condition=[f"{ai.pk}:non"],
    )
    assert response.status_code == 302
    question = Question.objects.get(text="Pourquoi pas ?")
    assert question.condition_question == ai and question.condition_values == ["non"]
    preview = main_text(curator_client.get(reverse("surveys:questionnaire_preview", args=[questionnaire.pk])))
    assert "Posée seulement si « Utilisez-vous des outils d'intelligence artificielle ? » = Non" in preview


def test_condition_on_a_later_question_is_refused(curator_client, questionnaire):
    satisfaction = _q(questionnaire, "satisfaction")  # second part
    response = _add(
        curator_client,
        questionnaire.sections.first(),
        QuestionKind.SHORT_TEXT,
        text="Trop tôt",
        condition=[f"{satisfaction.pk}:1"],
    )
    assert response.status_code == 200  # a later question is not even offered
    assert "Sélectionnez un choix valide" in main_text(response)
    assert not Question.objects.filter(text="Trop tôt").exists()
    form = main_text(curator_client.get(reverse("surveys:question_edit", args=[_q(questionnaire, "ia").pk])))
    assert "Afficher seulement si" not in form  # the first question has nothing before it
    with pytest.raises(authoring.AuthoringError, match="vient après celle-ci"):
        authoring.question_create(
            section_id=questionnaire.sections.first().pk,
            actor=None,
            kind=QuestionKind.SHORT_TEXT,
            values={"text": "Trop tôt", "condition_question": satisfaction.pk, "condition_values": ["1"]},
        )
    with pytest.raises(authoring.AuthoringError, match="vient après celle-ci"):
        authoring.question_update(
            question_id=_q(questionnaire, "ia").pk,
            actor=None,
            values={
                "text": "IA ?",
                "options": [{"value": "oui", "label": "Oui"}, {"value": "non", "label": "Non"}],
                "condition_question": satisfaction.pk,
                "condition_values": ["1"],
            },
        )


def test_condition_values_must_be_one_question_and_its_options(curator_client, questionnaire):
    ai, satisfaction = _q(questionnaire, "ia"), _q(questionnaire, "satisfaction")
    section = questionnaire.sections.last()
    response = _add(
        curator_client,
        section,
        QuestionKind.SHORT_TEXT,
        text="Mêlé",
        condition=[f"{ai.pk}:oui", f"{satisfaction.pk}:2"],
    )
    assert "d'une seule question" in main_text(response)
    response = _add(curator_client, section, QuestionKind.SHORT_TEXT, text="Inconnu", condition=[f"{ai.pk}:peut-etre"])
    assert response.status_code == 200 and not Question.objects.filter(text="Inconnu").exists()
    with pytest.raises(authoring.AuthoringError, match="pas des réponses possibles"):
        authoring.question_create(
            section_id=section.pk,
            actor=None,
            kind=QuestionKind.SHORT_TEXT,
            values={"text": "Service", "condition_question": ai.pk, "condition_values": ["peut-etre"]},
        )
    with pytest.raises(authoring.AuthoringError, match="choix"):
        authoring.question_create(
            section_id=section.pk,
            actor=None,
            kind=QuestionKind.SHORT_TEXT,
            values={
                "text": "Sur un texte",
                "condition_question": _q(questionnaire, "temps").pk,
                "condition_values": ["x"],
            },
        )


def test_edit_a_question_and_change_its_code(curator_client, questionnaire):
    question = _q(questionnaire, "outil")
    url = reverse("surveys:question_edit", args=[question.pk])
    form = main_text(curator_client.get(url))
    assert "Votre outil préféré ?" in curator_client.get(url).content.decode() and "Partie" in form
    response = curator_client.post(
        url, {"section": question.section_id, "text": "Votre outil favori ?", "code": "outil-favori"}
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.text, question.code) == ("Votre outil favori ?", "outil-favori")


def test_options_still_needed_by_a_condition_cannot_go(curator_client, questionnaire):
    ai = _q(questionnaire, "ia")
    response = curator_client.post(
        reverse("surveys:question_edit", args=[ai.pk]),
        {"section": ai.section_id, "text": ai.text, "code": "ia", "source": "options", "options": "non | Non\nx | X"},
    )
    assert response.status_code == 200
    assert "n'offre plus" in main_text(response)
    ai.refresh_from_db()
    assert [o["value"] for o in ai.options] == ["oui", "non"]


def test_reorder_questions_and_parts(curator_client, questionnaire):
    temps = _q(questionnaire, "temps")
    curator_client.post(reverse("surveys:question_move", args=[temps.pk]), {"direction": "up"})
    assert [q.code for q in questionnaire_questions(questionnaire)][:3] == ["ia", "temps", "ia-usages"]
    second = questionnaire.sections.last()
    curator_client.post(reverse("surveys:section_move", args=[second.pk]), {"direction": "up"})
    assert questionnaire_questions(questionnaire)[0].code == "satisfaction"


def test_a_move_that_puts_a_question_before_its_condition_is_refused(curator_client, questionnaire):
    usages = _q(questionnaire, "ia-usages")
    response = curator_client.post(reverse("surveys:question_move", args=[usages.pk]), {"direction": "up"}, follow=True)
    assert "doit rester après" in main_text(response)
    assert [q.code for q in questionnaire_questions(questionnaire)][:2] == ["ia", "ia-usages"]


def test_delete_a_question_others_depend_on_is_refused(curator_client, questionnaire):
    ai = _q(questionnaire, "ia")
    response = curator_client.post(reverse("surveys:question_delete", args=[ai.pk]), follow=True)
    assert "retirez d'abord sa condition" in main_text(response)
    usages = _q(questionnaire, "ia-usages")
    curator_client.post(reverse("surveys:question_delete", args=[usages.pk]))
    assert not Question.objects.filter(pk=usages.pk).exists()
    curator_client.post(reverse("surveys:question_delete", args=[ai.pk]))
    assert not Question.objects.filter(pk=ai.pk).exists()


def test_delete_a_part(curator_client, questionnaire):
    second = questionnaire.sections.last()
    assert curator_client.get(reverse("surveys:section_delete", args=[second.pk])).status_code == 200
    curator_client.post(reverse("surveys:section_delete", args=[second.pk]))
    assert not QuestionSection.objects.filter(pk=second.pk).exists()


# Frozen, copy ------------------------------------------------------------------------------------


def test_frozen_questionnaire_refuses_every_structural_change(curator_client, questionnaire):
    _freeze(questionnaire)
    section = questionnaire.sections.first()
    question = _q(questionnaire, "outil")
    attempts = [
        _add(curator_client, section, QuestionKind.SHORT_TEXT, text="Nouvelle"),
        curator_client.post(
            reverse("surveys:question_edit", args=[question.pk]),
            {"section": question.section_id, "text": "Changée", "code": "outil"},
        ),
        curator_client.post(reverse("surveys:section_create", args=[questionnaire.pk]), {"title": "Nouvelle partie"}),
        curator_client.post(reverse("surveys:section_edit", args=[section.pk]), {"title": "Renommée"}),
    ]
    for response in attempts:
        assert response.status_code == 200
        assert "Copier pour l'an prochain" in main_text(response)
    for response in (
        curator_client.post(reverse("surveys:question_delete", args=[question.pk]), follow=True),
        curator_client.post(reverse("surveys:question_move", args=[question.pk]), {"direction": "up"}, follow=True),
        curator_client.post(reverse("surveys:section_delete", args=[section.pk]), follow=True),
        curator_client.post(reverse("surveys:section_move", args=[section.pk]), {"direction": "down"}, follow=True),
    ):
        assert "Copier pour l'an prochain" in main_text(response)
    assert [q.code for q in questionnaire_questions(questionnaire)] == [
        "ia",
        "ia-usages",
        "temps",
        "satisfaction",
        "seances",
        "outil",
        "remarques",
    ]
    assert _q(questionnaire, "outil").text == "Votre outil préféré ?"
    # The introduction (and title) stay editable.
    response = curator_client.post(
        reverse("surveys:questionnaire_edit", args=[questionnaire.pk]),
        {"title": questionnaire.title, "introduction": "Une coquille corrigée.", "lock_version": 0},
    )
    assert response.status_code == 302
    page = main_text(curator_client.get(questionnaire.get_absolute_url()))
    assert "ne changent plus" in page and "Ajouter une question" not in page


def test_frozen_by_responses_alone(questionnaire):
    make_response(make_campaign(questionnaire), {"ia": "non"})
    with pytest.raises(authoring.AuthoringError):
        authoring.section_create(questionnaire_id=questionnaire.pk, actor=None, values={"title": "X"})


def test_copy_for_next_year(curator_client, questionnaire):
    _freeze(questionnaire)
    response = curator_client.post(reverse("surveys:questionnaire_copy", args=[questionnaire.pk]))
    copy = Questionnaire.objects.exclude(pk=questionnaire.pk).get()
    assert response["Location"] == copy.get_absolute_url()
    assert copy.title == "Enquête sur les pratiques (copie)" and copy.based_on == questionnaire
    assert copy.introduction == questionnaire.introduction
    original = questionnaire_questions(questionnaire)
    copied = questionnaire_questions(copy)
    assert [q.code for q in copied] == [q.code for q in original]
    assert [q.section.title for q in copied] == [q.section.title for q in original]
    usages = next(q for q in copied if q.code == "ia-usages")
    assert usages.condition_question.code == "ia" and usages.condition_question.section.questionnaire_id == copy.pk
    assert usages.condition_values == ["oui"]
    # The copy is not frozen: it can change.
    assert _add(curator_client, copy.sections.first(), QuestionKind.SHORT_TEXT, text="Nouvelle").status_code == 302
    assert AuditEntry.objects.filter(action="surveys.questionnaire.copied").exists()


def test_delete_a_questionnaire_without_campaign(curator_client, questionnaire):
    curator_client.post(reverse("surveys:questionnaire_delete", args=[questionnaire.pk]))
    assert not Questionnaire.objects.exists()
    used = make_questionnaire()
    make_campaign(used)
    response = curator_client.post(reverse("surveys:questionnaire_delete", args=[used.pk]), follow=True)
    assert "sert à au moins une campagne" in main_text(response)


# Query counts ------------------------------------------------------------------------------------


def _count(client, url) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_team_list_queries_do_not_grow(curator_client):
    first = make_questionnaire(title="Un")
    make_campaign(first)
    small = _count(curator_client, reverse("surveys:team"))
    for number in range(4):
        questionnaire = make_questionnaire(title=f"Q{number}")
        campaign = make_campaign(questionnaire, title=f"C{number}")
        Participation.objects.create(campaign=campaign, user=UserFactory(), status=ParticipationStatus.SUBMITTED)
    assert _count(curator_client, reverse("surveys:team")) == small


def test_questionnaire_page_and_preview_queries_do_not_grow(curator_client):
    questionnaire = make_questionnaire()
    detail = _count(curator_client, reverse("surveys:questionnaire", args=[questionnaire.pk]))
    preview = _count(curator_client, reverse("surveys:questionnaire_preview", args=[questionnaire.pk]))
    section = questionnaire.sections.first()
    for number in range(6):
        authoring.question_create(
            section_id=section.pk,
            actor=None,
            kind=QuestionKind.SINGLE,
            values={
                "text": f"Question {number}",
                "options": [{"value": "a", "label": "A"}, {"value": "b", "label": "B"}],
            },
        )
    assert _count(curator_client, reverse("surveys:questionnaire", args=[questionnaire.pk])) == detail
    assert _count(curator_client, reverse("surveys:questionnaire_preview", args=[questionnaire.pk])) == preview
