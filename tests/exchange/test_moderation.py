"""Moderation of the entraide: reports, the team's decisions, hiding, restoring, locking, moving (services and HTTP)."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from core.audit_sentences import audit_sentence
from core.models import AuditEntry
from exchange import moderation, services
from exchange.enums import ReportStatus
from exchange.models import Question, Report, Space
from fiches.models import Notification
from tests.exchange.factories import AnswerFactory, QuestionFactory, SpaceFactory, conversation_between
from tests.html import content_text
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    return UserFactory()


@pytest.fixture
def reporter():
    return UserFactory()


@pytest.fixture
def curator():
    return UserFactory(curator=True)


@pytest.fixture
def space():
    return SpaceFactory(name="Animation", slug="animation")


@pytest.fixture
def question(space, author):
    question = QuestionFactory(space=space, author=author, title="Comment animer une plénière ?")
    services.space_counts_refresh(space.pk)
    return question


@pytest.fixture
def answer(question):
    answer = AnswerFactory(question=question, body="Réponse vexante et hors sujet")
    services.question_counts_refresh(question.pk)
    services.search_refresh(question)
    return answer


def _notified(user) -> list[str]:
    return list(Notification.objects.filter(recipient=user).values_list("message", flat=True))


# Services --------------------------------------------------------------------------------------------


def test_report_once_per_member_and_post_and_the_team_is_told(answer, reporter, curator):
    report = moderation.report_create(reporter=reporter, reason="Propos blessants", answer=answer)
    assert report.status == ReportStatus.OPEN
    assert any("signalé" in message for message in _notified(curator))
    with pytest.raises(ValidationError, match="déjà signalé"):
        moderation.report_create(reporter=reporter, reason="Encore", answer=answer)
    assert AuditEntry.objects.filter(action="exchange.answer.reported").count() == 1


def test_one_cannot_report_one_s_own_post_nor_without_a_reason(answer, reporter):
    with pytest.raises(ValidationError, match="propre message"):
        moderation.report_create(reporter=answer.author, reason="Moi", answer=answer)
    with pytest.raises(ValidationError, match="Indiquez"):
        moderation.report_create(reporter=reporter, reason="   ", answer=answer)
    with pytest.raises(ValidationError, match="300"):
        moderation.report_create(reporter=reporter, reason="x" * 301, answer=answer)


def test_upholding_hides_the_answer_tells_the_author_and_settles_every_open_report(answer, reporter, curator):
    second = UserFactory()
    report = moderation.report_create(reporter=reporter, reason="Blessant", answer=answer)
    moderation.report_create(reporter=second, reason="Hors sujet", answer=answer)
    moderation.report_uphold(report_id=report.pk, actor=curator, reason="Propos contraires à la charte")
    answer.refresh_from_db()
    assert answer.is_hidden and answer.hidden_reason == "Propos contraires à la charte"
    assert set(Report.objects.values_list("status", flat=True)) == {ReportStatus.UPHELD}
    assert any("Propos contraires à la charte" in message for message in _notified(answer.author))
    assert any("masqué le contenu" in message for message in _notified(reporter))
    assert any("masqué le contenu" in message for message in _notified(second))
    # The hidden answer no longer counts nor is searched.
    answer.question.refresh_from_db()
    assert answer.question.answer_count == 0
    assert "vexante" not in answer.question.search_text
    entry = AuditEntry.objects.get(action="exchange.answer.hidden")
    assert "masqué la réponse" in audit_sentence(entry) and "charte" in audit_sentence(entry)
    with pytest.raises(ValidationError, match="déjà été traité"):
        moderation.report_uphold(report_id=report.pk, actor=curator, reason="Encore")


def test_dismissing_keeps_the_post_and_tells_the_reporter_without_the_note(answer, reporter, curator):
    report = moderation.report_create(reporter=reporter, reason="Pas d'accord", answer=answer)
    assert moderation.report_dismiss(report_id=report.pk, actor=curator, note="Un désaccord n'est pas une faute") == 1
    answer.refresh_from_db()
    report.refresh_from_db()
    assert not answer.is_hidden
    assert report.status == ReportStatus.DISMISSED and report.decided_by == curator
    assert report.decision_note == "Un désaccord n'est pas une faute"
    messages = _notified(reporter)
    assert messages and not any("désaccord" in message for message in messages)
    assert AuditEntry.objects.filter(action="exchange.answer.reports_dismissed").exists()


def test_hiding_a_question_drops_it_from_counts_and_from_members_search(question, author, curator, space):
    other = UserFactory()
    space.refresh_from_db()
    assert space.question_count == 1
    services.search_refresh(question)
    assert Question.objects.visible_to(other).filter(pk=question.pk).exists()

    moderation.question_hide(question_id=question.pk, actor=curator, reason="Données personnelles")
    space.refresh_from_db()
    assert space.question_count == 0
    assert not Question.objects.visible_to(other).filter(pk=question.pk).exists()
    # Its author still sees it (with the reason), the team too.
    assert Question.objects.visible_to(author).filter(pk=question.pk).exists()
    assert Question.objects.visible_to(curator).filter(pk=question.pk).exists()
    assert any("Données personnelles" in message for message in _notified(author))

    moderation.question_restore(question_id=question.pk, actor=curator, reason="Données retirées par l'auteur")
    space.refresh_from_db()
    assert space.question_count == 1
    assert Question.objects.visible_to(other).filter(pk=question.pk).exists()
    with pytest.raises(ValidationError, match="n'est pas masqué"):
        moderation.question_restore(question_id=question.pk, actor=curator, reason="Encore")


def test_a_hidden_question_is_not_found_by_the_search(client, question, curator):
    from exchange import selectors

    services.search_refresh(question)
    other = UserFactory()
    found = selectors.search_page(user=other, params={"q": "plénière"})
    assert question.pk in [row.pk for row in _search_rows(found)]
    moderation.question_hide(question_id=question.pk, actor=curator, reason="Publicité")
    found = selectors.search_page(user=other, params={"q": "plénière"})
    assert question.pk not in [row.pk for row in _search_rows(found)]
    client.force_login(other)
    page = content_text(client.get(reverse("exchange:search"), {"q": "plénière"}))
    assert "Comment animer une plénière" not in page


def _search_rows(context: dict) -> list:
    page = context.get("page") or context.get("questions") or context.get("results")
    return list(page.object_list if hasattr(page, "object_list") else page or [])


def test_lock_then_members_may_not_answer_nor_edit_until_unlocked(question, author, curator):
    moderation.question_lock(question_id=question.pk, actor=curator, reason="Le débat tourne en rond")
    question.refresh_from_db()
    assert question.is_locked and question.lock_reason == "Le débat tourne en rond"
    with pytest.raises(ValidationError, match="verrouillée"):
        services.answer_post(question=question, user=UserFactory(), body="Encore un mot")
    assert not services.can_edit_question(author, question)
    with pytest.raises(ValidationError, match="déjà verrouillée"):
        moderation.question_lock(question_id=question.pk, actor=curator, reason="Encore")
    moderation.question_unlock(question_id=question.pk, actor=curator, reason="Apaisé")
    question.refresh_from_db()
    assert not question.is_locked
    services.answer_post(question=question, user=UserFactory(), body="Merci")
    sentences = [
        audit_sentence(entry)
        for entry in AuditEntry.objects.filter(action__in=["exchange.question.locked", "exchange.question.unlocked"])
    ]
    assert len(sentences) == 2 and all("la question « Comment animer une plénière ? »" in text for text in sentences)


def test_moving_a_question_recounts_both_spaces_tells_the_asker_and_is_audited(question, author, curator, space):
    target = SpaceFactory(name="Cadre juridique", slug="cadre-juridique")
    moderation.question_move(question_id=question.pk, space_id=target.pk, actor=curator, reason="Question de droit")
    question.refresh_from_db()
    space.refresh_from_db()
    target.refresh_from_db()
    assert question.space == target
    assert (space.question_count, target.question_count) == (0, 1)
    assert any("Cadre juridique" in message for message in _notified(author))
    entry = AuditEntry.objects.get(action="exchange.question.moved")
    assert "Animation" in audit_sentence(entry) and "Cadre juridique" in audit_sentence(entry)
    with pytest.raises(ValidationError, match="déjà dans cet espace"):
        moderation.question_move(question_id=question.pk, space_id=target.pk, actor=curator, reason="Encore")


def test_a_moderation_change_makes_an_edit_opened_before_it_a_conflict(question, author, curator):
    from core.concurrency import EditConflict

    opened_on = question.lock_version
    moderation.question_hide(question_id=question.pk, actor=curator, reason="Hors charte")
    with pytest.raises((EditConflict, ValidationError)):
        services.question_edit(
            question=question,
            user=author,
            title="Nouveau titre",
            body="Nouveau texte",
            is_discussion=False,
            lock_version=opened_on,
        )
    question.refresh_from_db()
    assert question.is_hidden


def test_a_reported_private_message_hidden_by_the_team(curator):
    first, second = UserFactory(), UserFactory()
    conversation = conversation_between(first, second, messages=[(first, "Message insultant")])
    message = conversation.messages.get()
    report = moderation.report_create(reporter=second, reason="Insulte", message=message)
    stranger = UserFactory()
    with pytest.raises(ValidationError):
        moderation.report_create(reporter=stranger, reason="Curieux", message=message)
    moderation.report_uphold(report_id=report.pk, actor=curator, reason="Insulte")
    message.refresh_from_db()
    assert message.hidden_reason == "Insulte"
    assert any("message privé" in text for text in _notified(first))
    moderation.message_restore(message_id=message.pk, actor=curator, reason="Erreur")
    message.refresh_from_db()
    assert message.hidden_at is None


# HTTP ----------------------------------------------------------------------------------------------


def test_a_member_reports_an_answer_through_the_form(client, answer, reporter):
    client.force_login(reporter)
    url = reverse("exchange:moderation_answer_report", args=[answer.pk])
    page = content_text(client.get(url))
    assert "Signaler une réponse" in page and "Réponse vexante" in page
    response = client.post(url, {"reason": ""})
    assert "Indiquez pourquoi vous signalez ce contenu." in content_text(response)
    response = client.post(url, {"reason": "Blessant"}, follow=True)
    assert "votre signalement est transmis" in content_text(response)
    assert Report.objects.get().reporter == reporter
    # Twice: the form says it is done, and a second POST keeps the reason and says why.
    assert "Vous avez déjà signalé ce contenu" in content_text(client.get(url))
    response = client.post(url, {"reason": "Encore"})
    assert "Vous avez déjà signalé ce contenu" in content_text(response)
    assert Report.objects.count() == 1


def test_a_hidden_answer_or_one_s_own_cannot_be_reported(client, answer, curator):
    client.force_login(answer.author)
    assert client.get(reverse("exchange:moderation_answer_report", args=[answer.pk])).status_code == 404
    moderation.answer_hide(answer_id=answer.pk, actor=curator, reason="Hors charte")
    client.force_login(UserFactory())
    assert client.get(reverse("exchange:moderation_answer_report", args=[answer.pk])).status_code == 404


def test_the_team_decides_from_the_queue(client, answer, reporter, curator):
    report = moderation.report_create(reporter=reporter, reason="Blessant", answer=answer)
    client.force_login(curator)
    page = content_text(client.get(reverse("exchange:moderation")))
    assert "1 signalement à examiner" in page and "Blessant" in page and "Réponse vexante" in page
    url = reverse("exchange:moderation_report", args=[report.pk])
    response = client.post(url, {"decision": "masquer", "reason": ""})
    assert "Indiquez le motif ou la note." in content_text(response)
    response = client.post(url, {"decision": "masquer", "reason": "Contraire à la charte"}, follow=True)
    assert "Le contenu est masqué" in content_text(response)
    answer.refresh_from_db()
    assert answer.hidden_reason == "Contraire à la charte"
    page = content_text(client.get(reverse("exchange:moderation")))
    assert "Aucun signalement en attente." in page and "Contraire à la charte" in page
    assert "Déjà traité" in content_text(client.get(url))


def test_the_queue_s_queries_do_not_grow_with_reports(client, curator):
    def reports(count):
        for _index in range(count):
            answer = AnswerFactory()
            moderation.report_create(reporter=UserFactory(), reason="Blessant", answer=answer)
            question = QuestionFactory()
            moderation.report_create(reporter=UserFactory(), reason="Publicité", question=question)
            first, second = UserFactory(), UserFactory()
            message = conversation_between(first, second, messages=[(first, "Insulte")]).messages.get()
            moderation.report_create(reporter=second, reason="Insulte", message=message)

    client.force_login(curator)
    reports(1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("exchange:moderation")).status_code == 200
    reports(4)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse("exchange:moderation")).status_code == 200
    assert len(many) == len(few)


def test_the_team_hides_an_answer_directly_and_its_author_sees_the_reason(client, answer, curator):
    client.force_login(curator)
    url = reverse("exchange:moderation_answer_hide", args=[answer.pk])
    assert "Masquer une réponse" in content_text(client.get(url))
    response = client.post(url, {"reason": "Publicité"})
    assert response.status_code == 302
    answer.refresh_from_db()
    assert answer.is_hidden
    client.force_login(answer.author)
    page = content_text(client.get(answer.question.get_absolute_url()))
    assert "Publicité" in page


def test_the_team_locks_and_moves_a_thread_through_the_forms(client, question, curator):
    target = SpaceFactory(name="Communication", slug="communication")
    client.force_login(curator)
    response = client.post(reverse("exchange:moderation_question_lock", args=[question.pk]), {"reason": "Clos"})
    assert response.status_code == 302
    move = reverse("exchange:moderation_question_move", args=[question.pk])
    page = content_text(client.get(move))
    assert "Communication" in page
    response = client.post(move, {"space": 999999, "reason": "Mieux rangée"})
    assert "Choisissez un espace de la liste." in content_text(response)
    assert "Mieux rangée" in content_text(response)
    response = client.post(move, {"space": target.pk, "reason": "Mieux rangée"})
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.is_locked and question.space == target


def test_moderation_tools_show_report_to_members_and_actions_to_the_team(client, answer, curator, reporter):
    url = answer.question.get_absolute_url()
    client.force_login(reporter)
    page = content_text(client.get(url))
    assert reverse("exchange:moderation_answer_report", args=[answer.pk]) in page
    assert reverse("exchange:moderation_answer_hide", args=[answer.pk]) not in page
    client.force_login(curator)
    page = content_text(client.get(url))
    assert reverse("exchange:moderation_answer_hide", args=[answer.pk]) in page
    assert reverse("exchange:moderation_question_lock", args=[answer.question.pk]) in page
    assert reverse("exchange:moderation_question_move", args=[answer.question.pk]) in page


def test_the_team_s_to_do_page_lists_open_reports(client, answer, reporter, curator):
    from core.home import home_blocks

    moderation.report_create(reporter=reporter, reason="Blessant", answer=answer)
    client.force_login(curator)
    page = content_text(client.get(reverse("team_todo")))
    assert "Signalement dans l'entraide" in page and reverse("exchange:moderation") in page
    assert not any(block.key == "todo-exchange-reports" for block in home_blocks("todo", reporter))


def test_the_team_journal_reads_moderation_as_sentences(client, question, curator):
    moderation.question_lock(question_id=question.pk, actor=curator, reason="Le débat tourne en rond")
    client.force_login(curator)
    page = content_text(client.get(reverse("team_journal")))
    assert "a verrouillé la question « Comment animer une plénière ? » : « Le débat tourne en rond »" in page


def test_space_question_count_ignores_hidden_questions(space, curator):
    questions = [QuestionFactory(space=space) for _index in range(3)]
    services.space_counts_refresh(space.pk)
    moderation.question_hide(question_id=questions[0].pk, actor=curator, reason="Doublon")
    assert Space.objects.get(pk=space.pk).question_count == 2


def test_the_demo_seeds_one_open_report_once(answer):
    from exchange import demo

    UserFactory(email="technicienne@demo.codev-reseau.fr")
    demo._seed_moderation()
    demo._seed_moderation()
    report = Report.objects.get()
    assert report.status == ReportStatus.OPEN and report.answer == answer
