"""What the surveys app adds to the personal home and the team's to-do page (core.home).

Each area keeps its own function below, returning (section, order, block function) triples; `register()`
joins them. Sections: see core/home.py and meetings/home.py ("needs", "news", the team's to-do…).
"""

from core.home import home_block_register


def campaigns_closing_soon(user):
    """The team's to-do: open campaigns closing within two weeks, with how many answers were sent."""
    from datetime import timedelta

    from django.db.models import Count
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from core.home import HomeBlock, HomeLink
    from surveys.enums import CampaignStatus
    from surveys.models import Campaign

    if not getattr(user, "is_curator", False):
        return None
    now = timezone.now()
    closing = list(
        Campaign.objects.filter(
            status=CampaignStatus.OPEN, opens_at__lte=now, closes_at__gt=now, closes_at__lte=now + timedelta(days=14)
        )
        .annotate(sent=Count("responses"))
        .order_by("closes_at", "pk")[:5]
    )
    if not closing:
        return None
    links = [
        HomeLink(
            campaign.title,
            campaign.get_absolute_url(),
            ngettext(
                "Clôture le %(date)s · %(count)s réponse envoyée",
                "Clôture le %(date)s · %(count)s réponses envoyées",
                campaign.sent,
            )
            % {"date": date_format(timezone.localtime(campaign.closes_at), "j F Y"), "count": campaign.sent},
            when=campaign.closes_at,
        )
        for campaign in closing
    ]
    return HomeBlock(
        "todo-surveys-closing",
        _("Enquêtes qui se terminent bientôt"),
        links,
        count=len(links),
        more_url=reverse("surveys:team"),
        more_text=_("Toutes les enquêtes"),
    )


def surveys_in_preparation(user):
    """The team's to-do: campaigns in preparation and questionnaires never asked yet."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from core.home import HomeBlock, HomeLink
    from surveys.enums import CampaignStatus
    from surveys.models import Campaign, Questionnaire

    if not getattr(user, "is_curator", False):
        return None
    campaigns = list(
        Campaign.objects.filter(status=CampaignStatus.DRAFT).select_related("questionnaire").order_by("opens_at")[:5]
    )
    questionnaires = list(Questionnaire.objects.filter(campaigns__isnull=True).order_by("-created_at", "-pk")[:5])
    if not campaigns and not questionnaires:
        return None
    links = [
        HomeLink(campaign.title, campaign.get_absolute_url(), campaign.questionnaire.title, flag=_("à ouvrir"))
        for campaign in campaigns
    ] + [
        HomeLink(questionnaire.title, questionnaire.get_absolute_url(), _("Questionnaire sans campagne"))
        for questionnaire in questionnaires
    ]
    return HomeBlock(
        "todo-surveys-drafts",
        _("Enquêtes en préparation"),
        links,
        count=len(links),
        more_url=reverse("surveys:team"),
        more_text=_("Toutes les enquêtes"),
    )


def _authoring_blocks() -> list:
    return [("todo", 80, campaigns_closing_soon), ("todo", 82, surveys_in_preparation)]


def surveys_waiting(user):
    """ "Une enquête attend votre réponse": the open campaigns the member has not sent, with their close date."""
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from core.home import HomeBlock, HomeLink
    from surveys.enums import ParticipationStatus
    from surveys.models import Campaign, Participation

    if not getattr(user, "is_approved", False):
        return None
    sent = Participation.objects.filter(user=user, status=ParticipationStatus.SUBMITTED).values("campaign_id")
    drafts = set(
        Participation.objects.filter(user=user, status=ParticipationStatus.STARTED)
        .exclude(draft={})
        .values_list("campaign_id", flat=True)
    )
    waiting = list(Campaign.objects.accepting().exclude(pk__in=sent).order_by("closes_at", "pk")[:5])
    if not waiting:
        return None
    links = [
        HomeLink(
            campaign.title,
            reverse("surveys:answer", kwargs={"pk": campaign.pk}),
            _("Jusqu'au %(date)s · %(kind)s")
            % {
                "date": date_format(timezone.localtime(campaign.closes_at), "j F Y"),
                "kind": _("anonyme") if campaign.anonymous else _("réponses nominatives"),
            },
            when=campaign.closes_at,
            flag=_("brouillon") if campaign.pk in drafts else "",
        )
        for campaign in waiting
    ]
    return HomeBlock(
        "needs-surveys",
        ngettext("Une enquête attend votre réponse", "Des enquêtes attendent votre réponse", len(links)),
        links,
        count=len(links),
        more_url=reverse("surveys:home"),
        more_text=_("Toutes les enquêtes"),
    )


def _answering_blocks() -> list:
    return [("needs", 40, surveys_waiting)]


def results_to_publish(user):
    """The team's to-do: campaigns closed with at least 5 answers whose results are not published yet."""
    from django.db.models import Count, Q
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from core.figures.disclosure import MIN_GROUP_SIZE
    from core.home import HomeBlock, HomeLink
    from surveys.enums import CampaignStatus
    from surveys.models import Campaign

    if not getattr(user, "is_curator", False):
        return None
    now = timezone.now()
    closed = (
        Campaign.objects.filter(results_published_at__isnull=True)
        .filter(Q(status=CampaignStatus.CLOSED) | Q(status=CampaignStatus.OPEN, closes_at__lte=now))
        .annotate(sent=Count("responses"))
        .filter(sent__gte=MIN_GROUP_SIZE)
        .order_by("-closes_at", "-pk")[:5]
    )
    links = [
        HomeLink(
            campaign.title,
            reverse("surveys:results", kwargs={"pk": campaign.pk}),
            ngettext(
                "Close le %(date)s · %(count)s réponse",
                "Close le %(date)s · %(count)s réponses",
                campaign.sent,
            )
            % {"date": date_format(timezone.localtime(campaign.closes_at), "j F Y"), "count": campaign.sent},
            when=campaign.closes_at,
            flag=_("à publier"),
        )
        for campaign in closed
    ]
    if not links:
        return None
    return HomeBlock("todo-surveys-results", _("Résultats d'enquête à publier"), links, count=len(links))


def results_news(user):
    """News: the results published in the last three months, for everyone who reads the home."""
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    from core.home import HomeBlock, HomeLink
    from surveys.models import Campaign

    recent = (
        Campaign.objects.results_public()
        .filter(results_published_at__gte=timezone.now() - timedelta(days=90))
        .order_by("-results_published_at", "-pk")[:3]
    )
    links = [
        HomeLink(
            _("Résultats de l'enquête « %(title)s »") % {"title": campaign.title},
            reverse("surveys:public_results", kwargs={"pk": campaign.pk}),
            _("Publiés le %(date)s")
            % {"date": date_format(timezone.localtime(campaign.results_published_at), "j F Y")},
            when=campaign.results_published_at,
        )
        for campaign in recent
    ]
    if not links:
        return None
    return HomeBlock(
        "news-surveys-results",
        _("Résultats d'enquête publiés"),
        links,
        more_url=reverse("surveys:home"),
        more_text=_("Toutes les enquêtes"),
    )


def _results_blocks() -> list:
    return [("todo", 84, results_to_publish), ("news", 70, results_news)]


def register() -> None:
    for section, order, block in [
        *_authoring_blocks(),
        *_answering_blocks(),
        *_results_blocks(),
    ]:
        home_block_register(section, order=order)(block)
