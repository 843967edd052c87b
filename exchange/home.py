"""What the exchange app adds to the personal home and the team's to-do page (core.home).

Each area keeps its own function below, returning (section, order, block function) triples; `register()`
joins them. Sections: see core/home.py.
"""

from core.home import home_block_register


def _spaces_blocks() -> list:
    """Home blocks of the spaces area (spaces and questions, answers, mentions, peers, search)."""
    from exchange.home_spaces import unanswered_in_my_spaces

    return [("needs", 60, unanswered_in_my_spaces)]


def _messages_blocks() -> list:
    """Home blocks of the messages area (private messages, blocks): the conversations with unread messages."""
    from exchange.messaging import home_unread

    return [("needs", 55, home_unread)]


def _moderation_reports(user):
    """The team's to-do: reports of the entraide waiting for a decision (two queries)."""
    if not user.is_curator:
        return None
    from django.urls import reverse
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from core.home import HomeBlock, HomeLink
    from exchange.moderation import open_reports

    count = open_reports().count()
    if not count:
        return None
    links = []
    for report in open_reports()[:5]:
        if report.question_id:
            text = _("Question « %(title)s »") % {"title": report.question.title}
        elif report.answer_id:
            text = _("Réponse à « %(title)s »") % {"title": report.answer.question.title}
        else:
            text = _("Message privé n° %(number)s") % {"number": report.message_id}
        url = reverse("exchange:moderation_report", args=[report.pk])
        links.append(HomeLink(text, url, report.reason, when=report.created_at))
    return HomeBlock(
        "todo-exchange-reports",
        ngettext("Signalement dans l'entraide", "Signalements dans l'entraide", count),
        links,
        count=count,
        more_url=reverse("exchange:moderation"),
        more_text=_("Ouvrir la modération de l'entraide"),
    )


def _moderation_blocks() -> list:
    """Home blocks of the moderation area (reports, hide/restore, lock, move, rate limits)."""
    return [("todo", 65, _moderation_reports)]


def _network_invitations(user):
    """The invitations to answer the member received and has not answered yet (network area)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from core.home import HomeBlock, HomeLink
    from exchange.peers import invitations_waiting

    shown = list(invitations_waiting(user, limit=5))
    if not shown:
        return None
    links = [
        HomeLink(
            invitation.question.title,
            invitation.question.get_absolute_url(),
            _("Vous avez été invité·e à répondre · %(space)s") % {"space": invitation.question.space.name},
            when=invitation.created_at,
        )
        for invitation in shown
    ]
    return HomeBlock(
        "needs-exchange-invitations",
        _("Invitations à répondre dans l'entraide"),
        links,
        count=len(shown),
        more_url=reverse("exchange:spaces"),
        more_text=_("L'entraide"),
    )


# New questions in the member's spaces over this many days (the home keeps no "last visit" of its own).
NETWORK_NEW_DAYS = 7


def _network_new_questions(user):
    """The newest questions of the spaces the member joined, in the last NETWORK_NEW_DAYS days (two queries)."""
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import gettext as _

    from core.home import HomeBlock, HomeLink
    from exchange.follows import followed_space_ids
    from exchange.models import Question

    space_ids = followed_space_ids(user)
    if not space_ids:
        return None
    since = timezone.now() - timedelta(days=NETWORK_NEW_DAYS)
    shown = list(
        Question.objects.not_hidden()
        .filter(space_id__in=space_ids, created_at__gte=since)
        .exclude(author=user)
        .select_related("space")
        .order_by("-created_at", "-pk")[:5]
    )
    if not shown:
        return None
    return HomeBlock(
        "news-exchange-questions",
        _("Nouvelles questions dans mes espaces"),
        [
            HomeLink(question.title, question.get_absolute_url(), question.space.name, when=question.created_at)
            for question in shown
        ],
        more_url=reverse("exchange:follows"),
        more_text=_("Mes abonnements"),
    )


def _network_blocks() -> list:
    """Home blocks of the network area (follows, mentions, peers): invitations to answer, new questions."""
    return [("needs", 60, _network_invitations), ("news", 60, _network_new_questions)]


def register() -> None:
    for section, order, block in [
        *_spaces_blocks(),
        *_messages_blocks(),
        *_moderation_blocks(),
        *_network_blocks(),
    ]:
        home_block_register(section, order=order)(block)
