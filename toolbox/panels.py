"""What the toolbox shows on the pages of the apps below it (core.panels): a référentiel item's resources,
resources to progress on the self-assessment, a member's contributions on their profile."""

from urllib.parse import urlencode

from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from competences.models import Competence, FrameworkVersion
from core.home import HomeBlock, HomeLink
from core.panels import panel_register
from fiches.selectors import expected_levels
from members.enums import Credit
from toolbox.follows import follow_button
from toolbox.models import Resource, ResourceLink, ToolboxFollow
from toolbox.services import resource_url

ITEM_SHOWN = 5  # resources listed on a référentiel item's page
GAP_SHOWN = 3  # resources suggested per competence below the expected level
CONTRIBUTIONS_SHOWN = 10

# The kind of référentiel item the page shows → the catalogue's filter for it (None: the catalogue has none).
CATALOGUE_FILTERS = {"competence": "competence", "mission": "mission", "activity": None}


def catalogue_url(**params) -> str:
    """The catalogue's address, narrowed by `params` (its French parameter names: competence, mission, nature)."""
    url = reverse("toolbox:catalogue")
    params = {name: value for name, value in params.items() if value}
    return f"{url}?{urlencode(params)}" if params else url


def is_member(user) -> bool:
    """An approved account: who may follow, mark and comment."""
    return bool(user is not None and user.is_authenticated and user.is_approved)


def readable(user):
    """The published resources `user` may read (public ones only for visitors and pending accounts)."""
    return Resource.objects.visible_to(user).published()


def _note(resource: Resource) -> str:
    note = resource.get_kind_display()
    if resource.useful_count:
        useful = ngettext("utile pour %(count)s membre", "utile pour %(count)s membres", resource.useful_count) % {
            "count": resource.useful_count
        }
        note = f"{note} · {useful}"
    return str(note)


def _resource_link(resource: Resource) -> HomeLink:
    return HomeLink(resource.title, resource_url(resource), _note(resource))


# A référentiel item's page -------------------------------------------------------------------


EMPTY_TEXTS = {  # the kind of item → what its block says when no resource is linked to it yet
    "competence": gettext_lazy("Aucune ressource de la boîte à outils n'aide encore à pratiquer cette compétence."),
    "mission": gettext_lazy("Aucune ressource de la boîte à outils n'est encore liée à cette mission."),
    "activity": gettext_lazy("Aucune ressource de la boîte à outils n'est encore liée à cette activité."),
}


def item_resources(user, *, code: str, kind: str = "competence", **subject) -> HomeBlock | None:
    """Up to 5 published resources linked to the item's code, most useful first; members may follow the item."""
    resources = (
        readable(user)
        .filter(links__code=code)
        .only("pk", "title", "kind", "useful_count", "published_at")
        .order_by("-useful_count", "-published_at", "-pk")
    )
    shown = list(resources[:ITEM_SHOWN])
    count = len(shown) if len(shown) < ITEM_SHOWN else resources.count()
    member = is_member(user)
    if not shown and not member:
        return None
    block = HomeBlock(
        f"toolbox-{kind}",
        _("Ressources de la boîte à outils"),
        [_resource_link(resource) for resource in shown],
        text="" if shown else str(EMPTY_TEXTS.get(kind, EMPTY_TEXTS["competence"])),
    )
    catalogue_filter = CATALOGUE_FILTERS.get(kind)
    if shown and catalogue_filter:
        block.more_url = catalogue_url(**{catalogue_filter: code})
        block.more_text = ngettext(
            "Voir %(count)s ressource dans la boîte à outils",
            "Voir les %(count)s ressources dans la boîte à outils",
            count,
        ) % {"count": count}
    elif not shown:
        block.more_url = reverse("toolbox:create")
        block.more_text = _("Proposer une ressource")
    if member:
        following = ToolboxFollow.objects.filter(user=user, kind="", code=code).exists()
        block.include = "toolbox/includes/follow_button.html"
        block.context = follow_button(code=code, item_kind=kind, following=following)
    return block


# The self-assessment -------------------------------------------------------------------------


def progress_resources(user, *, ratings: dict[str, int], **subject) -> HomeBlock | None:
    """For each competence rated below the level the common fiche expects, up to 3 resources to progress."""
    expected = expected_levels()
    if expected is None or not ratings:
        return None
    gaps = {
        code: (ratings[code], level)
        for code, level in expected.levels.items()
        if ratings.get(code) is not None and ratings[code] < level
    }
    if not gaps:
        return None
    version = FrameworkVersion.objects.current()
    competences = (
        {c.code: c for c in Competence.objects.of(version).filter(code__in=list(gaps)).only("code", "title", "order")}
        if version is not None
        else {}
    )
    # The 3 most useful per code, in one query whatever the number of gaps.
    links = (
        ResourceLink.objects.filter(code__in=list(gaps), resource__in=readable(user))
        .select_related("resource")
        .annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("code"),
                order_by=[F("resource__useful_count").desc(), F("resource__published_at").desc(), F("resource").desc()],
            )
        )
        .filter(rank__lte=GAP_SHOWN)
        .order_by("code", "rank")
    )
    by_code: dict[str, list[HomeLink]] = {}
    titles: dict[str, str] = {}
    for link in links:
        by_code.setdefault(link.code, []).append(_resource_link(link.resource))
        titles.setdefault(link.code, link.title)
    rows = []
    for code, (rated, level) in gaps.items():
        competence = competences.get(code)
        rows.append(
            {
                "code": code,
                "title": competence.title if competence else titles.get(code, ""),
                "rated": rated,
                "expected": level,
                "url": reverse("referentiel:competence", args=[version.label, code]) if competence else "",
                "resources": by_code.get(code, []),
                "more_url": catalogue_url(competence=code),
            }
        )
    rows.sort(key=lambda row: (competences[row["code"]].order if row["code"] in competences else 0, row["code"]))
    return HomeBlock(
        "toolbox-progress",
        _("Pour progresser"),
        text=_(
            "Sur ces compétences, vous vous situez sous le niveau qu'attend la fiche de poste commune%(source)s. "
            "Des ressources de la boîte à outils peuvent vous aider."
        )
        % {"source": _(" (version %(label)s)") % {"label": expected.source} if expected.source else ""},
        include="toolbox/includes/progress_panel.html",
        context={"rows": rows},
    )


# A member's profile --------------------------------------------------------------------------


def _named_in_full(member) -> bool:
    """True when the member chose to be named in full on their contributions (else the list would name them)."""
    profile = getattr(member, "profile", None)
    return profile is not None and profile.credit == Credit.FULL_NAME and not member.erased_at


def member_contributions(user, *, member, **subject) -> HomeBlock | None:
    """The member's published resources (as author or co-author) that the viewer may read.

    Listed for others only when the member chose to be named in full where their contributions show: with
    initials or no name, the list would tie their name to their resources. They always see their own.
    """
    own = user is not None and user.is_authenticated and user.pk == member.pk
    if not own and not _named_in_full(member):
        return None
    resources = (
        readable(user)
        .filter(pk__in=Resource.objects.authored_by(member).values("pk"))
        .only("pk", "title", "kind", "useful_count", "published_at")
        .order_by("-published_at", "-pk")
    )
    shown = list(resources[:CONTRIBUTIONS_SHOWN])
    if not shown:
        return None
    count = len(shown) if len(shown) < CONTRIBUTIONS_SHOWN else resources.count()
    text = ""
    if count > len(shown):
        text = _("%(count)s ressources publiées ; les plus récentes :") % {"count": count}
    if own and not _named_in_full(member):
        text = _(
            "Vous seul·e voyez cette liste : elle ne s'affiche sur votre profil que si vous choisissez d'être "
            "nommé·e en entier sur vos contributions."
        )
    return HomeBlock(
        "toolbox-contributions",
        _("Contributions à la boîte à outils"),
        [HomeLink(r.title, resource_url(r), r.get_kind_display(), when=r.published_at) for r in shown],
        text=text,
    )


def register() -> None:
    panel_register("referentiel.competence", order=50)(item_resources)
    panel_register("referentiel.self_assessment", order=50)(progress_resources)
    panel_register("members.profile", order=50)(member_contributions)
