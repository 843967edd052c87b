"""Panels the showcase app shows on lower apps' pages (core.panels). Each area registers its own below."""


def _councils_profile_panel(user, *, member, **subject):
    """On a member's profile: their own choice to appear on their council's page (a small form); for others, a
    link to the council's public page when the member chose to appear on it."""
    from django.utils.translation import gettext as _

    from core.home import HomeBlock, HomeLink
    from showcase import councils
    from showcase.forms_councils import PreferenceForm
    from showcase.models import CouncilPage

    own = user is not None and user.is_authenticated and user.pk == member.pk
    if own:
        if councils.my_council(user) is None:
            return None
        form = PreferenceForm(initial={"appears": councils.preference_of(user)})
        return HomeBlock(
            "showcase-preference",
            _("Vitrine des conseils"),
            include="showcase/includes/preference_panel.html",
            context={"preference_form": form},
        )
    profile = getattr(member, "profile", None)
    if profile is None or profile.council_id is None or not councils.preference_of(member):
        return None
    page = CouncilPage.objects.published().filter(council_id=profile.council_id).select_related("council").first()
    if page is None:
        return None
    return HomeBlock(
        "showcase-council",
        _("Vitrine des conseils"),
        [HomeLink(page.council.name, page.get_absolute_url(), _("page publique du conseil"))],
    )


def _councils_panels() -> None:
    """Register the panels of the councils area (core.panels.panel_register)."""
    from core.panels import panel_register

    panel_register("members.profile", order=60)(_councils_profile_panel)


def _works_item_panel(user, *, code: str, kind: str = "competence", **subject):
    """On a référentiel item's page: the published works of councils that illustrate it (public data)."""
    from django.utils.formats import date_format
    from django.utils.translation import gettext as _
    from django.utils.translation import ngettext

    from core.home import HomeBlock, HomeLink
    from showcase.works import works_for_code

    shown, count = works_for_code(code)
    if not shown:
        return None
    links = [
        HomeLink(
            work.title,
            work.get_absolute_url(),
            f"{work.get_kind_display()} · {work.page.council.name} · {date_format(work.issued_on, 'j F Y')}",
        )
        for work in shown
    ]
    block = HomeBlock("showcase-works", _("Travaux de conseils qui l'illustrent"), links)
    if count > len(shown):
        block.more_url = _works_library_url()
        block.more_text = ngettext(
            "%(count)s travail de conseil l'illustre", "%(count)s travaux de conseils l'illustrent", count
        ) % {"count": count}
    return block


def _works_library_url() -> str:
    from django.urls import reverse

    return reverse("showcase:works")


def _works_panels() -> None:
    """Register the panels of the works area (core.panels.panel_register)."""
    from core.panels import panel_register

    panel_register("referentiel.competence", order=70)(_works_item_panel)

    from showcase.councils import team_queue_block_register
    from showcase.works import team_block

    team_queue_block_register(team_block)


def _figures_panels() -> None:
    """Register the panels of the figures area (core.panels.panel_register)."""


def register() -> None:
    _councils_panels()
    _works_panels()
    _figures_panels()
