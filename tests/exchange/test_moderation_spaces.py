"""The CNCD team's management of the entraide's spaces (/entraide/equipe/espaces/)."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.audit_sentences import audit_sentence
from core.models import AuditEntry
from exchange import services, spaces_admin
from exchange.enums import SpaceKind
from exchange.models import Space
from tests.exchange.factories import SpaceFactory
from tests.html import content_text
from tests.members.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator():
    return UserFactory(curator=True)


@pytest.fixture
def region_space():
    from members.models import Region

    region, _created = Region.objects.get_or_create(code="53", defaults={"name": "Bretagne"})
    services.region_spaces_ensure()
    return Space.objects.get(region=region)


def test_the_team_creates_a_thematic_space_through_the_form(client, curator):
    client.force_login(curator)
    url = reverse("exchange:team_space_create")
    assert "Créer un espace thématique" in content_text(client.get(url))
    response = client.post(url, {"name": "", "slug": "", "description": "Gardée", "position": 2})
    page = content_text(response)
    assert "Ce champ est obligatoire." in page and "Gardée" in page
    response = client.post(
        url, {"name": "IA et outils numériques", "slug": "", "description": "", "position": 2, "is_active": "on"}
    )
    assert response.status_code == 302
    space = Space.objects.get(slug="ia-et-outils-numeriques")
    assert space.kind == SpaceKind.THEME and space.position == 2 and space.is_active
    assert "a créé l'espace « IA et outils numériques »" in audit_sentence(AuditEntry.objects.get())
    assert "IA et outils numériques" in content_text(client.get(reverse("exchange:team_spaces")))


def test_a_slug_is_unique(curator):
    SpaceFactory(name="Animation", slug="animation")
    with pytest.raises(ValidationError, match="déjà celle d'un autre espace"):
        spaces_admin.space_create(actor=curator, name="Animation")


def test_closing_a_space_refuses_new_questions_and_is_audited(client, curator):
    space = SpaceFactory(name="Communication", slug="communication")
    client.force_login(curator)
    response = client.post(
        reverse("exchange:team_space_edit", args=[space.pk]),
        {"name": "Communication", "slug": "communication", "description": "", "position": 0},
    )
    assert response.status_code == 302
    space.refresh_from_db()
    assert not space.is_active
    assert "a fermé l'espace « Communication »" in audit_sentence(AuditEntry.objects.get())
    with pytest.raises(ValidationError):
        services.question_ask(
            user=UserFactory(), space=space, title="Une question", body="Un texte", is_discussion=False, tags=[]
        )


def test_a_region_s_space_only_changes_its_presentation_and_opening(client, curator, region_space):
    client.force_login(curator)
    url = reverse("exchange:team_space_edit", args=[region_space.pk])
    page = content_text(client.get(url))
    assert "garde son nom et son adresse" in page and 'name="name"' not in page
    response = client.post(url, {"name": "Autre nom", "description": "Les technicien·nes bretons", "is_active": "on"})
    assert response.status_code == 302
    region_space.refresh_from_db()
    assert region_space.name == "Bretagne" and region_space.description == "Les technicien·nes bretons"
    with pytest.raises(ValidationError, match="garde son nom"):
        spaces_admin.space_edit(space_id=region_space.pk, actor=curator, name="Armorique")


def test_members_may_not_manage_spaces(client):
    client.force_login(UserFactory())
    assert client.get(reverse("exchange:team_spaces")).status_code == 403
    assert client.post(reverse("exchange:team_space_create"), {"name": "X", "position": 0}).status_code == 403
    assert not Space.objects.exists()
