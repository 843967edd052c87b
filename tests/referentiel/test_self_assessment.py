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
    client.get(URL)  # the layout keeps its header counts
    with CaptureQueriesContext(connection) as few:
        assert client.get(URL).status_code == 200
    FrameworkVersion.objects.filter(pk=small.pk).update(status=FrameworkStatus.ARCHIVED)
    build_version(small_data("v2.0", missions=3, activities=5, domains=4, competences=8))
    with CaptureQueriesContext(connection) as many:
        assert client.get(URL).status_code == 200
    # The cache's own queries are not the page's.
    assert len(_page_queries(many)) == len(_page_queries(few))


# Split by mission, each part saved on its own ---------------------------------------------------------


def _label(response, radio_id):
    from tests.html import select_one, text_of

    return text_of(select_one(response, f'label[for="{radio_id}"]'))


def test_each_level_shows_its_descriptor_the_competences_own_when_it_has_one(member_client):
    build_version()
    response = member_client.get(URL)
    # The scale's descriptor, read with the choice (inside its label).
    assert _label(response, "id_level-C-1-02_1") == "1. Notions : Connaît"
    assert _label(response, "id_level-C-1-02_3") == "3. Maîtrise : Autonome"
    # C-1-01 has its own descriptor for level 2.
    assert _label(response, "id_level-C-1-01_2") == "2. Application : Applique la chose 1.1"
    assert _label(response, "id_level-C-1-01_1") == "1. Notions : Connaît"


def test_the_form_is_split_by_mission_each_competence_once(member_client):
    from tests.html import select, text_of

    build_version()
    response = member_client.get(URL)
    parts = select(response, "section.ref-part")
    assert [part.get("id") for part in parts] == ["partie-M1", "partie-M2", "partie-autres"]
    shown = {part.get("id"): [fieldset.get("id") for fieldset in select(part, "fieldset.ref-rating")] for part in parts}
    # M1's activities mobilise C-1-02, C-1-03 and C-2-01 (in tree order); M2's the same ones: shown once, in M1.
    assert shown["partie-M1"] == ["competence-C-1-02", "competence-C-1-03", "competence-C-2-01"]
    assert shown["partie-M2"] == []
    m2 = text_of(parts[1])
    assert "3 sur 3 évaluées" not in m2 and "0 sur 3 évaluées" in m2
    assert "Également mobilisées par cette mission, évaluées plus haut" in m2 and "C-1-02 Compétence 1.2 (M1)" in m2
    assert not select(parts[1], 'button[name="partie"]')
    assert shown["partie-autres"] == ["competence-C-1-01", "competence-C-2-02", "competence-C-2-03"]
    m1 = text_of(parts[0])
    assert "Aussi mobilisée par M2 : évaluée une seule fois, ici." in m1
    assert "0 sur 3 évaluées" in m1
    headings = [text_of(h) for h in select(parts[0], "h3")]
    assert headings == ["Domaine 1", "Domaine 2"]
    # Every competence has its fieldset and legend, and every radio a label.
    assert len(select(response, "fieldset.ref-rating legend")) == 6
    for radio in select(response, 'input[type="radio"]'):
        assert select(response, f'label[for="{radio.get("id")}"]')


def test_a_part_saves_only_its_answers_and_keeps_the_others(member_client, member):
    from tests.html import select_one, text_of
    from tests.two_tabs import open_form

    version = build_version()
    SelfAssessment.objects.create(user=member, code="C-1-01", level=4, evidence="Gardée", version=version)
    data = open_form(member_client, URL)
    data |= {"level-C-1-02": "3", "level-C-2-01": "na", "evidence-C-1-02": "Trois forums", "partie": "M1"}
    response = member_client.post(URL, data)
    assert response.status_code == 302 and response["Location"].endswith("#partie-M1")
    ratings = {r.code: (r.level, r.not_concerned, r.evidence) for r in SelfAssessment.objects.of_user(member)}
    assert ratings == {"C-1-01": (4, False, "Gardée"), "C-1-02": (3, False, "Trois forums"), "C-2-01": (None, True, "")}
    page = member_client.get(URL)
    assert "M1 Mission 1 : vos réponses sont enregistrées." in text_of(select_one(page, "body"))
    assert "2 sur 3 évaluées" in text_of(select_one(page, "#partie-M1"))
    assert "1 sur 3 évaluées" in text_of(select_one(page, "#partie-autres"))
    assert "3 sur 6 compétences évaluées en tout." in text_of(select_one(page, "#progress"))


def test_a_part_save_keeps_answers_typed_in_other_parts_on_the_page(member_client, member):
    from tests.two_tabs import open_form

    build_version()
    data = open_form(member_client, URL)
    data |= {"level-C-1-02": "2", "level-C-1-01": "1", "evidence-C-1-01": "Pas encore enregistrée", "partie": "M1"}
    response = member_client.post(URL, data)
    assert response.status_code == 200
    content = response.content.decode()
    assert "ne le sont pas encore" in content
    assert 'value="Pas encore enregistrée"' in content
    assert set(SelfAssessment.objects.of_user(member).values_list("code", flat=True)) == {"C-1-02"}
    # The tokens are current: saving the other part now goes through.
    form = response.context["form"]
    from tests.two_tabs import form_data

    again = member_client.post(URL, form_data(form) | {"partie": "autres"})
    assert again.status_code == 302
    assert SelfAssessment.objects.get(user=member, code="C-1-01").evidence == "Pas encore enregistrée"


def test_two_tabs_saving_different_parts_do_not_conflict_but_the_same_part_does(member_client, member):
    from tests.two_tabs import open_form

    build_version()
    first, second = open_form(member_client, URL), open_form(member_client, URL)
    assert member_client.post(URL, first | {"level-C-1-02": "3", "partie": "M1"}).status_code == 302
    # Another part, opened before: its own answers did not change meanwhile, so it saves.
    kept = member_client.post(URL, second | {"level-C-1-01": "2", "partie": "autres"})
    assert SelfAssessment.objects.get(user=member, code="C-1-01").level == 2
    assert SelfAssessment.objects.get(user=member, code="C-1-02").level == 3
    # This tab still shows M1 as it was opened: kept on the page, with its old token, so that saving it
    # from this page is a conflict, never a silent overwrite of the other tab's answer.
    assert kept.status_code == 200 and "ne le sont pas encore" in kept.content.decode()
    from tests.two_tabs import form_data

    again = member_client.post(URL, form_data(kept.context["form"]) | {"partie": "M1"})
    assert "Conflit de modification" in again.content.decode()
    assert SelfAssessment.objects.get(user=member, code="C-1-02").level == 3
    # The same part, opened before the first save: a conflict, nothing overwritten.
    response = member_client.post(URL, second | {"level-C-1-02": "1", "partie": "M1"})
    assert response.status_code == 200 and "Conflit de modification" in response.content.decode()
    assert SelfAssessment.objects.get(user=member, code="C-1-02").level == 3
    # The whole form, opened before: a conflict too.
    assert "Conflit de modification" in member_client.post(URL, second).content.decode()


def test_the_directory_choice_saves_on_its_own(member_client, member):
    from competences.models import AssessmentSharing
    from tests.two_tabs import open_form

    build_version()
    data = open_form(member_client, URL) | {"in_directory": "on", "level-C-1-02": "3", "partie": "annuaire"}
    assert member_client.post(URL, data).status_code == 200  # C-1-02 typed, not saved: kept on the page
    assert AssessmentSharing.objects.in_directory().filter(user=member).exists()
    assert not SelfAssessment.objects.of_user(member).exists()


def test_an_unknown_part_is_refused(member_client):
    from tests.two_tabs import open_form

    build_version()
    assert member_client.post(URL, open_form(member_client, URL) | {"partie": "M9"}).status_code == 400


def _page_queries(captured) -> list:
    """The queries of a request but the cache's own (reads, writes and the savepoints around them)."""
    return [
        query
        for query in captured.captured_queries
        if "codev_network_cache" not in query["sql"] and "SAVEPOINT" not in query["sql"]
    ]
