import pytest

from competences.enums import FrameworkStatus
from competences.models import Competence, FrameworkVersion, FrozenVersionError, SelfAssessment
from core.models import AuditEntry
from missions.models import Activity, Mission
from referentiel.framework import framework_snapshot
from referentiel.services import (
    FrameworkError,
    draft_create_from,
    framework_publish,
    item_delete,
    item_move,
    item_save,
    self_assessment_save,
)
from tests.referentiel.factories import build_version, small_data

pytestmark = pytest.mark.django_db


def test_draft_copies_everything_and_publish_archives_previous(curator):
    v1 = build_version()
    draft = draft_create_from(source=v1, label="v2.0", actor=curator)
    assert framework_snapshot(draft).comparable() == framework_snapshot(v1).comparable()
    assert draft.status == FrameworkStatus.DRAFT

    with pytest.raises(FrameworkError):
        framework_publish(draft=draft, summary="  ", actor=curator)
    framework_publish(draft=draft, summary="Deuxième version", actor=curator)
    v1.refresh_from_db()
    draft.refresh_from_db()
    assert v1.status == FrameworkStatus.ARCHIVED
    assert draft.status == FrameworkStatus.PUBLISHED and draft.published_at is not None
    assert FrameworkVersion.objects.current() == draft
    assert AuditEntry.objects.filter(action="competences.framework.published", target_id=str(draft.pk)).exists()
    with pytest.raises(FrozenVersionError):
        framework_publish(draft=draft, summary="Encore", actor=curator)


def test_only_one_draft_and_unique_label(curator):
    v1 = build_version()
    draft_create_from(source=v1, label="v2.0", actor=curator)
    with pytest.raises(FrameworkError, match="brouillon est déjà en cours"):
        draft_create_from(source=v1, label="v3.0", actor=curator)
    with pytest.raises(FrameworkError, match="existe déjà"):
        draft_create_from(source=v1, label="v1.0", actor=curator)


def test_item_save_rejects_duplicate_code_in_draft(curator):
    draft = build_version(status=FrameworkStatus.DRAFT)
    mission = Mission(version=draft, code="M1", title="Doublon")
    with pytest.raises(FrameworkError):
        item_save(item=mission, actor=curator)


def test_item_services_refuse_published_version(curator):
    version = build_version()
    mission = Mission.objects.of(version).first()
    with pytest.raises(FrozenVersionError):
        item_save(item=Mission(version=version, code="M9", title="Nouvelle"), actor=curator)
    with pytest.raises(FrozenVersionError):
        item_move(item=mission, direction="down", actor=curator)


def test_move_and_delete_in_draft(curator):
    draft = build_version(status=FrameworkStatus.DRAFT)
    first, second = Activity.objects.of(draft).filter(mission__code="M1").order_by("order")
    item_move(item=second, direction="up", actor=curator)
    assert list(
        Activity.objects.of(draft).filter(mission__code="M1").order_by("order").values_list("code", flat=True)
    ) == [
        second.code,
        first.code,
    ]
    mission = Mission.objects.get(version=draft, code="M1")
    with pytest.raises(FrameworkError, match="contient encore des activités"):
        item_delete(item=mission, actor=curator)
    item_delete(item=first, actor=curator)
    assert not Activity.objects.filter(pk=first.pk).exists()


def test_ratings_carry_over_by_code_and_replaces(member, curator):
    v1 = build_version()
    self_assessment_save(
        user=member, version=v1, ratings={"C-1-01": (3, False, "Animé 10 séances"), "C-1-02": (None, True, "")}
    )
    draft = draft_create_from(source=v1, label="v2.0", actor=curator)
    old = Competence.objects.get(version=draft, code="C-1-02")
    item_delete(item=old, actor=curator)
    new = Competence(version=draft, domain=old.domain, code="C-1-09", title="Remplaçante", replaces="C-1-02")
    item_save(item=new, actor=curator)
    framework_publish(draft=draft, summary="v2", actor=curator)
    ratings = {r.code: r for r in SelfAssessment.objects.of_user(member)}
    assert ratings["C-1-01"].level == 3
    assert ratings["C-1-09"].not_concerned is True


def test_self_assessment_rejects_unknown_level(member):
    v1 = build_version()
    with pytest.raises(FrameworkError, match="Niveau inconnu"):
        self_assessment_save(user=member, version=v1, ratings={"C-1-01": (7, False, "")})


def test_demo_seed_is_idempotent_and_realistic():
    from referentiel import demo

    demo.seed()
    demo.seed()
    v1 = FrameworkVersion.objects.get(label="v1.0")
    v2 = FrameworkVersion.objects.get(label="v2.0")
    assert v1.status == FrameworkStatus.PUBLISHED and v2.status == FrameworkStatus.DRAFT
    data = framework_snapshot(v1)
    assert len(data.missions) == 3
    assert 15 <= len(data.activities) <= 20
    assert 25 <= len(data.competences) <= 35
    assert [level.label for level in data.scale] == ["Notions", "Application", "Maîtrise", "Expertise"]


def test_small_data_is_valid():
    from referentiel.framework import framework_check

    assert framework_check(small_data()) == []
