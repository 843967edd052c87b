"""The rules the référentiel's models keep themselves: a released version is frozen, codes are unique in a version."""

import pytest
from django.db import IntegrityError, transaction

from competences.enums import FrameworkStatus
from competences.models import Competence, FrameworkVersion, FrozenVersionError
from missions.models import Activity
from tests.referentiel.factories import CompetenceFactory, build_version

pytestmark = pytest.mark.django_db


def test_published_items_refuse_save_and_delete():
    version = build_version()
    competence = Competence.objects.of(version).first()
    competence.title = "Autre intitulé"
    with pytest.raises(FrozenVersionError):
        competence.save()
    with pytest.raises(FrozenVersionError):
        competence.delete()
    with pytest.raises(FrozenVersionError):
        Competence.objects.of(version).update(title="x")
    with pytest.raises(FrozenVersionError):
        Activity.objects.of(version).delete()
    with pytest.raises(FrozenVersionError):
        version.delete()
    with pytest.raises(FrozenVersionError):
        FrameworkVersion.objects.filter(pk=version.pk).delete()
    version.summary = "Réécrit"
    with pytest.raises(FrozenVersionError):
        version.save()
    assert Competence.objects.of(version).filter(title="Autre intitulé").count() == 0


def test_draft_items_can_change():
    draft = build_version(status=FrameworkStatus.DRAFT)
    competence = Competence.objects.of(draft).first()
    competence.title = "Nouvel intitulé"
    competence.save()
    assert Competence.objects.get(pk=competence.pk).title == "Nouvel intitulé"


def test_codes_are_unique_within_a_version_but_reusable_across_versions():
    competence = CompetenceFactory(code="C-ANI-02")
    with pytest.raises(IntegrityError), transaction.atomic():
        CompetenceFactory(code="C-ANI-02", domain=competence.domain)
    # One draft at a time: the first version is published before the next draft is made.
    FrameworkVersion.objects.filter(pk=competence.version_id).update(status=FrameworkStatus.PUBLISHED)
    CompetenceFactory(code="C-ANI-02")  # another version: allowed
