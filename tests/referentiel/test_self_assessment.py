import pytest
from django.urls import reverse

from competences.enums import FrameworkStatus
from competences.models import Competence, SelfAssessment
from referentiel.services import draft_create_from, framework_publish, item_save
from tests.referentiel.factories import build_version, small_data

pytestmark = pytest.mark.django_db

URL = reverse("referentiel:self_assessment")


def test_member_rates_competences_and_sees_the_summary(member_client, member):
    build_version()
    page = member_client.get(URL).content.decode()
    assert "Synthèse par mission" in page
    assert "Non concerné·e" in page
    token = member_client.get(URL).context["form"]["token"].value()
    response = member_client.post(
        URL,
        {
            "level-C-1-02": "3",
            "evidence-C-1-02": "Trois forums animés",
            "level-C-2-01": "na",
            "level-C-1-03": "1",
            "token": token,
        },
        follow=True,
    )
    content = response.content.decode()
    assert "Votre auto-évaluation est enregistrée." in content
    ratings = {r.code: r for r in SelfAssessment.objects.of_user(member)}
    assert ratings["C-1-02"].level == 3 and ratings["C-1-02"].evidence == "Trois forums animés"
    assert ratings["C-2-01"].not_concerned and ratings["C-2-01"].level is None
    assert "C-1-01" not in ratings
    # M1.A1 mobilises C-1-02 and C-2-01, M1.A2 C-1-03 and C-2-01: average of 3 and 1 = 2.0, C-2-01 not concerned.
    assert "<td>2,0</td>" in content and "<td>2 / 2</td>" in content
    assert 'value="Trois forums animés"' in content
    assert '<svg class="ref-chart" role="img"' in content


def test_evidence_too_long_is_refused_in_french(member_client):
    build_version()
    response = member_client.post(URL, {"level-C-1-02": "3", "evidence-C-1-02": "x" * 300})
    assert "Assurez-vous que cette valeur comporte au plus 280 caractères" in response.content.decode()


def test_new_version_carries_ratings_over_and_shows_what_is_new(member_client, member, curator):
    v1 = build_version()
    token = member_client.get(URL).context["form"]["token"].value()
    member_client.post(URL, {"level-C-1-02": "2", "level-C-1-01": "4", "token": token})
    draft = draft_create_from(source=v1, label="v2.0", actor=curator)
    competence = Competence(
        version=draft, domain=draft.domain_set.get(code="D-1"), code="C-1-10", title="Nouvelle compétence"
    )
    item_save(item=competence, actor=curator)
    changed = Competence.objects.get(version=draft, code="C-1-01")
    changed.description = "Description revue"
    changed.save()
    framework_publish(draft=draft, summary="v2", actor=curator)
    content = member_client.get(URL).content.decode()
    assert "Nouveau depuis votre dernière auto-évaluation (v1.0 → v2.0)" in content
    assert "C-1-10 Nouvelle compétence" in content
    assert "Compétences modifiées, à relire" in content
    assert 'value="4" id="id_level-C-1-01_4" checked' in content or "checked" in content
    assert SelfAssessment.objects.get(user=member, code="C-1-01").level == 4


def test_ratings_of_others_are_not_shown(member_client, other_member):
    version = build_version()
    SelfAssessment.objects.create(
        user=other_member, code="C-1-02", level=4, evidence="secret de l'autre", version=version
    )
    assert "secret de l" not in member_client.get(URL).content.decode()


def test_no_published_version(member_client):
    build_version(small_data(), status=FrameworkStatus.DRAFT)
    assert "Aucune version du référentiel n'est encore publiée" in member_client.get(URL).content.decode()


def test_self_assessment_query_count_does_not_grow_with_competences(client, member):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from competences.models import FrameworkVersion

    client.force_login(member)
    small = build_version(small_data("v1.0", missions=1, activities=1, domains=1, competences=1))
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    FrameworkVersion.objects.filter(pk=small.pk).update(status=FrameworkStatus.ARCHIVED)
    build_version(small_data("v2.0", missions=3, activities=5, domains=4, competences=8))
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL).status_code == 200
    assert len(many) == len(few)
