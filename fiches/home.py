"""What the fiches add to the personal home and the team's to-do page (core.home)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.home import HomeBlock, HomeLink, home_block_register
from fiches.models import COMMON_FICHE_SLUG, Fiche, FicheVersion, Notification, Suggestion
from fiches.selectors import moderation_queue, personal_fiche_of, personal_sections
from fiches.templatetags.fiches_tags import person

SHOWN = 8
# An open proposal older than this is flagged on the team's list: someone has waited long enough.
STALE_PROPOSAL_DAYS = 30


def proposals_to_update(user) -> HomeBlock | None:
    """The member's open proposals written on a text that changed since: to update, or to withdraw."""
    outdated = list(
        Suggestion.objects.outdated().filter(author=user).select_related("section").order_by("-updated_at")[:SHOWN]
    )
    if not outdated:
        return None
    return HomeBlock(
        "needs-proposals",
        _("Vos propositions à mettre à jour"),
        [
            HomeLink(
                f"{suggestion} — {suggestion.section.title}",
                suggestion.get_absolute_url(),
                _("la section a changé depuis que vous l'avez écrite"),
                flag=_("à mettre à jour"),
            )
            for suggestion in outdated
        ],
        count=len(outdated),
    )


def notification_text(notification) -> str:
    """The notification with who did it, named by their credit choice."""
    if notification.actor_id is None:
        return notification.message
    return f"{person(notification.actor)} · {notification.message}"


def unread_notifications(user) -> HomeBlock | None:
    """Replies and decisions on what the member follows: the unread notifications."""
    unread = Notification.objects.for_user(user).unread()
    count = unread.count()
    if not count:
        return None
    return HomeBlock(
        "needs-notifications",
        _("Réponses et décisions"),
        [
            HomeLink(
                f"{person(notification.actor)} · {notification.message}"
                if notification.actor_id
                else notification.message,
                reverse("fiches:notifications"),
                when=notification.created_at,
            )
            for notification in unread.select_related("actor__profile")[:5]
        ],
        count=count,
        more_url=reverse("fiches:notifications"),
        more_text=_("Toutes mes notifications"),
    )


def personal_fiche_behind(user) -> HomeBlock | None:
    """Sections of the common fiche that changed since the member adapted their own fiche."""
    personal_fiche = personal_fiche_of(owner=user)
    if personal_fiche is None:
        return None
    latest = FicheVersion.objects.latest_of(personal_fiche.source)
    behind = [section for section in personal_sections(personal_fiche=personal_fiche, latest=latest) if section.newer]
    if not behind:
        return None
    return HomeBlock(
        "needs-personal-fiche",
        _("Votre fiche : la fiche commune a changé"),
        [
            HomeLink(section.title, reverse("fiches:my_fiche") + f"#ma-section-{section.pk}", _("nouveau texte commun"))
            for section in behind[:SHOWN]
        ],
        count=len(behind),
        more_url=reverse("fiches:my_fiche"),
        more_text=_("Mettre ma fiche à jour"),
    )


def fiche_news(user) -> HomeBlock | None:
    fiche = Fiche.objects.filter(slug=COMMON_FICHE_SLUG).first()
    if fiche is None:
        return None
    links = []
    latest = FicheVersion.objects.latest_of(fiche)
    if latest is not None:
        links.append(
            HomeLink(
                _("Version %(label)s de la fiche publiée") % {"label": latest.label},
                reverse("fiches:version", args=[fiche.slug, latest.label]),
                when=latest.published_at,
            )
        )
    month = timezone.now() - timedelta(days=30)
    accepted = Suggestion.objects.filter(section__fiche=fiche, status="accepted", decided_at__gte=month).count()
    open_count = Suggestion.objects.open().filter(section__fiche=fiche).count()
    return HomeBlock(
        "news-fiche",
        _("Fiche de poste commune"),
        links,
        text=ngettext(
            "%(accepted)s proposition acceptée ces 30 derniers jours",
            "%(accepted)s propositions acceptées ces 30 derniers jours",
            accepted,
        )
        % {"accepted": accepted}
        + ngettext(", %(open)s en discussion.", ", %(open)s en discussion.", open_count) % {"open": open_count},
        more_url=reverse("fiches:index"),
        more_text=_("Lire et discuter la fiche"),
    )


def proposals_to_decide(user) -> HomeBlock | None:
    open_proposals = Suggestion.objects.open().select_related("section", "section__current_revision")
    count = open_proposals.count()
    stale_before = timezone.now() - timedelta(days=STALE_PROPOSAL_DAYS)
    return HomeBlock(
        "todo-proposals",
        _("Propositions à décider"),
        [
            HomeLink(
                f"{suggestion} — {suggestion.section.title}",
                suggestion.get_absolute_url(),
                when=suggestion.created_at,
                flag=(
                    _("en attente depuis plus de %(days)s jours") % {"days": STALE_PROPOSAL_DAYS}
                    if suggestion.created_at < stale_before
                    else _("texte modifié depuis")
                    if suggestion.is_outdated
                    else ""
                ),
            )
            for suggestion in open_proposals.order_by("created_at")[:SHOWN]
        ],
        count=count,
        more_url=reverse("fiches:index"),
        more_text=_("Voir la fiche et ses propositions"),
    )


def reports_to_moderate(user) -> HomeBlock | None:
    queue = moderation_queue()
    count = queue.count()
    return HomeBlock(
        "todo-reports",
        _("Signalements à examiner"),
        [
            HomeLink(
                _("Commentaire sur « %(section)s »") % {"section": comment.suggestion.section.title},
                reverse("fiches:moderation"),
                _("%(count)s signalement(s)") % {"count": comment.report_count},
            )
            for comment in queue[:SHOWN]
        ],
        count=count,
        more_url=reverse("fiches:moderation"),
        more_text=_("Ouvrir la modération"),
    )


def register() -> None:
    home_block_register("needs", order=10)(proposals_to_update)
    home_block_register("needs", order=20)(unread_notifications)
    home_block_register("needs", order=40)(personal_fiche_behind)
    home_block_register("news", order=10)(fiche_news)
    home_block_register("todo", order=30)(proposals_to_decide)
    home_block_register("todo", order=40)(reports_to_moderate)
