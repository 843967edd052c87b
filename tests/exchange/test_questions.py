"""Spaces and questions through the HTTP layer: the spaces, a space's page, asking, editing, moderation state."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.audit import AuditEntry
from exchange import services
from exchange.enums import SpaceKind
from exchange.models import Question, Space
from tests.exchange.factories import AnswerFactory, QuestionFactory, SpaceFactory
from tests.html import content_text
from tests.members.factories import UserFactory
from tests.referentiel.factories import build_version, small_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def member():
    return UserFactory()


@pytest.fixture
def curator():
    return UserFactory(curator=True)


@pytest.fixture
def space():
    return SpaceFactory(name="Cadre juridique", slug="cadre-juridique")


@pytest.fixture
def framework():
    return build_version(small_data("v1.0"))


def test_spaces_list_themes_then_regions_with_counts(client, member, space):
    from members.models import Region

    Region.objects.get_or_create(code="53", defaults={"name": "Bretagne"})
    client.force_login(member)
    question = services.question_ask(user=member, space=space, title="Autosaisine ?", body="Comment faites-vous ?")
    assert question.pk
    page = content_text(client.get(reverse("exchange:spaces")))
    assert page.index("Espaces thématiques") < page.index("Cadre juridique") < page.index("Espaces régionaux")
    assert "1 question" in page
    assert Space.objects.filter(kind=SpaceKind.REGION, region__code="53").exists()
    assert "Bretagne" in page


def test_visitors_log_in_and_pending_accounts_wait(client, space):
    response = client.get(reverse("exchange:space", args=[space.slug]))
    assert (response.status_code == 302 and "/connexion" in response.url) or "login" in response.url
    client.force_login(UserFactory(pending=True))
    assert client.get(reverse("exchange:spaces")).status_code == 302


def test_ask_a_question_with_tags_and_resource(client, member, space, framework):
    client.force_login(member)
    form = client.get(reverse("exchange:ask") + f"?espace={space.slug}")
    assert form.status_code == 200
    response = client.post(
        reverse("exchange:ask"),
        {
            "space": space.pk,
            "title": "Comment gérer une autosaisine ?",
            "body": "Notre **conseil** veut s'autosaisir sur la mobilité.",
            "codes": ["C-1-01", "M1"],
        },
    )
    question = Question.objects.get()
    assert response.status_code == 302 and response.url == question.get_absolute_url()
    assert "<strong>conseil</strong>" in question.body_html
    assert sorted(question.tags.values_list("code", flat=True)) == ["C-1-01", "M1"]
    assert "autosaisine" in question.search_text
    space.refresh_from_db()
    assert space.question_count == 1 and space.last_activity_at is not None
    assert AuditEntry.objects.filter(action="exchange.question.asked").exists()
    page = content_text(client.get(question.get_absolute_url()))
    assert "Comment gérer une autosaisine ?" in page and "C-1-01" in page


def test_markup_is_sanitised(client, member, space):
    client.force_login(member)
    client.post(
        reverse("exchange:ask"), {"space": space.pk, "title": "Titre", "body": "<script>alert(1)</script> texte"}
    )
    assert "<script>" not in Question.objects.get().body_html


def test_refused_form_keeps_what_was_typed(client, member, space):
    client.force_login(member)
    response = client.post(reverse("exchange:ask"), {"space": space.pk, "title": "", "body": "Mon long texte"})
    assert response.status_code == 200
    assert "Mon long texte" in content_text(response)
    assert not Question.objects.exists()
    too_long = client.post(reverse("exchange:ask"), {"space": space.pk, "title": "x" * 201, "body": "b"})
    assert too_long.status_code == 200 and not Question.objects.exists()


def test_rate_limit_refusal_is_a_form_error(client, member, space, monkeypatch):
    from exchange import ratelimits

    monkeypatch.setattr(ratelimits, "posting_refusal", lambda user, action: "Patientez encore une heure.")
    client.force_login(member)
    response = client.post(reverse("exchange:ask"), {"space": space.pk, "title": "Titre", "body": "Texte gardé"})
    page = content_text(response)
    assert "Patientez encore une heure." in page and "Texte gardé" in page
    assert not Question.objects.exists()


def test_closed_space_refuses_questions(member, space):
    space.is_active = False
    space.save()
    with pytest.raises(services.ExchangeError):
        services.question_ask(user=member, space=space, title="t", body="b")


def test_only_the_author_or_the_team_edits(client, member, curator, space):
    question = services.question_ask(user=member, space=space, title="Titre", body="Texte")
    other = UserFactory()
    client.force_login(other)
    assert client.get(reverse("exchange:question_edit", args=[question.pk])).status_code == 403
    client.force_login(curator)
    assert client.get(reverse("exchange:question_edit", args=[question.pk])).status_code == 200


def test_space_page_filters_and_sorts(client, member, space):
    answered = QuestionFactory(space=space, title="Question résolue")
    answer = AnswerFactory(question=answered)
    answered.accepted_answer = answer
    answered.answer_count = 1
    answered.save()
    QuestionFactory(space=space, title="Question orpheline")
    client.force_login(member)
    url = reverse("exchange:space", args=[space.slug])
    page = content_text(client.get(url, {"etat": "repondues"}))
    assert "Question résolue" in page and "Question orpheline" not in page
    page = content_text(client.get(url, {"etat": "sans-reponse"}))
    assert "Question orpheline" in page and "Question résolue" not in page
    page = content_text(client.get(url, {"tri": "sans-reponse"}))
    assert page.index("Question orpheline") < page.index("Question résolue")


def test_space_page_paginates(client, member, space):
    for number in range(25):
        QuestionFactory(space=space, title=f"Sujet numéro {number:02d}")
    client.force_login(member)
    url = reverse("exchange:space", args=[space.slug])
    assert "Page 1 sur 2" in content_text(client.get(url))
    assert "Page 2 sur 2" in content_text(client.get(url, {"page": 2}))


def test_hidden_question_only_for_team_and_author(client, member, curator, space):
    question = QuestionFactory(space=space, author=member, hidden_at=timezone.now(), hidden_reason="Hors sujet")
    client.force_login(UserFactory())
    assert client.get(question.get_absolute_url()).status_code == 404
    assert question.title not in content_text(client.get(reverse("exchange:space", args=[space.slug])))
    client.force_login(member)
    assert "Masquée par l'équipe CNCD : Hors sujet" in content_text(client.get(question.get_absolute_url()))
    client.force_login(curator)
    assert client.get(question.get_absolute_url()).status_code == 200


def test_region_spaces_ensure_is_idempotent():
    from members.models import Region

    Region.objects.get_or_create(code="84", defaults={"name": "Auvergne-Rhône-Alpes"})
    services.region_spaces_ensure()
    count = Space.objects.filter(kind=SpaceKind.REGION).count()
    assert services.region_spaces_ensure() == 0
    assert Space.objects.filter(kind=SpaceKind.REGION).count() == count == Region.objects.count()


def _queries(user, url, params=None) -> int:
    client = Client()
    client.force_login(user)
    client.get(url, params or {})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries)


def _grow(space, count):
    for _number in range(count):
        question = QuestionFactory(space=space)
        question.tags.create(kind="competence", code="C-1-01", title="Compétence")
        AnswerFactory(question=question)


@pytest.mark.parametrize("params", [{}, {"etat": "sans-reponse"}, {"tri": "sans-reponse", "page": "1"}])
def test_space_page_queries_do_not_grow(member, space, params):
    url = reverse("exchange:space", args=[space.slug])
    _grow(space, 3)
    few = _queries(member, url, params)
    _grow(space, 25)
    assert _queries(member, url, params) == few


def test_spaces_list_queries_do_not_grow(member, space):
    url = reverse("exchange:spaces")
    few = _queries(member, url)
    for number in range(5):
        SpaceFactory(name=f"Espace {number}")
    assert _queries(member, url) == few


def test_competence_page_lists_tagged_questions_for_members(client, member, space, framework):
    question = services.question_ask(
        user=member,
        space=space,
        title="Animer sans micro ?",
        body="Des idées ?",
        tags=[services.TagData("competence", "C-1-01", "Compétence 1.1")],
    )
    url = reverse("referentiel:competence", args=[framework.label, "C-1-01"])
    client.force_login(UserFactory())
    page = content_text(client.get(url))
    assert "Questions de l'entraide" in page and question.title in page
    client.logout()
    assert question.title not in content_text(client.get(url))


def test_home_lists_unanswered_questions_in_joined_spaces(client, member, space):
    from exchange.models import ExchangeFollow

    reader = UserFactory()
    ExchangeFollow.objects.create(user=reader, target="espace", space=space)
    question = services.question_ask(user=member, space=space, title="Qui connaît le forum ouvert ?", body="?")
    client.force_login(reader)
    page = content_text(client.get(reverse("my_space")))
    assert "Questions sans réponse dans vos espaces" in page and question.title in page
