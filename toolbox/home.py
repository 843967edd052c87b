"""What the toolbox adds to the personal home and the team's to-do page (core.home)."""

from datetime import timedelta

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.home import HomeBlock, HomeLink, home_block_register
from toolbox.enums import Audience, ResourceStatus
from toolbox.models import Resource, ResourceComment
from toolbox.panels import catalogue_url, readable
from toolbox.services import resource_url

SHOWN = 8
NEWS_SHOWN = 5
NEWS_DAYS = 30
# A resource submitted longer ago than this is flagged on the team's list: its authors have waited long enough.
STALE_SUBMISSION_DAYS = 14


def _count(shown: list, queryset, limit: int) -> int:
    """The number of rows: the list's length when it is not full, else one more query."""
    return len(shown) if len(shown) < limit else queryset.count()


def resources_to_finish(user) -> HomeBlock | None:
    """The member's resources the team sent back for changes, and their drafts not yet submitted."""
    waiting = (
        Resource.objects.filter(pk__in=Resource.objects.authored_by(user).values("pk"))
        .filter(status__in=[ResourceStatus.CHANGES, ResourceStatus.DRAFT])
        .only("pk", "title", "status", "decided_at", "updated_at")
        .order_by("status", "-updated_at", "-pk")  # "a-reprendre" (changes asked) sorts before "brouillon"
    )
    shown = list(waiting[:SHOWN])
    if not shown:
        return None
    return HomeBlock(
        "needs-toolbox",
        _("Vos ressources à reprendre ou à soumettre"),
        [
            HomeLink(
                resource.title,
                resource_url(resource),
                _("l'équipe CNCD demande des modifications")
                if resource.status == ResourceStatus.CHANGES
                else _("brouillon pas encore soumis à l'équipe CNCD"),
                when=resource.updated_at,
                flag=_("à reprendre") if resource.status == ResourceStatus.CHANGES else "",
            )
            for resource in shown
        ],
        count=_count(shown, waiting, SHOWN),
        more_url=reverse("toolbox:mine"),
        more_text=_("Toutes mes ressources"),
    )


def toolbox_news(user) -> HomeBlock | None:
    """Resources published these 30 days that the member may read, newest first."""
    month = timezone.now() - timedelta(days=NEWS_DAYS)
    recent = (
        readable(user)
        .filter(published_at__gte=month)
        .only("pk", "title", "kind", "published_at")
        .order_by("-published_at", "-pk")
    )
    shown = list(recent[:NEWS_SHOWN])
    if not shown:
        return None
    count = _count(shown, recent, NEWS_SHOWN)
    return HomeBlock(
        "news-toolbox",
        _("Boîte à outils"),
        [
            HomeLink(resource.title, resource_url(resource), resource.get_kind_display(), when=resource.published_at)
            for resource in shown
        ],
        text=ngettext(
            "%(count)s ressource publiée ces 30 derniers jours.",
            "%(count)s ressources publiées ces 30 derniers jours.",
            count,
        )
        % {"count": count},
        more_url=catalogue_url(),
        more_text=_("Parcourir la boîte à outils"),
    )


def resources_to_review(user) -> HomeBlock | None:
    """Resources submitted to the team, oldest first."""
    if not user.is_curator:
        return None
    submitted = (
        Resource.objects.filter(status=ResourceStatus.SUBMITTED)
        .only("pk", "title", "kind", "submitted_at")
        .order_by("submitted_at", "pk")
    )
    shown = list(submitted[:SHOWN])
    stale_before = timezone.now() - timedelta(days=STALE_SUBMISSION_DAYS)
    return HomeBlock(
        "todo-toolbox-submitted",
        _("Ressources à examiner"),
        [
            HomeLink(
                resource.title,
                resource_url(resource),
                resource.get_kind_display(),
                when=resource.submitted_at,
                flag=_("en attente depuis plus de %(days)s jours") % {"days": STALE_SUBMISSION_DAYS}
                if resource.submitted_at and resource.submitted_at < stale_before
                else "",
            )
            for resource in shown
        ],
        count=_count(shown, submitted, SHOWN),
        more_url=reverse("toolbox:review_queue"),
        more_text=_("Ouvrir la file de la boîte à outils"),
    )


def resources_to_open(user) -> HomeBlock | None:
    """Published resources whose authors asked for public access the team has not approved yet."""
    if not user.is_curator:
        return None
    waiting = (
        Resource.objects.published()
        .filter(audience=Audience.PUBLIC, public_approved=False)
        .only("pk", "title", "kind", "published_at")
        .order_by("published_at", "pk")
    )
    shown = list(waiting[:SHOWN])
    count = _count(shown, waiting, SHOWN)
    if not count:
        return None
    return HomeBlock(
        "todo-toolbox-public",
        _("Ressources à ouvrir au public"),
        [
            HomeLink(resource.title, resource_url(resource), _("publiée pour les membres"), when=resource.published_at)
            for resource in shown
        ],
        count=count,
        more_url=reverse("toolbox:review_queue"),
        more_text=_("Ouvrir la file de la boîte à outils"),
    )


def comments_to_moderate(user) -> HomeBlock | None:
    """Comments of the toolbox reported and not yet dealt with (hidden or reports dismissed)."""
    if not user.is_curator:
        return None
    reported = (
        ResourceComment.objects.not_hidden()
        .filter(reports__dismissed_at__isnull=True)
        .annotate(report_count=Count("reports", filter=Q(reports__dismissed_at__isnull=True)))
        .select_related("resource")
        .only("pk", "resource__id", "resource__title")
        .order_by("pk")
    )
    shown = list(reported[:SHOWN])
    count = _count(shown, reported, SHOWN)
    if not count:
        return None
    return HomeBlock(
        "todo-toolbox-reports",
        _("Commentaires signalés dans la boîte à outils"),
        [
            HomeLink(
                _("Commentaire sur « %(title)s »") % {"title": comment.resource.title},
                resource_url(comment.resource) + f"#commentaire-{comment.pk}",
                ngettext("%(count)s signalement", "%(count)s signalements", comment.report_count)
                % {"count": comment.report_count},
            )
            for comment in shown
        ],
        count=count,
        more_url=reverse("toolbox:review_queue"),
        more_text=_("Ouvrir la file de la boîte à outils"),
    )


def register() -> None:
    home_block_register("needs", order=50)(resources_to_finish)
    home_block_register("news", order=50)(toolbox_news)
    home_block_register("todo", order=50)(resources_to_review)
    home_block_register("todo", order=55)(resources_to_open)
    home_block_register("todo", order=60)(comments_to_moderate)
