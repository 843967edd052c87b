"""The parcours' kept pages: the plan page and the training needs read from the cache, and show each change at
once (training.generations); the common fiche's expected levels are parsed once per published version."""

import re
from html import unescape

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from competences.models import AssessmentSharing, SelfAssessment
from core import generations as core_generations
from fiches import services as fiche_services
from fiches.enums import SectionKind
from fiches.models import COMMON_FICHE_SLUG, Fiche, Section
from fiches.selectors import expected_levels
from referentiel.services import (
    assessment_sharing_set,
    draft_create_from,
    draft_create_from_data,
    framework_publish,
    self_assessment_save,
)
from tests.fiches.factories import version_published
from tests.html import main_text, select, text_of
from tests.members.factories import CouncilFactory, ProfileFactory, UserFactory
from tests.referentiel.factories import build_version, small_data
from tests.toolbox.factories import make_resource
from tests.training.factories import make_training
from training import generations, mentoring, plans
from training import services as training_services
from training.enums import ActionStatus
from training.models import DevelopmentPlan, PlanAction
from training.needs import needs_forget

pytestmark = pytest.mark.django_db

PLAN = reverse("training:plan")
NEEDS = reverse("training:needs")
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@pytest.fixture
def version(db):
    return build_version(small_data("v1.0"))


@pytest.fixture
def fiche(db):
    fiche = Fiche.objects.create(slug=COMMON_FICHE_SLUG, title="Fiche de poste commune")
    fiche_services.section_create(
        fiche=fiche,
        key="competences",
        title="Compétences",
        kind=SectionKind.COMPETENCES,
        body="C-1-01 : niveau 3 — Compétence 1.1\nC-1-02 : niveau 2 — Compétence 1.2\nC-2-01 : niveau 2",
        order=1,
    )
    return fiche


@pytest.fixture
def rated(member, version, fiche):
    """The member rates 1.1 at 1 (gap 2), 1.2 at 2 (met), 2.1 at 1 (gap 1)."""
    self_assessment_save(
        user=member,
        version=version,
        ratings={"C-1-01": (1, False, ""), "C-1-02": (2, False, ""), "C-2-01": (1, False, "")},
    )
    return member


def peer(name, *, code="C-1-01", level=3, version=None):
    """A member found by their shared self-assessment (at or above the expected level on `code`)."""
    user = UserFactory()
    ProfileFactory(user=user, display_name=name)
    SelfAssessment.objects.create(user=user, code=code, level=level, version=version)
    AssessmentSharing.objects.create(user=user, in_directory=True)
    return user


def main_html(page) -> str:
    """The page's <main>, its CSRF tokens blanked (each response has its own, as its CSP nonce)."""
    main = re.search(r"<main.*</main>", page.text, re.DOTALL).group(0)
    return CSRF_INPUT.sub('name="csrfmiddlewaretoken" value=""', main)


def gap_text(page, code="C-1-01") -> str:
    found = select(page, f"#ecart-{code}")
    return text_of(found[0]) if found else ""


# The plan page -------------------------------------------------------------------------------------------------


def test_the_plan_page_is_read_from_the_cache_the_second_time_and_is_the_same(member_client, rated, curator):
    make_training(codes=["C-1-01"], title="Animer une réunion participative")
    make_resource(UserFactory(), title="Guide d'animation", links=[("competence", "C-1-01", "")], published_by=curator)
    mentor = peer("Aïcha Benali", version=rated.self_assessments.first().version)
    plans.priority_add(user=rated, code="C-2-01", note="D'abord celle-ci")
    plans.action_create(user=rated, values={"title": "Lire le guide", "code": "C-1-01"})
    with CaptureQueriesContext(connection) as first:
        computed = member_client.get(PLAN)
    with CaptureQueriesContext(connection) as second:
        kept = member_client.get(PLAN)
    assert computed.status_code == kept.status_code == 200
    assert main_html(kept) == main_html(computed)
    assert "Aïcha Benali" in main_text(kept) and mentor.pk
    assert "Animer une réunion participative" in main_text(kept) and "Guide d'animation" in main_text(kept)
    assert len(second) < len(first) - 10
    assert len(second) <= 10, [query["sql"] for query in second.captured_queries]


def test_the_kept_plan_page_reads_a_constant_number_of_queries(member_client, rated, curator):
    def kept_queries() -> int:
        member_client.get(PLAN)
        with CaptureQueriesContext(connection) as queries:
            assert member_client.get(PLAN).status_code == 200
        return len(queries)

    few = kept_queries()
    for index in range(5):
        make_training(codes=["C-1-01", "C-2-01"], title=f"Formation {index}")
        mentoring.offers_set(user=ProfileFactory().user, codes={"C-1-01", "C-2-01"})
        plans.action_create(user=rated, values={"title": f"Action {index}", "code": "C-1-01"})
    plans.priority_add(user=rated, code="C-1-01")
    assert kept_queries() == few


def test_each_visitor_gets_their_own_csrf_token_in_the_kept_page(rated):
    first = Client(enforce_csrf_checks=True)
    first.force_login(rated)
    first.get(PLAN)  # computes and keeps the page
    second = Client(enforce_csrf_checks=True)
    second.force_login(rated)  # another session: another CSRF secret
    page = second.get(PLAN)
    assert "<csrf-token/>" not in page.text and "csrf-token" not in page.text
    tokens = CSRF_INPUT.findall(page.text)
    assert tokens
    response = second.post(reverse("training:plan_priority_add"), {"code": "C-1-01", "csrfmiddlewaretoken": tokens[0]})
    assert response.status_code == 302
    assert list(DevelopmentPlan.objects.get(user=rated).priorities.values_list("code", flat=True)) == ["C-1-01"]


def test_a_self_assessment_saved_shows_at_once(member_client, rated, version):
    assert "C-1-01" in [card.get("id")[len("ecart-") :] for card in select(member_client.get(PLAN), "#plan-gaps > li")]
    self_assessment_save(user=rated, version=version, ratings={"C-1-01": (3, False, "")})
    page = member_client.get(PLAN)
    assert [card.get("id") for card in select(page, "#plan-gaps > li")] == ["ecart-C-2-01"]
    assert "C-1-01 Compétence 1.1 : votre niveau 3, niveau attendu 3" in text_of(select(page, "#plan-levels-desc")[0])


def test_a_training_published_or_archived_shows_at_once(member_client, rated, curator):
    assert "Aucune formation du catalogue" in gap_text(member_client.get(PLAN))
    training = make_training(codes=["C-1-01"], title="Conduire un débat public")
    assert "Conduire un débat public" in gap_text(member_client.get(PLAN))
    training_services.training_archive(training_id=training.pk, actor=curator)
    assert "Conduire un débat public" not in gap_text(member_client.get(PLAN))


def test_a_resource_published_in_the_toolbox_shows_at_once(member_client, rated, curator):
    member_client.get(PLAN)
    make_resource(
        UserFactory(), title="Fiche méthode débat", links=[("competence", "C-1-01", "")], published_by=curator
    )
    assert "Fiche méthode débat" in gap_text(member_client.get(PLAN))


def test_an_offer_of_help_and_its_withdrawal_show_at_once(member_client, rated):
    helper = ProfileFactory(display_name="Olivier Offre").user
    assert "Personne pour l'instant" in gap_text(member_client.get(PLAN))
    mentoring.offers_set(user=helper, codes={"C-1-01"})
    assert "Olivier Offre" in gap_text(member_client.get(PLAN))
    mentoring.offers_stop(user=helper)
    assert "Olivier Offre" not in gap_text(member_client.get(PLAN))


def test_a_peer_who_stops_sharing_their_levels_or_renames_leaves_at_once(member_client, rated, version):
    found = peer("Hélène Haut", version=version)
    assert "Hélène Haut" in gap_text(member_client.get(PLAN))
    profile = found.profile
    profile.display_name = "Hélène Martin"
    profile.save()
    text = gap_text(member_client.get(PLAN))
    assert "Hélène Martin" in text and "Hélène Haut" not in text
    assignment = assessment_sharing_set(user=found, in_directory=False)
    assert not assignment.in_directory
    assert "Hélène Martin" not in gap_text(member_client.get(PLAN))


def test_plan_edits_show_at_once(member_client, rated):
    member_client.get(PLAN)
    member_client.post(reverse("training:plan_priority_add"), {"code": "C-1-01", "note": "Pour le conseil"})
    page = member_client.get(PLAN)
    assert "Pour le conseil" in text_of(select(page, "#plan-priorities")[0])
    action = plans.action_create(user=rated, values={"title": "Lire le guide d'animation", "code": "C-1-01"})
    assert "Lire le guide d'animation" in text_of(select(member_client.get(PLAN), "#plan-open-actions")[0])
    member_client.post(reverse("training:plan_action_status", args=[action.pk]), {"status": ActionStatus.DONE})
    page = member_client.get(PLAN)
    assert select(page, "#plan-open-actions") == []
    assert "Lire le guide d'animation" in text_of(select(page, "#plan-closed-actions")[0])
    member_client.post(reverse("training:plan_sharing"), {"shared_with_team": "on"})
    assert "Lisible par l'équipe CNCD" in unescape(member_client.get(PLAN).text)


def test_a_new_published_version_of_the_common_fiche_shows_at_once(member_client, rated, fiche):
    version_published(fiche, "v1")
    page = member_client.get(PLAN)
    assert "la fiche de poste commune, version v1" in main_text(page)
    _revise(fiche, "C-1-01 : niveau 1 — Compétence 1.1\nC-1-02 : niveau 2\nC-2-01 : niveau 2")
    version_published(fiche, "v2")
    page = member_client.get(PLAN)
    assert "la fiche de poste commune, version v2" in main_text(page)
    assert [card.get("id") for card in select(page, "#plan-gaps > li")] == ["ecart-C-2-01"]


def test_a_new_version_of_the_referentiel_shows_at_once(member_client, rated, version, curator):
    links = [a.get("href") for a in select(member_client.get(PLAN), "#plan-levels-table a")]
    assert links and all("/v1.0/" in href for href in links)
    draft = draft_create_from(source=version, label="v2.0", actor=curator)
    assert "/v1.0/" in select(member_client.get(PLAN), "#plan-levels-table a")[0].get("href")  # a draft: kept
    framework_publish(draft=draft, summary="Nouvelle version", actor=curator)
    links = [a.get("href") for a in select(member_client.get(PLAN), "#plan-levels-table a")]
    assert links and all("/v2.0/" in href for href in links)


def test_the_first_publication_of_the_referentiel_shows_at_once(member_client, curator):
    assert "Aucune version du référentiel" in main_text(member_client.get(PLAN))
    draft = draft_create_from_data(data=small_data("v1.0"), label="v1.0", actor=curator)
    framework_publish(draft=draft, summary="Première version", actor=curator)
    page = member_client.get(PLAN)
    assert "Aucune version du référentiel" not in main_text(page)
    assert select(page, "#plan-start")  # the way to the self-assessment


def _revise(fiche, body):
    """The common fiche's competences section edited by the team."""
    section = Section.objects.get(fiche=fiche, kind=SectionKind.COMPETENCES)
    fiche_services.section_edit(
        section_id=section.pk,
        base_revision_id=section.current_revision_id,
        body=body,
        summary="Niveaux revus",
        actor=UserFactory(curator=True),
    )


def test_an_erased_peer_leaves_the_actions_that_named_them(member_client, rated):
    other = ProfileFactory(display_name="Paul Pair").user
    plan, _created = DevelopmentPlan.objects.get_or_create(user=rated)
    PlanAction.objects.create(plan=plan, title="Échanger", kind="pair", peer=other, status=ActionStatus.PLANNED)
    assert "Paul Pair" in main_text(member_client.get(PLAN))
    plans.actions_erase(other)
    assert "Paul Pair" not in main_text(member_client.get(PLAN))


# The training needs --------------------------------------------------------------------------------------------


@pytest.fixture
def network(version, fiche):
    """10 counted technicians below on C-1-01."""
    needs_forget()
    council = CouncilFactory(departments=["35"])
    for _index in range(10):
        profile = ProfileFactory(council=council, category="A")
        SelfAssessment.objects.create(user=profile.user, code="C-1-01", level=1, version=version)
        SelfAssessment.objects.create(user=profile.user, code="C-1-02", level=3, version=version)
        AssessmentSharing.objects.create(user=profile.user, in_directory=True)
    yield council
    needs_forget()


def test_the_needs_tables_are_rendered_once_per_snapshot(curator_client, network):
    curator_client.get(NEEDS)  # counts, keeps the figures
    with CaptureQueriesContext(connection) as first:
        computed = curator_client.get(NEEDS)
    with CaptureQueriesContext(connection) as second:
        kept = curator_client.get(NEEDS)
    assert main_html(computed) == main_html(kept)
    assert len(second) < len(first)
    filtered = curator_client.get(NEEDS, {"category": "B"})
    assert "Moins de 5 membres correspondent" in main_text(filtered)
    assert "Moins de 5 membres correspondent" not in main_text(curator_client.get(NEEDS))


def test_the_needs_fragment_for_htmx_comes_from_the_kept_tables(curator_client, network):
    curator_client.get(NEEDS)
    curator_client.get(NEEDS)
    fragment = curator_client.get(NEEDS, headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<div id="needs-results"')
    assert "<h1" not in fragment.text


def test_a_training_published_changes_the_needs_counts_at_once(curator_client, network):
    curator_client.get(NEEDS)
    curator_client.get(NEEDS)
    make_training(codes=["C-1-01"], title="Animer")
    make_training(codes=["C-1-01"], title="Animer encore")
    link = select(curator_client.get(NEEDS), f"a[href='{reverse('training:catalogue')}?competence=C-1-01']")[0]
    assert "2 formations" in text_of(link)


def test_new_figures_show_once_the_snapshot_is_counted_again(curator_client, network, version):
    assert "10 membres" in main_text(curator_client.get(NEEDS))
    profile = ProfileFactory(council=network, category="A")
    SelfAssessment.objects.create(user=profile.user, code="C-1-01", level=1, version=version)
    AssessmentSharing.objects.create(user=profile.user, in_directory=True)
    assert "10 membres" in main_text(curator_client.get(NEEDS))  # the figures are kept a few minutes
    needs_forget()
    assert "11 membres" in main_text(curator_client.get(NEEDS))


# The expected levels -------------------------------------------------------------------------------------------


def test_the_expected_levels_of_a_published_version_are_parsed_once(version, fiche):
    version_published(fiche, "v1")
    first = expected_levels()
    with CaptureQueriesContext(connection) as again:
        assert expected_levels() == first
    assert first.levels == {"C-1-01": 3, "C-1-02": 2, "C-2-01": 2} and first.source == "v1"
    assert not any("fiches_versionentry" in query["sql"] for query in again.captured_queries)
    _revise(fiche, "C-1-01 : niveau 4")
    assert expected_levels() == first  # the published version still says so
    version_published(fiche, "v2")
    assert expected_levels().levels == {"C-1-01": 4} and expected_levels().source == "v2"


def test_the_text_being_written_is_read_each_time(version, fiche):
    assert expected_levels().source == ""
    _revise(fiche, "C-1-01 : niveau 1")
    assert expected_levels().levels == {"C-1-01": 1}


# Generations ---------------------------------------------------------------------------------------------------


def test_a_generation_is_bumped_at_once_and_again_on_commit(django_capture_on_commit_callbacks):
    stamp, _value = generations.cached("test:entry", [generations.CATALOGUE])
    generations.store("test:entry", stamp, "kept", 60)
    assert generations.cached("test:entry", [generations.CATALOGUE]) == (stamp, "kept")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        generations.bump(generations.CATALOGUE)
        after_bump, value = generations.cached("test:entry", [generations.CATALOGUE])
        assert value is None and after_bump != stamp
    assert len(callbacks) == 1
    assert generations.cached("test:entry", [generations.CATALOGUE])[0] != after_bump


def test_changes_with_no_reading_in_between_write_the_generation_once(member):
    generations.cached("test:entry", [generations.NETWORK])
    generations.bump(generations.NETWORK)
    with CaptureQueriesContext(connection) as again:
        generations.bump(generations.NETWORK)
        SelfAssessment.objects.none()  # nothing read in between
    assert len(again) == 0
    generations.cached("test:entry", [generations.NETWORK])
    with CaptureQueriesContext(connection) as after_reading:
        generations.bump(generations.NETWORK)
    assert len(after_reading) > 0


def test_a_generation_gone_from_the_cache_comes_back_new(member):
    stamp, _value = generations.cached("test:entry", [generations.plan_of(member.pk)])
    generations.store("test:entry", stamp, "kept", 60)
    cache.delete(core_generations.PREFIX + generations.plan_of(member.pk))
    assert generations.cached("test:entry", [generations.plan_of(member.pk)])[1] is None
