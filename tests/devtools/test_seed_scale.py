"""seed_scale at a small size: the counts asked for, data the models' rules accept, pages that still answer."""

import itertools
import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Count

from competences.enums import FrameworkStatus
from competences.models import FrameworkVersion, SelfAssessment
from devtools.scale import (
    LONG_FICHE_SLUG,
    LONG_SECTION_KEY,
    NEW_LABEL,
    OLD_LABEL,
    SCALE_EMAIL_DOMAIN,
    _framework_data,
    time_actions,
)
from fiches.enums import RevisionSource, SuggestionStatus
from fiches.models import COMMON_FICHE_SLUG, FicheVersion, Revision, Section, Suggestion
from members.enums import AccountStatus
from members.models import Profile, User
from missions.models import MissionDeclaration
from referentiel.framework import framework_check, framework_snapshot

pytestmark = pytest.mark.django_db

SMALL = {"members": 30, "competences": 40, "revisions": 50, "suggestions": 20, "long_words": 300, "resources": 60}
SMALL |= {"council_pages": 30, "works": 120}
SMALL |= {"exchange_questions": 40, "exchange_answers": 120}


@pytest.fixture
def scale_data(db):
    call_command("seed_demo", stdout=StringIO())
    output = StringIO()
    call_command("seed_scale", **SMALL, stdout=output)
    return output.getvalue()


def test_writes_the_counts_asked_for(scale_data):
    assert "Données à l'échelle prêtes" in scale_data
    users = User.objects.filter(email__endswith="@" + SCALE_EMAIL_DOMAIN)
    assert users.count() == 30
    assert Profile.objects.filter(user__in=users).count() == 30
    assert users.filter(status=AccountStatus.APPROVED).exists()
    assert SelfAssessment.objects.filter(user__in=users).exists()
    assert MissionDeclaration.objects.filter(user__in=users).exists()
    common = Revision.objects.filter(section__fiche__slug=COMMON_FICHE_SLUG)
    assert common.exclude(author__isnull=True).filter(source__in=[RevisionSource.EDIT, RevisionSource.SUGGESTION])
    generated = common.filter(source__in=[RevisionSource.EDIT, RevisionSource.SUGGESTION]).count()
    assert generated >= 50
    scale_suggestions = Suggestion.objects.filter(section__fiche__slug=COMMON_FICHE_SLUG).exclude(
        pk__in=Suggestion.objects.filter(author__email__endswith="@demo.codev-reseau.fr").values("pk")
    )
    assert scale_suggestions.count() == 20


def test_one_published_framework_of_the_size_asked_for(scale_data):
    published = FrameworkVersion.objects.get(status=FrameworkStatus.PUBLISHED)
    assert published.label == NEW_LABEL
    assert published.competence_set.count() == 40
    assert set(FrameworkVersion.objects.filter(label__in=["v1.0", OLD_LABEL]).values_list("status", flat=True)) == {
        FrameworkStatus.ARCHIVED
    }
    # The demo draft is untouched, and both new versions pass the checks a publication runs.
    assert FrameworkVersion.objects.get(label="v2.0").status == FrameworkStatus.DRAFT
    for label in (OLD_LABEL, NEW_LABEL):
        assert framework_check(framework_snapshot(FrameworkVersion.objects.get(label=label))) == []
    # Every demo code is still there, so the fiche's structured sections and the demo ratings resolve.
    assert published.competence_set.filter(code="C-ANI-01").exists()
    rated = SelfAssessment.objects.filter(version=published).values_list("code", flat=True)
    assert set(rated) <= set(published.competence_set.values_list("code", flat=True))


def test_revisions_are_numbered_and_chained(scale_data):
    for section in Section.objects.filter(fiche__slug=COMMON_FICHE_SLUG):
        revisions = list(section.revisions.order_by("number"))
        assert [r.number for r in revisions] == list(range(1, len(revisions) + 1))
        assert revisions[0].parent_id is None
        for before, after in itertools.pairwise(revisions):
            assert after.parent_id == before.pk
        section.refresh_from_db()
        assert section.current_revision_id == revisions[-1].pk


def test_accepted_suggestions_became_revisions(scale_data):
    accepted = Suggestion.objects.filter(status=SuggestionStatus.ACCEPTED, author__email__endswith=SCALE_EMAIL_DOMAIN)
    assert accepted.exists()
    for suggestion in accepted:
        revision = Revision.objects.get(suggestion=suggestion)
        assert revision.source == RevisionSource.SUGGESTION
        assert revision.body == suggestion.body
        assert revision.parent_id == suggestion.base_revision_id
    counts = Suggestion.objects.values("status").annotate(n=Count("pk"))
    assert {row["status"] for row in counts} >= {SuggestionStatus.OPEN, SuggestionStatus.ACCEPTED}


def test_long_section_and_published_versions(scale_data):
    section = Section.objects.get(fiche__slug=LONG_FICHE_SLUG, key=LONG_SECTION_KEY)
    first, second = section.revisions.order_by("number")
    assert len(first.body.split()) == 300
    assert second.parent_id == first.pk and second.body != first.body
    assert FicheVersion.objects.filter(fiche__slug=LONG_FICHE_SLUG).count() == 2
    assert FicheVersion.objects.filter(fiche__slug=COMMON_FICHE_SLUG, label="v2.0-echelle").exists()


def test_second_run_changes_nothing(scale_data):
    before = User.objects.count(), Revision.objects.count(), Suggestion.objects.count()
    output = StringIO()
    call_command("seed_scale", **SMALL, stdout=output)
    assert "déjà chargées" in output.getvalue()
    assert (User.objects.count(), Revision.objects.count(), Suggestion.objects.count()) == before


def test_same_seed_same_framework():
    first = _framework_data(random.Random(7), 60, "v9.0")
    second = _framework_data(random.Random(7), 60, "v9.0")
    assert first.comparable() == second.comparable()
    assert len(first.competences) == 60


def test_key_pages_answer_with_the_data(scale_data, client):
    technician = User.objects.get(email="technicienne@demo.codev-reseau.fr")
    curator = User.objects.get(email="equipe@demo.codev-reseau.fr")
    scale_member = Profile.objects.filter(
        user__email__endswith=SCALE_EMAIL_DOMAIN, user__status=AccountStatus.APPROVED
    ).first()
    long_section = Section.objects.get(fiche__slug=LONG_FICHE_SLUG, key=LONG_SECTION_KEY)
    anonymous_pages = [
        "/",
        "/referentiel/",
        f"/referentiel/{NEW_LABEL}/competences/",
        "/referentiel/rechercher/?q=concertation",
        f"/referentiel/comparer/?de={OLD_LABEL}&a={NEW_LABEL}",
        f"/fiches/{COMMON_FICHE_SLUG}/",
        f"/fiches/{LONG_FICHE_SLUG}/versions/comparer/?de=v1.0&a=v2.0",
    ]
    for path in anonymous_pages:
        assert client.get(path).status_code == 200, path
    client.force_login(technician)
    member_pages = [
        "/membres/annuaire/",
        "/membres/annuaire/?q=pays",
        f"/membres/{scale_member.user_id}/",
        f"/fiches/{COMMON_FICHE_SLUG}/",
        f"/fiches/{COMMON_FICHE_SLUG}/historique/",
        f"/fiches/{LONG_FICHE_SLUG}/sections/{long_section.pk}/comparer/?de=1&a=2",
    ]
    for path in member_pages:
        assert client.get(path).status_code == 200, path
    response = client.get(f"/referentiel/{NEW_LABEL}/competences/")
    assert "C-CON-001" in response.content.decode()
    client.force_login(curator)
    assert client.get("/chiffres/reseau/").status_code == 200


def test_toolbox_resources(scale_data, client):
    from toolbox.enums import ResourceStatus
    from toolbox.models import Resource
    from toolbox.search import search

    resources = Resource.objects.filter(owner__email__endswith="@" + SCALE_EMAIL_DOMAIN)  # beside the demo's
    assert resources.count() == 60
    assert set(resources.values_list("kind", flat=True)) == {"methode", "retour", "trame", "outil", "externe"}
    published = resources.filter(status=ResourceStatus.PUBLISHED)
    assert published.exists()
    assert published.filter(revision_count=1).count() == published.count()
    assert resources.exclude(search_text="").count() == 60
    assert resources.filter(region__isnull=False).exists()
    # Search finds the generated words (a title word of every method).
    method = published.filter(kind="methode").first()
    assert method in search(published, method.title.split()[0])
    assert client.get("/boite-a-outils/").status_code == 200
    assert client.get("/boite-a-outils/?q=concertation&nature=methode").status_code == 200


def test_exchange_posts(scale_data, client):
    from django.db.models import Count, Q

    from exchange.models import Answer, Question, Space

    questions = Question.objects.filter(author__email__endswith="@" + SCALE_EMAIL_DOMAIN)
    assert questions.count() == 40
    assert abs(Answer.objects.filter(question__in=questions).count() - 120) <= 40
    assert questions.filter(accepted_answer__isnull=False).exists()
    assert not questions.filter(search_text="").exists()
    counted = questions.annotate(visible=Count("answers", filter=Q(answers__hidden_at__isnull=True)))
    assert all(question.answer_count == question.visible for question in counted)
    space = Space.objects.order_by("-question_count").first()
    assert space.question_count == space.questions.filter(hidden_at__isnull=True).count()
    client.force_login(User.objects.get(email="technicienne@demo.codev-reseau.fr"))
    assert client.get(space.get_absolute_url()).status_code == 200
    assert client.get(questions.first().get_absolute_url()).status_code == 200
    assert client.get("/entraide/recherche/?q=convention").status_code == 200


def test_timed_actions_run_on_the_data(scale_data):
    results = {row["action"]: row for row in time_actions(repeat=1)}
    assert any(name.startswith("word_diff") for name in results)
    assert {"export csv", "export xlsx", "export case", "export moodle"} <= {name.split(" (")[0] for name in results}
    assert {"import case with preview", "import moodle with preview"} <= {name.split(" (")[0] for name in results}
    assert any(name.startswith("toolbox search") for name in results)
    # The import is rolled back: the demo draft is still the only one.
    assert list(FrameworkVersion.objects.drafts().values_list("label", flat=True)) == ["v2.0"]


def test_showcase_pages_and_works(scale_data, client):
    from showcase.models import CouncilPage, Work

    # 30 more published pages (validated councils without one first: some of the demo's, then the scale's).
    assert CouncilPage.objects.published().count() >= 30
    assert CouncilPage.objects.published().filter(council__name__endswith="(échelle)").exists()
    works = Work.objects.published().filter(title__endswith=")")
    assert works.count() == 120
    assert works.filter(search_text="").count() == 0
    assert works.filter(region__isnull=True).count() == 0
    assert works.filter(themes__isnull=False).distinct().count() == 120
    assert sum(CouncilPage.objects.values_list("work_count", flat=True)) >= 120
    for path in ("/vitrine/carte/", "/vitrine/chiffres/", "/vitrine/travaux/?q=mobilite"):
        assert client.get(path).status_code == 200, path
