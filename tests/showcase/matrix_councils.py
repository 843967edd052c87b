"""Authorization matrix rows of the showcase app's councils area (read by tests/core/test_authorization_matrix.py).

The member is a technician of the council whose page is published (`showcase_page`); another council's page is
still a draft (`showcase_draft`): only the team sees it. Editing is for the council's technician·nes and the team;
another member gets a 403 on a published page, a 404 on a draft. The team's queue and themes are for curators.
"""

from tests.core.authorization import (
    FORBIDDEN,
    LOGIN,
    MISSING,
    OK,
    PENDING,
    Case,
    curators,
    members,
    members_post_only,
    public,
    row,
)

PAGE = {"slug": "{showcase_page}"}
DRAFT = {"slug": "{showcase_draft}"}
THEME = {"pk": "{showcase_theme}"}

CASES: dict[str, Case | tuple[Case, ...]] = {
    "showcase:home": public(),
    "showcase:councils": (public(), public(query="q=conseil&region=53&kind=metropole")),
    "showcase:council": (
        public(kwargs=PAGE),
        row(MISSING, MISSING, MISSING, MISSING, OK, OK, kwargs=DRAFT),
    ),
    "showcase:council_edit": (
        row(LOGIN, PENDING, OK, FORBIDDEN, OK, OK, kwargs=PAGE),
        row(LOGIN, PENDING, MISSING, MISSING, OK, OK, kwargs=DRAFT),
    ),
    "showcase:council_submit": members_post_only(kwargs=DRAFT),
    "showcase:council_check": members_post_only(kwargs=DRAFT),
    "showcase:my_page": members(),
    "showcase:preference": members_post_only(),
    "showcase:team": curators(),
    "showcase:themes": curators(),
    "showcase:theme_edit": curators(kwargs=THEME),
    "showcase:theme_delete": members_post_only(kwargs=THEME),
}


def samples(users: dict) -> dict:
    """The member's council's published page, a draft page of a council none of them works for, a theme."""
    from showcase.councils import region_of
    from showcase.enums import PageStatus
    from tests.members.factories import CouncilFactory
    from tests.showcase.factories import CouncilPageFactory, ThemeFactory

    council = users["member"].profile.council
    page = CouncilPageFactory(council=council, region=region_of(council))
    draft = CouncilPageFactory(council=CouncilFactory(), status=PageStatus.DRAFT)
    theme = ThemeFactory(name="Mobilité")
    return {"showcase_page": page.slug, "showcase_draft": draft.slug, "showcase_theme": theme.pk}
