"""Reads behind the follows: the référentiel items a member follows, named, and what a follow button shows.

A member follows a kind of resource or a référentiel item by its stable code (toolbox.models.ToolboxFollow);
toolbox.services.follow_toggle writes, resource_publish notifies the followers.
"""

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from competences.models import Competence, FrameworkVersion
from missions.models import Activity, Mission
from toolbox.enums import ResourceKind
from toolbox.models import ToolboxFollow

# How the follow button names what it follows, for screen readers ("Suivre cette compétence").
ITEM_TARGETS = {
    "competence": gettext_lazy("cette compétence"),
    "mission": gettext_lazy("cette mission"),
    "activity": gettext_lazy("cette activité"),
}
ITEM_MODELS = {"competence": Competence, "mission": Mission, "activity": Activity}
URL_NAMES = {
    "competence": "referentiel:competence",
    "mission": "referentiel:mission",
    "activity": "referentiel:activity",
}


@dataclass(frozen=True)
class FollowedItem:
    code: str
    kind: str  # "competence", "mission", "activity", or "" for a code no released version holds any more
    title: str
    url: str


def referentiel_items(codes) -> dict[str, FollowedItem]:
    """The items of the référentiel in force named by `codes` (one query per kind of item)."""
    codes = list(codes)
    version = FrameworkVersion.objects.current()
    if not codes or version is None:
        return {}
    items = {}
    for kind, model in ITEM_MODELS.items():
        for code, title in model.objects.of(version).filter(code__in=codes).values_list("code", "title"):
            url = reverse(URL_NAMES[kind], args=[version.label, code])
            items.setdefault(code, FollowedItem(code, kind, title, url))
    return items


def item_exists(code: str) -> bool:
    """True when a released version of the référentiel holds an item of that code."""
    released = FrameworkVersion.objects.released()
    return any(model.objects.filter(version__in=released, code=code).exists() for model in ITEM_MODELS.values())


def follow_button(*, code: str = "", nature: str = "", item_kind: str = "", following: bool, next_url: str = ""):
    """What templates/toolbox/includes/follow_button.html reads (as `block_context`)."""
    if code:
        target = ITEM_TARGETS.get(item_kind) or _("cet élément du référentiel")
        if following:
            help_text = _("Ses nouvelles ressources arrivent dans vos notifications.")
        else:
            help_text = _("Suivez %(target)s pour recevoir ses nouvelles ressources dans vos notifications.") % {
                "target": target
            }
    else:
        target = _("les ressources « %(kind)s »") % {"kind": ResourceKind(nature).label}
        help_text = ""
    return {
        "code": code,
        "nature": nature,
        "following": following,
        "target": str(target),
        "help": help_text,
        "next": next_url,
    }


def item_kind_of(code: str) -> str:
    """The kind of référentiel item `code` names in the latest released version holding it ("" when none)."""
    released = FrameworkVersion.objects.released().order_by("-published_at", "-pk")
    for version in released[:3]:
        for kind, model in ITEM_MODELS.items():
            if model.objects.of(version).filter(code=code).exists():
                return kind
    return ""


def follows_of(user) -> tuple[set[str], list[FollowedItem]]:
    """The kinds `user` follows, and the référentiel items, named by the version in force when it holds them."""
    rows = list(ToolboxFollow.objects.filter(user=user).values_list("kind", "code"))
    kinds = {kind for kind, _code in rows if kind}
    codes = sorted(code for _kind, code in rows if code)
    named = referentiel_items(codes)
    return kinds, [named.get(code) or FollowedItem(code, "", "", "") for code in codes]
