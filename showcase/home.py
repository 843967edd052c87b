"""What the showcase app adds to the personal home and the team's to-do page (core.home).

Each area keeps its own function below, returning (section, order, block function) triples; `register()`
joins them. Sections: see core/home.py.
"""

from core.home import home_block_register


def _councils_pages_to_check(user):
    """The team's to-do: council pages submitted, and published ones edited since their last check."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from core.home import HomeBlock, HomeLink
    from showcase import councils

    if not user.is_curator:
        return None
    submitted = councils.pages_submitted().select_related("council")
    recheck = councils.pages_to_recheck().select_related("council")
    shown_submitted, shown_recheck = list(submitted[:8]), list(recheck[:8])
    count = (len(shown_submitted) if len(shown_submitted) < 8 else submitted.count()) + (
        len(shown_recheck) if len(shown_recheck) < 8 else recheck.count()
    )
    if not count:
        return None
    links = [
        HomeLink(page.council.name, page.get_absolute_url(), _("page soumise"), when=page.submitted_at)
        for page in shown_submitted
    ]
    links += [
        HomeLink(
            page.council.name, page.get_absolute_url(), _("page publiée modifiée, à relire"), when=page.submitted_at
        )
        for page in shown_recheck
    ]
    return HomeBlock(
        "todo-showcase-pages",
        _("Pages de conseils à vérifier (vitrine)"),
        links,
        count=count,
        more_url=reverse("showcase:team"),
        more_text=_("Ouvrir les vérifications de la vitrine"),
    )


def _councils_my_page(user):
    """What needs the technician: their council's page sent back by the team, or still a draft."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from core.home import HomeBlock, HomeLink
    from showcase import councils
    from showcase.enums import PageStatus

    page = councils.my_council_page(user)
    if page is None or page.status not in (PageStatus.CHANGES, PageStatus.DRAFT):
        return None
    changes = page.status == PageStatus.CHANGES
    note = _("l'équipe CNCD demande des modifications") if changes else _("brouillon pas encore soumis")
    return HomeBlock(
        "needs-showcase-page",
        _("La page de votre conseil dans la vitrine"),
        [
            HomeLink(
                page.council.name,
                reverse("showcase:my_page"),
                note,
                when=page.updated_at,
                flag=_("à reprendre") if changes else "",
            )
        ],
    )


def _councils_blocks() -> list:
    """Home blocks of the councils area (council pages, technicians appearing, team check)."""
    return [("todo", 70, _councils_pages_to_check), ("needs", 70, _councils_my_page)]


def _works_news(user):
    """The three newest works of the councils, for every member (news of the network)."""
    from django.urls import reverse
    from django.utils.translation import gettext as _

    from core.home import HomeBlock, HomeLink
    from showcase.models import Work

    shown = list(
        Work.objects.published()
        .select_related("page__council")
        .only("pk", "title", "slug", "page__council__name")
        .order_by("-published_at", "-pk")[:3]
    )
    if not shown:
        return None
    return HomeBlock(
        "showcase-works-news",
        _("Nouveaux travaux des conseils"),
        [HomeLink(work.title, work.get_absolute_url(), work.page.council.name) for work in shown],
        more_url=reverse("showcase:works"),
        more_text=_("Toute la bibliothèque des travaux"),
    )


def _works_blocks() -> list:
    """Home blocks of the works area (works library, follow-ups, documents, search, Atom feed)."""
    return [("news", 60, _works_news)]


def _figures_blocks() -> list:
    """Home blocks of the figures area (map, network figures, exports)."""
    return []


def register() -> None:
    for section, order, block in [
        *_councils_blocks(),
        *_works_blocks(),
        *_figures_blocks(),
    ]:
        home_block_register(section, order=order)(block)
