"""What the training app adds to the personal home and the team's to-do page (core.home).

Each area keeps its own function below, returning (section, order, block function) triples; `register()`
joins them. Sections: see core/home.py and meetings/home.py ("needs", "news", the team's to-do…).
"""

from core.home import home_block_register


def _next_sessions(user):
    """The next sessions of published trainings (two months ahead), as news for members."""
    from datetime import timedelta

    from django.urls import reverse
    from django.utils import timezone
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _

    from core.home import HomeBlock, HomeLink
    from training.enums import TrainingStatus
    from training.models import TrainingSession

    today = timezone.localdate()
    sessions = list(
        TrainingSession.objects.filter(
            training__status=TrainingStatus.PUBLISHED, starts_on__gte=today, starts_on__lte=today + timedelta(days=60)
        )
        .select_related("training")
        .order_by("starts_on", "pk")[:4]
    )
    if not sessions:
        return None
    links = []
    for session in sessions:
        when = date_format(session.starts_on, "j F Y")
        note = f"{when} · {session.place}" if session.place else when
        links.append(HomeLink(session.training.title, session.training.get_absolute_url(), note))
    return HomeBlock(
        "news-training-sessions",
        _("Prochaines sessions de formation"),
        links,
        more_url=reverse("training:catalogue") + "?a_venir=1&tri=prochaine-session",
        more_text=_("Tout le catalogue des formations"),
    )


def _draft_trainings(user):
    """The team's drafts of trainings, waiting to be completed and published."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from core.home import HomeBlock, HomeLink
    from training.enums import TrainingStatus
    from training.models import Training

    if not user.is_curator:
        return None
    drafts = Training.objects.filter(status=TrainingStatus.DRAFT).order_by("-updated_at", "-pk")
    shown = list(drafts[:5])
    if not shown:
        return None
    return HomeBlock(
        "todo-training-drafts",
        _("Formations en brouillon"),
        [HomeLink(training.title, training.get_absolute_url(), training.provider) for training in shown],
        count=len(shown) if len(shown) < 5 else drafts.count(),
        more_url=reverse("training:catalogue") + "?etat=brouillon",
        more_text=_("Tous les brouillons"),
    )


def _catalogue_blocks() -> list:
    return [("news", 60, _next_sessions), ("todo", 60, _draft_trainings)]


PLAN_SHOWN = 4


def plan_actions(user):
    """The member's overdue actions, then the next ones (by target date), from their development plan."""
    from django.urls import reverse
    from django.utils import timezone
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from core.home import HomeBlock, HomeLink
    from training.models import PlanAction

    today = timezone.localdate()
    upcoming = list(
        PlanAction.objects.open()
        .filter(plan__user=user)
        .order_by("target_date", "pk")
        .only("pk", "title", "target_date", "status")[: PLAN_SHOWN + 1]
    )
    if not upcoming:
        return None
    url = reverse("training:plan") + "#actions"
    overdue = [action for action in upcoming if action.target_date and action.target_date < today]
    overdue_count = len(overdue)
    if overdue_count > PLAN_SHOWN:  # more than shown: count them all
        overdue_count = PlanAction.objects.overdue(today).filter(plan__user=user).count()
    links = []
    for action in upcoming[:PLAN_SHOWN]:
        late = action in overdue
        if action.target_date:
            note = _("échéance : %(date)s") % {"date": date_format(action.target_date, "j F Y")}
        else:
            note = _("sans échéance")
        links.append(
            HomeLink(
                action.title,
                reverse("training:plan_action_edit", args=[action.pk]),
                f"{action.get_status_display()} · {note}",
                flag=_("échéance passée") if late else "",
            )
        )
    text = (
        ngettext(
            "%(count)s action de votre plan a dépassé son échéance.",
            "%(count)s actions de votre plan ont dépassé leur échéance.",
            overdue_count,
        )
        % {"count": overdue_count}
        if overdue
        else ""
    )
    return HomeBlock(
        "needs-plan",
        _("Mon plan de développement"),
        links,
        count=overdue_count or None,
        more_url=url,
        more_text=_("Voir mon plan"),
        text=text,
    )


def _plans_blocks() -> list:
    return [("needs", 40, plan_actions)]


def _mentoring_blocks() -> list:
    """Requests waiting for my answer as a mentor, answers to my requests, the newcomer's path."""
    from training.mentoring import home_answers, home_requests_to_answer
    from training.welcome import home_welcome

    return [("needs", 64, home_requests_to_answer), ("news", 64, home_answers), ("progress", 20, home_welcome)]


def _portfolio_blocks() -> list:
    return []


def register() -> None:
    for section, order, block in [
        *_catalogue_blocks(),
        *_plans_blocks(),
        *_mentoring_blocks(),
        *_portfolio_blocks(),
    ]:
        home_block_register(section, order=order)(block)
