"""The guard of the personal data registry (core.personal_data): nothing about a person is held undeclared.

Every model of the project's apps (and allauth's email addresses and authenticators) that points to an
account, or has a field that looks like an email address or a person's name, must be covered by a
declared kind (exported and erased with the person's data) or exempted with a reason. A new model
that forgets it fails here, naming the model and the field.
"""

import dataclasses
import json
import re
from pathlib import Path

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from django.test.utils import isolate_apps
from django.utils import translation
from django.utils.functional import Promise

from competences.models import FrameworkVersion, SelfAssessment
from core.personal_data import (
    personal_data_covered_models,
    personal_data_kinds,
    personal_data_register,
)
from fiches import services as fiche_services
from fiches.models import Fiche, Notification, Section
from members.models import User
from missions.models import MissionDeclaration
from tests.fiches.factories import fiche_with_sections, suggestion_on, version_published
from tests.members.factories import ProfileFactory, UserFactory
from tests.referentiel.factories import build_version

PROJECT_ROOT = Path(settings.BASE_DIR).resolve()
THIRD_PARTY_MODELS = (EmailAddress, Authenticator)
TEXTS = ("label", "description", "source", "purpose", "legal_basis", "retention", "recipients")

# Words before "_name" that do not name a person (a stored file, a queue): anything else is suspect.
NOT_A_PERSON = {"file", "download", "queue", "backend", "task", "app", "model", "table", "template", "storage"}
PERSON_NAMES = {"name", "username", "surname", "nickname", "firstname", "lastname", "fullname", "nom", "prenom"}


def _project_models() -> list[type[models.Model]]:
    """The models of the apps that live in the project (not in the virtualenv), then allauth's two."""
    found = []
    for config in apps.get_app_configs():
        path = Path(config.path).resolve()
        if path.is_relative_to(PROJECT_ROOT) and ".venv" not in path.relative_to(PROJECT_ROOT).parts:
            found.extend(config.get_models())
    return found + [model for model in THIRD_PARTY_MODELS if model not in found]


def _points_to_an_account(field) -> bool:
    target = field.related_model
    label = target if isinstance(target, str) else target._meta.label if target else ""
    return label.lower() == settings.AUTH_USER_MODEL.lower()


def _looks_like_an_address(field) -> bool:
    if isinstance(field, models.EmailField):
        return True
    words = field.name.lower().split("_")
    # A choice (an email preference) or a date (sent on) is not an address.
    is_text = isinstance(field, models.CharField | models.TextField) and not field.choices
    return is_text and any(word in {"email", "mail", "courriel"} for word in words)


def _looks_like_a_name(field) -> bool:
    if not isinstance(field, models.CharField | models.TextField) or field.choices:
        return False
    name = field.name.lower()
    if name in PERSON_NAMES:
        return True
    before, _sep, last = name.rpartition("_")
    return last == "name" and before.rsplit("_", 1)[-1] not in NOT_A_PERSON


def personal_fields(model) -> list[tuple[str, str]]:
    """The fields of `model` that make it personal: (field name, why)."""
    found = []
    for field in model._meta.get_fields():
        if field.auto_created and not field.concrete:
            continue  # a reverse relation: the model it comes from is checked on its own
        if field.is_relation and (field.many_to_one or field.one_to_one or field.many_to_many):
            if _points_to_an_account(field):
                found.append((field.name, "relation vers un compte"))
        elif field.concrete and _looks_like_an_address(field):
            found.append((field.name, "adresse e-mail"))
        elif field.concrete and _looks_like_a_name(field):
            found.append((field.name, "nom de personne"))
    return found


def uncovered(model_list, covered) -> list[str]:
    """`app.Model.field (why)` for each personal field of a model neither declared nor exempted."""
    return [
        f"{model._meta.label}.{name} ({why})"
        for model in model_list
        if model not in covered
        for name, why in personal_fields(model)
    ]


# The guard ----------------------------------------------------------------------------------------


def test_every_model_holding_personal_data_is_declared():
    missing = uncovered(_project_models(), personal_data_covered_models())
    assert not missing, (
        "Modèles qui gardent des données sur une personne sans être déclarés dans le registre "
        "(core.personal_data : un PersonalDataKind dans <app>/personal_data.py, ou personal_data_exempt "
        "avec la raison) :\n" + "\n".join(missing)
    )


def test_the_walk_sees_the_project_apps_and_allauth():
    walked = {model._meta.label for model in _project_models()}
    assert {
        "members.User",
        "core.AuditEntry",
        "competences.SelfAssessment",
        "missions.MissionDeclaration",
        "fiches.Suggestion",
        "account.EmailAddress",
        "mfa.Authenticator",
    } <= walked
    assert "auth.Group" not in walked and "sessions.Session" not in walked


def test_the_guard_reports_an_undeclared_relation_to_an_account():
    assert uncovered([SelfAssessment, Fiche, Section], covered={}) == [
        "competences.SelfAssessment.user (relation vers un compte)"
    ]
    assert uncovered([FrameworkVersion], covered={}) == [
        "competences.FrameworkVersion.created_by (relation vers un compte)"
    ]
    assert uncovered([SelfAssessment], covered={SelfAssessment: "competences-auto-evaluation"}) == []


@isolate_apps("tests")
def test_the_guard_reports_fields_that_hold_an_address_or_a_name():
    class Contact(models.Model):
        contact_email = models.CharField(max_length=200)
        address = models.EmailField()
        first_name = models.CharField(max_length=100)
        author_name = models.CharField(max_length=100)
        # Not about a person: a stored file, an email preference, a date.
        file_name = models.CharField(max_length=100)
        email_mode = models.CharField(max_length=10, choices=[("digest", "Récapitulatif")])
        emailed_at = models.DateTimeField(null=True)
        title = models.CharField(max_length=100)

        class Meta:
            app_label = "tests"

        def __str__(self):
            return self.first_name

    assert uncovered([Contact], covered={}) == [
        "tests.Contact.contact_email (adresse e-mail)",
        "tests.Contact.address (adresse e-mail)",
        "tests.Contact.first_name (nom de personne)",
        "tests.Contact.author_name (nom de personne)",
    ]
    assert uncovered([Contact], covered={Contact: "exempté pour le test"}) == []


# The declarations ---------------------------------------------------------------------------------


def test_every_kind_is_described_in_french_through_gettext():
    kinds = personal_data_kinds()
    assert len(kinds) >= 10
    with translation.override("fr"):
        for kind in kinds:
            for name in TEXTS:
                text = getattr(kind, name)
                assert isinstance(text, Promise), f"{kind.key}.{name} doit passer par gettext_lazy"
                assert str(text).strip(), f"{kind.key}.{name} est vide"
            # The register of processing names the article of the RGPD the processing rests on.
            assert re.search(r"RGPD, articles? \d", str(kind.legal_basis)), kind.key


def test_keys_are_unique_and_safe_as_file_names():
    keys = [kind.key for kind in personal_data_kinds()]
    assert len(keys) == len({key.lower() for key in keys})
    for key in keys:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", key), key
        assert len(key) <= 60, key


def test_a_key_cannot_be_declared_twice_for_different_data():
    kind = personal_data_kinds()[0]
    other = dataclasses.replace(kind, export=lambda user: [])
    with pytest.raises(ValueError, match="declared twice"):
        personal_data_register(other)
    personal_data_register(kind)  # the same declaration again (a second ready()) is fine


# A person without data ----------------------------------------------------------------------------


@pytest.fixture
def someone_else(db):
    """Another member with data in every app: erasing a person without data must leave it all."""
    person = UserFactory()
    ProfileFactory(user=person)
    version = build_version()
    SelfAssessment.objects.create(user=person, code="C-1-01", level=2, evidence="Mon exemple", version=version)
    MissionDeclaration.objects.create(user=person, mission_code="M1", time_share=40)
    fiche = fiche_with_sections(2)
    section = fiche.sections.first()
    suggestion = suggestion_on(section, author=person)
    supporter = UserFactory()
    fiche_services.suggestion_support(suggestion_id=suggestion.pk, user=supporter)
    comment = fiche_services.comment_create(suggestion_id=suggestion.pk, author=supporter, body="D'accord.")
    fiche_services.comment_report(comment_id=comment.pk, reporter=person, reason="Hors sujet")
    fiche_services.follow_set(user=person, target=fiche, following=True)
    Notification.objects.create(recipient=person, message="Nouveau", url="/")
    version_published(fiche, "v1.0")
    fiche_services.personal_fiche_create(owner=person, fiche=fiche, job_title="Chargée de mission")
    return person


def _snapshot() -> dict[str, list[dict]]:
    """Every row of every model walked, as stored."""
    return {model._meta.label: list(model._default_manager.order_by("pk").values()) for model in _project_models()}


def _covers_the_account(kind) -> bool:
    return User in kind.models


def test_the_export_of_a_person_without_data_is_empty(someone_else):
    nobody = User.objects.create_user(email="sans-donnees@example.org", password="x" * 12)
    for kind in personal_data_kinds():
        rows = kind.export(nobody)
        assert isinstance(rows, list), kind.key
        json.dumps(rows, cls=DjangoJSONEncoder)
        if not _covers_the_account(kind):
            assert rows == [], kind.key


def test_erasing_a_person_without_data_changes_nothing(someone_else, django_capture_on_commit_callbacks):
    nobody = User.objects.create_user(email="sans-donnees@example.org", password="x" * 12)
    before = _snapshot()
    for kind in personal_data_kinds():
        if _covers_the_account(kind):
            continue  # the account itself is anonymised: tested with the members' declarations
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            kind.erase(nobody)
        assert _snapshot() == before, kind.key
