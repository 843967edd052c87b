"""Campaigns through the HTTP layer: dates, anonymity locked, open/close/reopen/delete, invitations, reminders."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from core.models import AuditEntry
from surveys import campaigns
from surveys.enums import CampaignStatus, ParticipationStatus
from surveys.models import Campaign, Participation
from tests.html import main_text
from tests.members.factories import UserFactory
from tests.surveys.factories import make_campaign, make_questionnaire, make_response

pytestmark = pytest.mark.django_db

FORMAT = "%Y-%m-%dT%H:%M"


def _local(value) -> str:
    return timezone.localtime(value).strftime(FORMAT)


def _form(**overrides) -> dict:
    now = timezone.now()
    data = {
        "title": "Enquête 2027",
        "opens_at": _local(now - timedelta(hours=1)),
        "closes_at": _local(now + timedelta(days=30)),
        "anonymous": "True",
        "publication_note": "Les résultats agrégés, jamais un groupe de moins de 5 personnes.",
    }
    data.update(overrides)
    return data


@pytest.fixture
def questionnaire(curator):
    return make_questionnaire(created_by=curator)


def _draft(questionnaire, **fields):
    return make_campaign(questionnaire, status=CampaignStatus.DRAFT, **fields)


def test_create_a_campaign_in_preparation(curator_client, questionnaire, curator):
    response = curator_client.post(reverse("surveys:campaign_create", args=[questionnaire.pk]), _form())
    campaign = Campaign.objects.get()
    assert response["Location"] == campaign.get_absolute_url()
    assert campaign.status == CampaignStatus.DRAFT and campaign.anonymous and campaign.created_by == curator
    page = main_text(curator_client.get(campaign.get_absolute_url()))
    assert "En préparation" in page and "Ouvrir la campagne" in page and "heure de Paris" in page


def test_dates_are_typed_at_paris_time(curator_client, questionnaire):
    curator_client.post(
        reverse("surveys:campaign_create", args=[questionnaire.pk]),
        _form(opens_at="2030-01-15T09:00", closes_at="2030-07-15T18:00"),
    )
    campaign = Campaign.objects.get()
    assert campaign.opens_at.isoformat() == "2030-01-15T08:00:00+00:00"  # winter: UTC+1
    assert campaign.closes_at.isoformat() == "2030-07-15T16:00:00+00:00"  # summer: UTC+2


def test_close_must_come_after_open(curator_client, questionnaire):
    response = curator_client.post(
        reverse("surveys:campaign_create", args=[questionnaire.pk]),
        _form(opens_at="2030-02-01T09:00", closes_at="2030-01-01T09:00"),
    )
    assert response.status_code == 200 and "La clôture doit venir après l'ouverture." in main_text(response)
    assert not Campaign.objects.exists()


def test_publication_note_is_required_and_bounded(curator_client, questionnaire):
    url = reverse("surveys:campaign_create", args=[questionnaire.pk])
    assert curator_client.post(url, _form(publication_note="")).status_code == 200
    response = curator_client.post(url, _form(publication_note="x" * 2001))
    assert response.status_code == 200 and "2000 caractères" in main_text(response)
    assert not Campaign.objects.exists()


def test_edit_detects_a_conflict(curator_client, questionnaire):
    campaign = _draft(questionnaire)
    url = reverse("surveys:campaign_edit", args=[campaign.pk])
    curator_client.post(url, _form(title="Premier", lock_version=0))
    response = curator_client.post(url, _form(title="Second", lock_version=0))
    assert "Conflit de modification" in main_text(response)
    campaign.refresh_from_db()
    assert campaign.title == "Premier"


def test_anonymity_locked_once_anyone_took_part(curator_client, questionnaire, member):
    campaign = make_campaign(questionnaire, anonymous=True)
    Participation.objects.create(campaign=campaign, user=member)
    url = reverse("surveys:campaign_edit", args=[campaign.pk])
    page = main_text(curator_client.get(url))
    assert "ne peut plus changer" in page
    curator_client.post(
        url,
        _form(
            anonymous="False",
            lock_version=campaign.lock_version,
            opens_at=_local(campaign.opens_at),
            closes_at=_local(campaign.closes_at),
        ),
    )
    campaign.refresh_from_db()
    assert campaign.anonymous is True  # the disabled field ignores what was posted
    with pytest.raises(campaigns.CampaignError):
        campaigns.campaign_update(
            campaign_id=campaign.pk,
            actor=None,
            values={**_values(campaign), "anonymous": False},
            lock_version=None,
        )


def _values(campaign):
    return {name: getattr(campaign, name) for name in campaigns.CAMPAIGN_FIELDS}


def test_anonymity_can_change_before_anyone_took_part(curator_client, questionnaire):
    campaign = _draft(questionnaire)
    curator_client.post(reverse("surveys:campaign_edit", args=[campaign.pk]), _form(anonymous="False", lock_version=0))
    campaign.refresh_from_db()
    assert campaign.anonymous is False


def test_open_now_invites_every_approved_member_once(
    curator_client, questionnaire, member, other_member, pending_user, django_capture_on_commit_callbacks
):
    inactive = UserFactory()
    inactive.is_active = False
    inactive.save()
    campaign = _draft(questionnaire)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = curator_client.post(reverse("surveys:campaign_open", args=[campaign.pk]), follow=True)
    assert "les invitations partent" in main_text(response)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.OPEN and campaign.invitations_sent_at is not None
    recipients = sorted(address for message in mail.outbox for address in message.to)
    approved = sorted(user.email for user in (member, other_member, campaign.created_by or member) if user.is_approved)
    assert member.email in recipients and other_member.email in recipients
    assert pending_user.email not in recipients and inactive.email not in recipients
    assert len(recipients) == len(set(recipients))  # one e-mail per member
    assert set(approved) <= set(recipients)
    assert "Enquête 2026" in mail.outbox[0].subject
    assert "anonymes" in mail.outbox[0].body
    # Never twice.
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert campaigns.invitations_send(campaign_id=campaign.pk) == 0
    assert mail.outbox == []
    entry = AuditEntry.objects.get(action="surveys.campaign.invitations_sent")
    assert entry.data["count"] == len(recipients)


def test_programmed_campaign_is_invited_by_the_daily_round(
    curator_client, questionnaire, member, django_capture_on_commit_callbacks
):
    now = timezone.now()
    campaign = _draft(questionnaire, opens_at=now + timedelta(days=2), closes_at=now + timedelta(days=30))
    with django_capture_on_commit_callbacks(execute=True):
        response = curator_client.post(reverse("surveys:campaign_open", args=[campaign.pk]), follow=True)
    assert "programmée" in main_text(response)
    campaign.refresh_from_db()
    assert campaign.invitations_sent_at is None and mail.outbox == []
    assert campaigns.campaign_phase(campaign) == "scheduled"
    with django_capture_on_commit_callbacks(execute=True):
        campaigns.daily_round(now=now + timedelta(days=1))
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        counts = campaigns.daily_round(now=now + timedelta(days=2, minutes=1))
    assert counts["invitations"] >= 1 and member.email in [m.to[0] for m in mail.outbox]


def test_open_refused_without_questions_or_after_the_close(curator_client, curator):
    empty = make_questionnaire(title="Vide")
    empty.sections.all().delete()
    campaign = _draft(empty)
    response = curator_client.post(reverse("surveys:campaign_open", args=[campaign.pk]), follow=True)
    assert "aucune question" in main_text(response)
    past = _draft(make_questionnaire(), opens_at=timezone.now() - timedelta(days=9), closes_at=timezone.now())
    response = curator_client.post(reverse("surveys:campaign_open", args=[past.pk]), follow=True)
    assert "date de clôture est passée" in main_text(response)


def test_close_early_then_reopen_until_the_date(curator_client, questionnaire):
    campaign = make_campaign(questionnaire)
    curator_client.post(reverse("surveys:campaign_close", args=[campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED
    assert AuditEntry.objects.get(action="surveys.campaign.closed").data == {"early": True}
    page = main_text(curator_client.get(campaign.get_absolute_url()))
    assert "Rouvrir jusqu'à la date de clôture" in page
    curator_client.post(reverse("surveys:campaign_reopen", args=[campaign.pk]))
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.OPEN


def test_no_reopening_after_the_close_date(curator_client, questionnaire):
    campaign = make_campaign(questionnaire, open_now=False)
    response = curator_client.post(reverse("surveys:campaign_reopen", args=[campaign.pk]), follow=True)
    assert "ne se rouvre pas" in main_text(response)
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED


def test_delete_only_a_draft_without_participation(curator_client, questionnaire, member):
    draft = _draft(questionnaire)
    assert curator_client.get(reverse("surveys:campaign_delete", args=[draft.pk])).status_code == 200
    curator_client.post(reverse("surveys:campaign_delete", args=[draft.pk]))
    assert not Campaign.objects.filter(pk=draft.pk).exists()
    opened = make_campaign(questionnaire)
    response = curator_client.post(reverse("surveys:campaign_delete", args=[opened.pk]), follow=True)
    assert "Seule une campagne en préparation" in main_text(response)
    assert Campaign.objects.filter(pk=opened.pk).exists()


def test_reminders_once_and_only_to_members_who_have_not_sent(
    questionnaire, member, other_member, pending_user, django_capture_on_commit_callbacks, settings
):
    settings.SURVEYS_REMINDER_DAYS_BEFORE_CLOSE = 7
    now = timezone.now()
    campaign = make_campaign(questionnaire, closes_at=now + timedelta(days=5), invitations_sent_at=now)
    sender = UserFactory()
    Participation.objects.create(campaign=campaign, user=sender, status=ParticipationStatus.SUBMITTED)
    Participation.objects.create(campaign=campaign, user=member, status=ParticipationStatus.STARTED)
    make_response(campaign, {"ia": "non"})
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("surveys_send_reminders")
    recipients = [address for message in mail.outbox for address in message.to]
    assert member.email in recipients and other_member.email in recipients
    assert sender.email not in recipients and pending_user.email not in recipients
    assert "se termine bientôt" in mail.outbox[0].subject
    campaign.refresh_from_db()
    assert campaign.reminder_sent_at is not None
    assert Participation.objects.get(user=member).reminded_at is not None
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("surveys_send_reminders")
    assert mail.outbox == []


def test_no_reminder_too_early(questionnaire, member, django_capture_on_commit_callbacks, settings):
    settings.SURVEYS_REMINDER_DAYS_BEFORE_CLOSE = 3
    make_campaign(questionnaire, closes_at=timezone.now() + timedelta(days=5), invitations_sent_at=timezone.now())
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert campaigns.daily_round()["reminders"] == 0
    assert mail.outbox == []


def test_daily_round_closes_campaigns_past_their_date(questionnaire):
    campaign = make_campaign(questionnaire, status=CampaignStatus.OPEN, open_now=False)
    assert campaigns.campaign_phase(campaign) == "ended"
    assert campaigns.daily_round()["closed"] == 1
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.CLOSED


def test_anonymous_campaign_page_shows_counts_only(curator_client, questionnaire, member):
    campaign = make_campaign(questionnaire, anonymous=True)
    Participation.objects.create(campaign=campaign, user=member, status=ParticipationStatus.SUBMITTED)
    make_response(campaign, {"ia": "oui"})
    page = main_text(curator_client.get(campaign.get_absolute_url()))
    assert "Réponses envoyées" in page and "ne voit que des nombres" in page
    assert member.display_name not in page and member.email not in page


def test_attributed_campaign_page_names_who_sent(curator_client, questionnaire, member):
    campaign = make_campaign(questionnaire, anonymous=False)
    Participation.objects.create(campaign=campaign, user=member, status=ParticipationStatus.SUBMITTED)
    make_response(campaign, {"ia": "oui"}, respondent=member)
    page = main_text(curator_client.get(campaign.get_absolute_url()))
    assert "voit qui a envoyé" in page
    assert (member.display_name or member.email) in page


def test_campaign_pages_are_for_curators_only(client, member, questionnaire):
    campaign = make_campaign(questionnaire)
    client.force_login(member)
    assert client.get(campaign.get_absolute_url()).status_code == 403
    assert client.post(reverse("surveys:campaign_close", args=[campaign.pk])).status_code == 403
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.OPEN


def test_campaign_page_queries_do_not_grow_with_respondents(curator_client, questionnaire):
    campaign = make_campaign(questionnaire, anonymous=False)
    url = campaign.get_absolute_url()

    def count():
        curator_client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert curator_client.get(url).status_code == 200
        return len(queries)

    Participation.objects.create(campaign=campaign, user=UserFactory(), status=ParticipationStatus.SUBMITTED)
    few = count()
    for _number in range(5):
        Participation.objects.create(campaign=campaign, user=UserFactory(), status=ParticipationStatus.SUBMITTED)
    assert count() == few


# Home blocks, journal, demo ----------------------------------------------------------------------


def test_team_home_blocks(curator, member, questionnaire):
    from core.home import home_blocks

    make_campaign(questionnaire, title="Bientôt close", closes_at=timezone.now() + timedelta(days=3))
    _draft(questionnaire, title="À ouvrir")
    make_questionnaire(title="Jamais posé")
    blocks = {block.key: block for block in home_blocks("todo", curator)}
    assert [link.text for link in blocks["todo-surveys-closing"].links] == ["Bientôt close"]
    drafts = [link.text for link in blocks["todo-surveys-drafts"].links]
    assert "À ouvrir" in drafts and "Jamais posé" in drafts
    assert not {"todo-surveys-closing", "todo-surveys-drafts"} & {b.key for b in home_blocks("todo", member)}


def test_journal_sentences(curator_client, questionnaire):
    from core.audit_sentences import audit_sentence

    campaign = make_campaign(questionnaire)
    curator_client.post(reverse("surveys:campaign_close", args=[campaign.pk]))
    curator_client.post(reverse("surveys:questionnaire_copy", args=[questionnaire.pk]))
    closed = AuditEntry.objects.get(action="surveys.campaign.closed")
    assert "a clos la campagne « Enquête 2026 » avant sa date" in audit_sentence(closed)
    copied = AuditEntry.objects.get(action="surveys.questionnaire.copied")
    assert "a copié « Enquête sur les pratiques » pour préparer" in audit_sentence(copied)


def test_demo_questionnaire_and_campaigns_and_a_second_run_creates_nothing():
    from io import StringIO

    from surveys import authoring_demo
    from surveys.models import Question, Questionnaire, Response
    from surveys.questions import question_options, question_shown, questionnaire_questions

    call_command("seed_demo", stdout=StringIO())
    counts = (Questionnaire.objects.count(), Question.objects.count(), Response.objects.count())
    call_command("seed_demo", stdout=StringIO())
    assert (Questionnaire.objects.count(), Question.objects.count(), Response.objects.count()) == counts

    questionnaire = Questionnaire.objects.get(title=authoring_demo.TITLE)
    closed = Campaign.objects.get(questionnaire=questionnaire, title="Enquête 2025")
    assert closed.status == CampaignStatus.CLOSED and closed.anonymous
    responses = list(Response.objects.filter(campaign=closed))
    assert len(responses) == authoring_demo.RESPONSES_2025
    assert closed.participations.filter(status=ParticipationStatus.SUBMITTED).count() == len(responses)
    assert all(response.respondent_id is None and response.submitted_at is None for response in responses)
    assert all(response.region_code and response.category in "ABC" for response in responses)
    questions = {question.code: question for question in questionnaire_questions(questionnaire)}
    assert [value for value, _label in question_options(questions["temps-missions"])] == ["M1", "M2", "M3"]
    for response in responses:
        assert sum(response.answers["temps-missions"].values()) == 100
        for code, value in response.answers.items():
            question = questions[code]
            assert question_shown(question, response.answers), code
            allowed = {option for option, _label in question_options(question)}
            if isinstance(value, list):
                assert set(value) <= allowed, code
            elif question.kind in ("choix-unique", "echelle"):
                assert str(value) in allowed, code
    copy = Questionnaire.objects.get(title=authoring_demo.TITLE_2026)
    assert copy.based_on == questionnaire
    opened = Campaign.objects.get(questionnaire=copy, title="Enquête 2026")
    assert opened.is_accepting()
    assert set(questions) < {question.code for question in questionnaire_questions(copy)}
