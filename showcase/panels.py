"""Panels the showcase app shows on lower apps' pages (core.panels). Each area registers its own below."""


def _councils_profile_panel(user, *, member, **subject):
    """On a member's profile: their own choice to appear on their council's page (a small form); for others, a
    link to the council's public page when the member chose to appear on it."""
    from django.utils.translation import gettext as _

    from core.home import HomeBlock, HomeLink
    from showcase import councils
    from showcase.forms_councils import PreferenceForm

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
    if profile is None or profile.council_id is None:
        return None
    link = _council_page_link(member, profile.council_id)
    if link is None:
        return None
    name, url = link
    return HomeBlock(
        "showcase-council", _("Vitrine des conseils"), [HomeLink(name, url, _("page publique du conseil"))]
    )


# What another member's profile shows of the showcase (the public page of their council, when they chose to appear
# on it), kept until their choice or a council page or council changes (`connect`).
PANEL_SECONDS = 600
COUNCIL_PAGES = "showcase:council-pages"


def _preference_generation(user_id) -> str:
    return f"showcase-preference:{user_id}"


def _council_page_link(member, council_id) -> tuple[str, str] | None:
    """(name, address) of the published page of `member`'s council `council_id` when they chose to appear on it."""
    from core.generations import cached, store
    from showcase import councils
    from showcase.models import CouncilPage

    key = f"showcase:profile-council:v1:{member.pk}:{council_id}"
    stamp, link = cached(key, [_preference_generation(member.pk), COUNCIL_PAGES])
    if link is None:
        link = ()  # kept too: "nothing to show"
        if councils.preference_of(member):
            page = CouncilPage.objects.published().filter(council_id=council_id).select_related("council").first()
            if page is not None:
                link = (page.council.name, page.get_absolute_url())
        store(key, stamp, link, PANEL_SECONDS)
    return link or None


def _preference_changed(sender, instance, **kwargs):
    from core.generations import bump

    bump(_preference_generation(instance.user_id))


def _council_pages_changed(sender, instance, **kwargs):
    from core.generations import bump

    bump(COUNCIL_PAGES)


def connect() -> None:
    """Bump the generations on every save or deletion of what profiles keep of the showcase (ShowcaseConfig)."""
    from django.db.models.signals import post_delete, post_save

    from members.models import Council
    from showcase.models import CouncilPage, ShowcasePreference

    for model, receiver in [
        (ShowcasePreference, _preference_changed),
        (CouncilPage, _council_pages_changed),
        (Council, _council_pages_changed),
    ]:
        uid = f"showcase.panels.{model._meta.label_lower}"
        post_save.connect(receiver, sender=model, dispatch_uid=uid)
        post_delete.connect(receiver, sender=model, dispatch_uid=uid)


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
