"""What missions adds to the personal home (core.home): the missions the member declared."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.home import HomeBlock, home_block_register
from missions.models import MissionDeclaration


def declared_missions(user) -> HomeBlock | None:
    shares = list(MissionDeclaration.objects.of_user(user).values_list("time_share", flat=True))
    if not shares:
        text = _("Vous n'avez pas encore indiqué les missions que vous exercez.")
    else:
        text = ngettext(
            "%(count)s mission déclarée, %(share)s %% de votre temps.",
            "%(count)s missions déclarées, %(share)s %% de votre temps.",
            len(shares),
        ) % {"count": len(shares), "share": sum(share or 0 for share in shares)}
    return HomeBlock(
        "progress-missions",
        _("Mes missions"),
        text=text,
        more_url=reverse("missions:declaration"),
        more_text=_("Déclarer mes missions") if not shares else _("Mettre à jour mes missions"),
    )


def register() -> None:
    home_block_register("progress", order=20)(declared_missions)
