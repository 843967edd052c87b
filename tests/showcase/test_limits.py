"""The vitrine's forms refuse bad input with a French message and keep what was typed (tests/core/test_input_limits.py
posts 1 MB to each of them): the team's check of a council page and the masking of a work come back on their page
with the text as typed, and the councils' search says why a too long name is not searched."""

import pytest
from django.urls import reverse

from showcase.enums import PageStatus, WorkStatus
from showcase.forms_councils import SEARCH_LENGTH
from tests.html import main_text
from tests.members.factories import UserFactory
from tests.showcase.factories import CouncilPageFactory
from tests.showcase.works_helpers import published_work

pytestmark = pytest.mark.django_db

TOO_LONG = "Un motif bien trop long. " * 200


@pytest.fixture
def curator(client):
    user = UserFactory(curator=True)
    client.force_login(user)
    return user


def test_a_refused_check_keeps_the_decision_and_the_comment_typed(client, curator):
    page = CouncilPageFactory(status=PageStatus.SUBMITTED)
    response = client.post(
        reverse("showcase:council_check", args=[page.slug]), {"decision": "modifications", "comment": TOO_LONG}
    )
    assert response.status_code == 400
    form = response.context["check_form"]
    assert form.has_error("comment")
    content = response.content.decode()
    assert "Assurez-vous que cette valeur comporte au plus 2000 caractères" in content
    assert TOO_LONG.strip() in main_text(response)  # the comment, as typed, in its text area
    assert form["decision"].value() == "modifications"  # its radio drawn checked
    page.refresh_from_db()
    assert page.status == PageStatus.SUBMITTED and page.check_comment == ""


def test_a_check_refused_by_the_service_keeps_the_decision_with_its_reason(client, curator):
    page = CouncilPageFactory(status=PageStatus.SUBMITTED)
    response = client.post(reverse("showcase:council_check", args=[page.slug]), {"decision": "modifications"})
    assert response.status_code == 400
    assert "Dites aux technicien·nes du conseil ce qu'il faut reprendre." in main_text(response)
    assert response.context["check_form"]["decision"].value() == "modifications"


def test_a_refused_masking_keeps_the_reason_typed(client, curator):
    work = published_work()
    for reason, message in (
        (TOO_LONG, "Assurez-vous que cette valeur comporte au plus 300 caractères"),
        ("", "Indiquez le motif du masquage."),
    ):
        response = client.post(reverse("showcase:work_moderate", args=[work.pk]), {"reason": reason})
        assert response.status_code == 400
        assert response.context["hide_form"].has_error("reason")
        content = response.content.decode()
        assert message in content
        assert f'value="{reason}"' in content
        work.refresh_from_db()
        assert work.status == WorkStatus.PUBLISHED


def test_a_too_long_council_name_is_refused_with_a_french_message(client):
    response = client.get(reverse("showcase:councils"), {"q": "x" * (SEARCH_LENGTH + 1)})
    assert response.status_code == 200
    assert f"Assurez-vous que cette valeur comporte au plus {SEARCH_LENGTH} caractères" in main_text(response)
    assert 'aria-invalid="true" aria-describedby="id_q_error"' in response.content.decode()
