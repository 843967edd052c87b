"""Campaigns (the CNCD team): dates, anonymous or attributed, what is published, opening, closing,
invitations and reminders.

Life of a campaign: created "en préparation" (DRAFT), opened (OPEN: "programmée" while its opening date is
to come, then "ouverte" until its close date), closed (CLOSED) by the team before the date or by the
daily round once the date has passed. A campaign closed early may be reopened while its close date is
still to come. Only a campaign in preparation that nobody took part in can be deleted.

Invitations: once a campaign is open and its opening date has come, one e-mail goes to every approved
member of that moment (a Django task, `core.mail.queue_email`); the campaign records when
(`invitations_sent_at`), never to whom — nothing of who was asked is kept per person. A campaign
programmed for later is invited by the daily round (`surveys_send_reminders`).

Reminders: `SURVEYS_REMINDER_DAYS_BEFORE_CLOSE` days before the close, once per campaign
(`reminder_sent_at`), to the approved members whose participation is not "envoyée". A participation
never points to a response, so this says nothing of what anyone answered.

Anonymity cannot change once anyone took part (a promise made to those who answered).
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.audit import audit_log
from core.concurrency import version_claim
from core.mail import queue_email, site_url
from surveys.enums import CampaignStatus, ParticipationStatus
from surveys.models import Campaign, Participation, Questionnaire, Response

CAMPAIGN_TIME_ZONE = "Europe/Paris"
CAMPAIGN_FIELDS = ("title", "opens_at", "closes_at", "anonymous", "publication_note")
# Users read per query while queuing invitations or reminders.
BATCH_SIZE = 200

# What the team's pages call each moment of a campaign.
PHASE_LABELS = {
    "draft": gettext_lazy("En préparation"),
    "scheduled": gettext_lazy("Programmée"),
    "open": gettext_lazy("Ouverte"),
    "ended": gettext_lazy("Date de clôture passée"),
    "closed": gettext_lazy("Clôturée"),
}


class CampaignError(ValidationError):
    """A change the rules refuse; the message says why (in French)."""


def reminder_days() -> int:
    return settings.SURVEYS_REMINDER_DAYS_BEFORE_CLOSE


def campaign_phase(campaign: Campaign, now=None) -> str:
    """draft, scheduled, open, ended (open but past its close date) or closed."""
    now = now or timezone.now()
    if campaign.status == CampaignStatus.DRAFT:
        return "draft"
    if campaign.status == CampaignStatus.CLOSED:
        return "closed"
    if now < campaign.opens_at:
        return "scheduled"
    if now >= campaign.closes_at:
        return "ended"
    return "open"


def campaign_phase_label(campaign: Campaign, now=None) -> str:
    return str(PHASE_LABELS[campaign_phase(campaign, now)])


def has_participants(campaign: Campaign) -> bool:
    return (
        Participation.objects.filter(campaign=campaign).exists() or Response.objects.filter(campaign=campaign).exists()
    )


def _check_dates(values: dict) -> None:
    opens_at, closes_at = values["opens_at"], values["closes_at"]
    if closes_at <= opens_at:
        raise CampaignError({"closes_at": [_("La clôture doit venir après l'ouverture.")]})


@transaction.atomic
def campaign_create(*, questionnaire_id: int, actor, values: dict) -> Campaign:
    questionnaire = Questionnaire.objects.get(pk=questionnaire_id)
    _check_dates(values)
    campaign = Campaign.objects.create(
        questionnaire=questionnaire,
        created_by=actor,
        status=CampaignStatus.DRAFT,
        **{name: values[name] for name in CAMPAIGN_FIELDS},
    )
    audit_log(
        actor=actor,
        action="surveys.campaign.created",
        target=campaign,
        data={"questionnaire": questionnaire.title, "anonymous": campaign.anonymous},
    )
    return campaign


@transaction.atomic
def campaign_update(*, campaign_id: int, actor, values: dict, lock_version: int | None) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
    version_claim(campaign, expected=lock_version)
    _check_dates(values)
    if values["anonymous"] != campaign.anonymous and has_participants(campaign):
        raise CampaignError(
            {
                "anonymous": [
                    _(
                        "Des membres ont déjà participé en connaissant le caractère anonyme ou nominatif de la "
                        "campagne : il ne peut plus changer."
                    )
                ]
            }
        )
    now = timezone.now()
    if campaign.status == CampaignStatus.OPEN and values["closes_at"] <= now and campaign.closes_at > now:
        raise CampaignError({"closes_at": [_("Pour terminer la campagne maintenant, utilisez « Clore la campagne ».")]})
    changed = [name for name in CAMPAIGN_FIELDS if getattr(campaign, name) != values[name]]
    for name in CAMPAIGN_FIELDS:
        setattr(campaign, name, values[name])
    campaign.save(update_fields=[*CAMPAIGN_FIELDS, "updated_at"])
    audit_log(actor=actor, action="surveys.campaign.edited", target=campaign, data={"fields": changed})
    return campaign


@transaction.atomic
def campaign_open(*, campaign_id: int, actor, now=None) -> Campaign:
    """Open a campaign in preparation (its answers open on its opening date); invitations follow."""
    now = now or timezone.now()
    campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
    if campaign.status != CampaignStatus.DRAFT:
        raise CampaignError(_("Cette campagne n'est plus en préparation."))
    if campaign.closes_at <= now:
        raise CampaignError(_("La date de clôture est passée : changez-la avant d'ouvrir la campagne."))
    if not campaign.questionnaire.sections.filter(questions__isnull=False).exists():
        raise CampaignError(_("Le questionnaire n'a encore aucune question."))
    campaign.status = CampaignStatus.OPEN
    campaign.save(update_fields=["status", "updated_at"])
    scheduled = campaign.opens_at > now
    audit_log(actor=actor, action="surveys.campaign.opened", target=campaign, data={"scheduled": scheduled})
    if not scheduled:
        _enqueue_invitations(campaign)
    return campaign


@transaction.atomic
def campaign_close(*, campaign_id: int, actor, now=None) -> Campaign:
    """Close an open campaign now (before its date, or once the date has passed)."""
    now = now or timezone.now()
    campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
    if campaign.status != CampaignStatus.OPEN:
        raise CampaignError(_("Seule une campagne ouverte peut être close."))
    campaign.status = CampaignStatus.CLOSED
    early = campaign.closes_at > now
    campaign.save(update_fields=["status", "updated_at"])
    audit_log(actor=actor, action="surveys.campaign.closed", target=campaign, data={"early": early})
    return campaign


@transaction.atomic
def campaign_reopen(*, campaign_id: int, actor, now=None) -> Campaign:
    """Reopen a campaign closed early, while its close date is still to come."""
    now = now or timezone.now()
    campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
    if campaign.status != CampaignStatus.CLOSED:
        raise CampaignError(_("Seule une campagne close peut être rouverte."))
    if campaign.closes_at <= now:
        raise CampaignError(
            _(
                "La date de clôture est passée : une campagne close à sa date ne se rouvre pas (les résultats en "
                "dépendent). Créez une nouvelle campagne si besoin."
            )
        )
    if campaign.results_published_at is not None:
        raise CampaignError(_("Les résultats de cette campagne sont publiés : elle ne se rouvre plus."))
    campaign.status = CampaignStatus.OPEN
    campaign.save(update_fields=["status", "updated_at"])
    audit_log(actor=actor, action="surveys.campaign.reopened", target=campaign)
    if campaign.opens_at <= now and campaign.invitations_sent_at is None:
        _enqueue_invitations(campaign)
    return campaign


@transaction.atomic
def campaign_delete(*, campaign_id: int, actor) -> None:
    campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
    if campaign.status != CampaignStatus.DRAFT or has_participants(campaign):
        raise CampaignError(_("Seule une campagne en préparation, sans aucune participation, peut être supprimée."))
    audit_log(actor=actor, action="surveys.campaign.deleted", target=campaign)
    campaign.delete()


# Invitations and reminders -----------------------------------------------------------------------


def _enqueue_invitations(campaign: Campaign) -> None:
    from surveys.tasks import surveys_invitations_send

    transaction.on_commit(lambda: surveys_invitations_send.enqueue(campaign.pk))


def _approved_users():
    return get_user_model().objects.approved().exclude(email="").select_related("profile").order_by("pk")


def _answer_path() -> str:
    """The members' page of the surveys (surveys:home, the answering area's), else the app's root."""
    try:
        return reverse("surveys:home")
    except NoReverseMatch:
        return reverse("surveys:team").replace("equipe/", "")


def _render(template: str, campaign: Campaign, user) -> dict:
    with translation.override(settings.LANGUAGE_CODE), timezone.override(CAMPAIGN_TIME_ZONE):
        context = {
            "campaign": campaign,
            "user": user,
            "answer_url": site_url(_answer_path()),
            "site_url": settings.SITE_URL,
        }
        subject = render_to_string(f"surveys/authoring/email/{template}_subject.txt", context).strip()
        body = render_to_string(f"surveys/authoring/email/{template}_message.txt", context)
    return {"subject": " ".join(subject.split()), "body": body, "to": [user.email]}


def _queue_in_batches(campaign: Campaign, template: str, users) -> int:
    count = 0
    batch: list[dict] = []
    for user in users.iterator(chunk_size=BATCH_SIZE):
        batch.append(_render(template, campaign, user))
        if len(batch) >= BATCH_SIZE:
            _queue_batch(batch)
            count += len(batch)
            batch = []
    if batch:
        _queue_batch(batch)
        count += len(batch)
    return count


def _queue_batch(messages: list[dict]) -> None:
    for message in messages:
        transaction.on_commit(lambda message=message: queue_email(**message))


def invitations_send(*, campaign_id: int, now=None) -> int:
    """Invite every approved member to an open campaign whose opening date has come, once; returns the count."""
    now = now or timezone.now()
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().filter(pk=campaign_id).first()
        if (
            campaign is None
            or campaign.invitations_sent_at is not None
            or campaign.status != CampaignStatus.OPEN
            or campaign.opens_at > now
            or campaign.closes_at <= now
        ):
            return 0
        campaign.invitations_sent_at = now
        campaign.save(update_fields=["invitations_sent_at"])
        count = _queue_in_batches(campaign, "invitation", _approved_users())
        audit_log(actor=None, action="surveys.campaign.invitations_sent", target=campaign, data={"count": count})
    return count


def reminders_send(*, campaign_id: int, now=None) -> int:
    """Remind, once, the approved members who have not sent their answers; returns the count."""
    now = now or timezone.now()
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().filter(pk=campaign_id).first()
        if campaign is None or campaign.reminder_sent_at is not None or not campaign.is_accepting(now):
            return 0
        campaign.reminder_sent_at = now
        campaign.save(update_fields=["reminder_sent_at"])
        senders = Participation.objects.filter(campaign=campaign, status=ParticipationStatus.SUBMITTED).values(
            "user_id"
        )
        users = _approved_users().exclude(pk__in=senders)
        count = _queue_in_batches(campaign, "reminder", users)
        Participation.objects.filter(campaign=campaign).exclude(status=ParticipationStatus.SUBMITTED).update(
            reminded_at=now
        )
        audit_log(actor=None, action="surveys.campaign.reminders_sent", target=campaign, data={"count": count})
    return count


def daily_round(now=None) -> dict:
    """Invite the programmed campaigns whose day has come, remind those closing soon, close those past."""
    now = now or timezone.now()
    invited = reminded = closed = 0
    due_invitations = Campaign.objects.filter(
        status=CampaignStatus.OPEN, invitations_sent_at__isnull=True, opens_at__lte=now, closes_at__gt=now
    ).values_list("pk", flat=True)
    for campaign_id in list(due_invitations):
        invited += invitations_send(campaign_id=campaign_id, now=now)
    due_reminders = Campaign.objects.filter(
        status=CampaignStatus.OPEN,
        reminder_sent_at__isnull=True,
        opens_at__lte=now,
        closes_at__gt=now,
        closes_at__lte=now + timedelta(days=reminder_days()),
    ).values_list("pk", flat=True)
    for campaign_id in list(due_reminders):
        reminded += reminders_send(campaign_id=campaign_id, now=now)
    for campaign_id in list(
        Campaign.objects.filter(status=CampaignStatus.OPEN, closes_at__lte=now).values_list("pk", flat=True)
    ):
        with transaction.atomic():
            campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
            if campaign.status == CampaignStatus.OPEN and campaign.closes_at <= now:
                campaign.status = CampaignStatus.CLOSED
                campaign.save(update_fields=["status", "updated_at"])
                audit_log(actor=None, action="surveys.campaign.closed", target=campaign, data={"early": False})
                closed += 1
    return {"invitations": invited, "reminders": reminded, "closed": closed}


# Figures of the team's page ----------------------------------------------------------------------


def campaign_counts(campaign: Campaign) -> dict:
    """Participations started and sent, the approved members, the response rate (counts only)."""
    from django.db.models import Count, Q

    counts = Participation.objects.filter(campaign=campaign).aggregate(
        started=Count("pk", filter=Q(status=ParticipationStatus.STARTED)),
        sent=Count("pk", filter=Q(status=ParticipationStatus.SUBMITTED)),
    )
    responses = Response.objects.filter(campaign=campaign).count()
    members = get_user_model().objects.approved().count()
    rate = round(100 * responses / members) if members else None
    return {**counts, "responses": responses, "members": members, "rate": rate}
