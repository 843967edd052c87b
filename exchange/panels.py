"""Panels the exchange app shows on lower apps' pages (core.panels). Each area registers its own below."""


def _spaces_panels() -> None:
    """Register the panels of the spaces area (core.panels.panel_register)."""
    from core.panels import panel_register
    from exchange.home_spaces import competence_questions

    panel_register("referentiel.competence", order=60)(competence_questions)


def _messages_panels() -> None:
    """Register the panels of the messages area (core.panels.panel_register): "Écrire un message" on a profile."""
    from core.panels import panel_register
    from exchange.messaging import profile_panel

    panel_register("members.profile", order=20)(profile_panel)


def _moderation_panels() -> None:
    """Register the panels of the moderation area (core.panels.panel_register)."""


def _network_profile_handle(user, *, member, **subject):
    """On an approved member's profile, for approved viewers: the @handle that mentions them in the entraide."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from core.home import HomeBlock, HomeLink
    from exchange.mentions import handle_of

    if user is None or not user.is_authenticated or not user.is_approved or member is None:
        return None
    handle = handle_of(member.pk)
    if handle is None:
        return None
    return HomeBlock(
        "exchange-mention",
        _("Mentionner dans l'entraide"),
        [HomeLink(_("Trouver l'identifiant d'un autre membre"), reverse("exchange:mention_search"))],
        text=_("Écrivez @%(handle)s dans une question ou une réponse pour l'y mentionner.") % {"handle": handle},
    )


def _network_panels() -> None:
    """Register the panels of the network area (follows, mentions, peers): the @handle on a profile."""
    from core.panels import panel_register

    panel_register("members.profile", order=30)(_network_profile_handle)


def register() -> None:
    _spaces_panels()
    _messages_panels()
    _moderation_panels()
    _network_panels()
