"""Home block and référentiel panel of the entraide's spaces area (registered by exchange/home.py and panels.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.home import HomeBlock, HomeLink
from exchange.enums import FollowTarget
from exchange.models import ExchangeFollow, Question

SHOWN = 5


def _is_member(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_approved)


def unanswered_in_my_spaces(user) -> HomeBlock | None:
    """Questions without an answer in the spaces the member joined (not their own), newest first."""
    if not _is_member(user):
        return None
    spaces = ExchangeFollow.objects.filter(user=user, target=FollowTarget.SPACE).values("space_id")
    rows = (
        Question.objects.not_hidden()
        .filter(space_id__in=spaces, answer_count=0, is_discussion=False, locked_at__isnull=True)
        .exclude(author=user)
        .order_by("-created_at", "-pk")
    )
    shown = list(rows.select_related("space")[:SHOWN])
    if not shown:
        return None
    count = len(shown) if len(shown) < SHOWN else rows.count()
    return HomeBlock(
        "exchange-unanswered",
        _("Questions sans réponse dans vos espaces"),
        [
            HomeLink(question.title, question.get_absolute_url(), note=question.space.name, when=question.created_at)
            for question in shown
        ],
        count=count,
        more_url=reverse("exchange:spaces"),
        more_text=_("Voir les espaces de l'entraide"),
    )


def competence_questions(user, *, code: str, kind: str = "competence", **subject) -> HomeBlock | None:
    """The référentiel item's page: questions tagged with its code (members only)."""
    if not _is_member(user):
        return None
    rows = Question.objects.visible_to(user).filter(tags__code=code).order_by("-last_activity_at", "-pk")
    shown = list(rows.select_related("space")[:SHOWN])
    count = len(shown) if len(shown) < SHOWN else rows.count()
    block = HomeBlock(
        f"exchange-{kind}",
        _("Questions de l'entraide"),
        [
            HomeLink(
                question.title,
                question.get_absolute_url(),
                note=ngettext("%(count)s réponse", "%(count)s réponses", question.answer_count)
                % {"count": question.answer_count},
                flag=_("résolue") if question.accepted_answer_id else "",
            )
            for question in shown
        ],
        text="" if shown else _("Aucune question de l'entraide ne porte encore sur cet élément."),
    )
    if shown:
        block.more_url = f"{reverse('exchange:search')}?etiquette={code}"
        block.more_text = ngettext(
            "Voir %(count)s question dans l'entraide", "Voir les %(count)s questions dans l'entraide", count
        ) % {"count": count}
    else:
        block.more_url = reverse("exchange:ask")
        block.more_text = _("Poser une question")
    return block
