"""What members adds to the personal home and the team's to-do page (core.home)."""

from datetime import timedelta

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.home import HomeBlock, HomeLink, home_block_register
from members.models import Council, Profile, Region, User
from members.onboarding import onboarding_steps

NEW_PEER_DAYS = 90
SHOWN = 8


def _region_of(user) -> Region | None:
    """The region of the member's council (its first département's), or None."""
    profile = Profile.objects.filter(user=user).select_related("council").first()
    if profile is None or profile.council is None:
        return None
    return Region.objects.filter(departments__councils=profile.council).order_by("code").first()


def new_peers(user) -> HomeBlock | None:
    """Members approved in the last three months whose council is in the member's region (as the directory shows)."""
    region = _region_of(user)
    if region is None:
        return HomeBlock(
            "peers-region",
            _("Dans votre région"),
            text=_("Indiquez votre conseil dans votre profil pour voir les nouveaux pairs de votre région."),
            more_url=reverse("members:profile_edit"),
            more_text=_("Compléter mon profil"),
        )
    since = timezone.now() - timedelta(days=NEW_PEER_DAYS)
    peers = (
        Profile.objects.visible_to(user)
        .in_region(region)
        # Approved since (or, for accounts approved before that date was kept, joined since).
        .filter(
            Q(user__status_changed_at__gte=since)
            | Q(user__status_changed_at__isnull=True, user__date_joined__gte=since)
        )
        .exclude(user=user)
        .select_related("council")
        .order_by("-user__date_joined", "display_name")
    )
    count = peers.count()
    links = [
        HomeLink(profile.display_name, reverse("members:detail", args=[profile.user_id]), profile.council.name)
        for profile in peers[:SHOWN]
        if profile.council is not None
    ]
    return HomeBlock(
        "peers-region",
        _("En %(region)s") % {"region": region.name},
        links,
        text="" if count else _("Personne n'a rejoint le réseau dans votre région ces trois derniers mois."),
        more_url=reverse("members:directory") + f"?region={region.pk}",
        more_text=_("Tous les membres de la région dans l'annuaire"),
    )


def accounts_to_approve(user) -> HomeBlock | None:
    accounts = User.objects.pending().select_related("profile").order_by("date_joined")
    count = accounts.count()
    return HomeBlock(
        "todo-accounts",
        _("Comptes à valider"),
        [
            HomeLink(
                account.display_name or account.email,
                reverse("members:pending_accounts"),
                _("inscrit·e aujourd'hui")
                if not days
                else ngettext("inscrit·e il y a %(days)s jour", "inscrit·e il y a %(days)s jours", days)
                % {"days": days},
                flag=_("en attente depuis plus d'une semaine") if days > 7 else "",
            )
            for account in accounts[:SHOWN]
            for days in [(timezone.now() - account.date_joined).days]
        ],
        count=count,
        more_url=reverse("members:pending_accounts"),
        more_text=_("Valider les comptes"),
    )


def councils_to_validate(user) -> HomeBlock | None:
    councils = Council.objects.pending().order_by("created_at")
    count = councils.count()
    return HomeBlock(
        "todo-councils",
        _("Conseils à vérifier"),
        [HomeLink(council.name, reverse("members:pending_councils")) for council in councils[:SHOWN]],
        count=count,
        more_url=reverse("members:pending_councils"),
        more_text=_("Vérifier les conseils déclarés"),
    )


def onboarding_checklist(user) -> HomeBlock | None:
    """The newcomer's checklist (members.onboarding), at the top of the home until done or hidden."""
    onboarding = onboarding_steps(user)
    if not onboarding.shown:
        return None
    return HomeBlock(
        "start-onboarding", "", include="members/includes/onboarding_home.html", context={"onboarding": onboarding}
    )


def register() -> None:
    home_block_register("start", order=10)(onboarding_checklist)
    home_block_register("peers", order=10)(new_peers)
    home_block_register("todo", order=10)(accounts_to_approve)
    home_block_register("todo", order=20)(councils_to_validate)
