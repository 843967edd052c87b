"""A member who signed up through the site is credited like a seeded one, on every surface that names a person:
proposals, comments, history, contributors, activity, notifications (page and e-mail), the team's journal and
the fiche's PDF — always through User.credit_name, never an e-mail address or a blank."""

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from fiches import services
from fiches.models import COMMON_FICHE_SLUG
from fiches.notifications import send_digest
from members.enums import Credit
from members.models import AccountStatus, User
from members.services import profile_get_or_create, user_approve
from tests.fiches.factories import fiche_with_sections, section_rewritten, suggestion_on, version_published
from tests.html import content_text, main_text
from tests.members.factories import UserFactory
from tests.pdf.conftest import Pdf

pytestmark = pytest.mark.django_db

EMAIL = "lea.roux.conseil@example.org"


@pytest.fixture
def signed_up(client, settings):
    """Léa Roux signs up on the site, confirms nothing more, and the CNCD team approves her account."""
    settings.ACCOUNT_EMAIL_VERIFICATION = "none"
    response = client.post(
        reverse("account_signup"),
        {
            "first_name": "Léa",
            "last_name": "Roux",
            "email": EMAIL,
            "password1": "un-mot-de-passe-solide-2026",
            "password2": "un-mot-de-passe-solide-2026",
        },
    )
    assert response.status_code == 302, content_text(response)[:500]
    user = User.objects.get(email=EMAIL)
    assert user.status == AccountStatus.PENDING
    user_approve(user=user, by=UserFactory(curator=True))
    user.refresh_from_db()
    return user


@pytest.fixture
def contributions(signed_up):
    fiche = fiche_with_sections(2)
    first = fiche.sections.order_by("order").first()
    section_rewritten(first, "Texte repris par Léa.", actor=signed_up, summary="Reprise")
    suggestion = suggestion_on(first, author=signed_up, rationale="Plus clair.")
    follower = UserFactory()
    services.follow_set(user=follower, target=suggestion, following=True)
    services.comment_create(suggestion_id=suggestion.pk, author=signed_up, body="Mon avis.")
    version_published(fiche, "v1.0")
    return {"fiche": fiche, "section": first, "suggestion": suggestion, "follower": follower}


def _surfaces(contributions) -> dict[str, str]:
    fiche, section, suggestion = contributions["fiche"], contributions["section"], contributions["suggestion"]
    return {
        "history": reverse("fiches:history", args=[fiche.slug]),
        "section_history": reverse("fiches:section_history", args=[fiche.slug, section.pk]),
        "feed": reverse("fiches:feed", args=[fiche.slug]),
        "section": reverse("fiches:section", args=[fiche.slug, section.pk]),
        "suggestion": reverse("fiches:suggestion", args=[suggestion.pk]),
    }


@pytest.mark.parametrize(("credit", "shown"), [(Credit.FULL_NAME, "Léa Roux"), (Credit.INITIALS, "L. R.")])
def test_a_self_registered_member_is_named_as_chosen_everywhere(signed_up, contributions, credit, shown):
    profile = profile_get_or_create(user=signed_up)  # her profile page creates it, named after her account
    assert profile.display_name == "Léa Roux"
    profile.credit = credit
    profile.save()
    reader = Client()
    reader.force_login(contributions["follower"])
    for name, url in _surfaces(contributions).items():
        text = main_text(reader.get(url))
        assert shown in text, name
        assert EMAIL not in text and "lea.roux.conseil" not in text, name
    # The notification the follower got names her, on the page, on the home and in the e-mail.
    page = main_text(reader.get(reverse("fiches:notifications")))
    assert f"{shown} · Nouveau commentaire" in page
    assert f"{shown} · Nouveau commentaire" in main_text(reader.get(reverse("my_space")))
    mail.outbox.clear()
    follower = contributions["follower"]
    send_digest(user=follower, notifications=list(follower_notifications(follower)))
    assert any(f"{shown} · Nouveau commentaire" in message.body for message in mail.outbox)
    assert all(EMAIL not in message.body for message in mail.outbox)


def follower_notifications(user):
    from fiches.models import Notification

    return Notification.objects.filter(recipient=user).select_related("actor__profile")


def test_the_team_sees_her_full_name_and_the_pdf_credits_her_initials(signed_up, contributions):
    curator = UserFactory(curator=True)
    team = Client()
    team.force_login(curator)
    journal = main_text(team.get(reverse("team_journal")))
    assert "a validé le compte de Léa Roux" in journal
    response = Client().get(reverse("fiches:version_pdf", args=[COMMON_FICHE_SLUG, "v1.0"]))
    pdf = Pdf(b"".join(response.streaming_content) if response.streaming else response.content)
    text = re.sub(r"\s+", " ", pdf.text)
    assert "L. R." in text and "Léa Roux" not in text and EMAIL not in text
