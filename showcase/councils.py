"""Council pages of the vitrine: who edits them, the CNCD team's check, technicians appearing, the shared themes.

A validated council's page is written by its technician·nes (approved members whose profile names that
council) and checked by the CNCD team: draft → submitted → published (or sent back with a comment:
"à reprendre"). Once published, an edit by a technician is visible at once (the council's own words about
itself, under its responsibility) and flagged for the team's re-check: `submitted_at` moves after
`checked_at` (`needs_recheck`); the team confirms it, or unpublishes the page with a comment, which sends it
back to its technicians. The team is accountable for what stays public: every edit is in its queue and its
journal, and unpublishing takes one click.

Reads (selectors) first, then the services (atomic, audited, optimistic concurrency on the page).
"""

from collections import Counter
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, F, Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core import concurrency
from core.audit import audit_log
from core.search import query_words, whole_word_pks
from fiches.notifications import notify
from members.models import Council, Department, Region, User
from showcase.enums import PageStatus
from showcase.models import SUMMARY_LENGTH, CouncilPage, ShowcasePreference, Theme, Work

PAGE_SIZE = 20
TECHNICIANS_SHOWN = 30
COUNCIL_WORKS_SHOWN = 20
LATEST_WORKS = 5
# The fields technicians write (the rest is the council's record, kept by the team in members).
PAGE_FIELDS = (
    "presentation",
    "territory",
    "member_count",
    "founded_year",
    "selection_method",
    "selection_details",
    "website",
)
EDITABLE_STATUSES = {PageStatus.DRAFT, PageStatus.CHANGES, PageStatus.SUBMITTED, PageStatus.PUBLISHED}
SUBMITTABLE_STATUSES = {PageStatus.DRAFT, PageStatus.CHANGES}


class ShowcaseError(ValidationError):
    """A rule of the vitrine refused the action (French message)."""


# --- Who -------------------------------------------------------------------------------------------


def is_council_technician(user, council) -> bool:
    """True when `user` is an approved member whose profile names `council`."""
    if user is None or not user.is_authenticated or not user.is_approved or council is None:
        return False
    profile = getattr(user, "profile", None)
    return profile is not None and profile.council_id == council.pk


def can_edit_page(user, page: CouncilPage) -> bool:
    """The CNCD team, or a technician of the page's council once the council is validated."""
    if user is None or not user.is_authenticated:
        return False
    if user.is_curator:
        return True
    return page.council.is_validated and is_council_technician(user, page.council)


def my_council(user) -> Council | None:
    """The validated council `user` works for (their profile's), or None."""
    if user is None or not user.is_authenticated or not user.is_approved:
        return None
    profile = getattr(user, "profile", None)
    if profile is None or profile.council_id is None:
        return None
    council = profile.council
    return council if council.is_validated else None


def my_council_page(user) -> CouncilPage | None:
    """The page of `user`'s council, if it exists (see `my_council` for which council)."""
    council = my_council(user)
    if council is None:
        return None
    return CouncilPage.objects.select_related("council", "region").filter(council=council).first()


# --- Reads -----------------------------------------------------------------------------------------


def needs_recheck(page: CouncilPage) -> bool:
    """A published page edited by its technicians since the team last checked it."""
    return bool(
        page.status == PageStatus.PUBLISHED
        and page.submitted_at
        and (page.checked_at is None or page.submitted_at > page.checked_at)
    )


def pages_to_recheck():
    """Published pages edited since the team's last check, oldest edit first."""
    return (
        CouncilPage.objects.filter(status=PageStatus.PUBLISHED, submitted_at__isnull=False)
        .filter(Q(checked_at__isnull=True) | Q(submitted_at__gt=F("checked_at")))
        .order_by("submitted_at", "pk")
    )


def pages_submitted():
    """Pages waiting for the team's first check (or a check after changes), oldest first."""
    return CouncilPage.objects.filter(status=PageStatus.SUBMITTED).order_by("submitted_at", "pk")


def public_pages(*, region: str = "", kind: str = "", q: str = ""):
    """Published pages of validated councils, narrowed by region code, territory kind and name words."""
    pages = CouncilPage.objects.published().select_related("council", "region")
    if region:
        pages = pages.filter(region__code=region)
    if kind:
        pages = pages.filter(council__kind=kind)
    words = query_words(q)
    if words:
        # The folded name and authority (members.Council.search_text) narrow in SQL; whole words decide.
        rows = pages.filter(council__search_text__contains=words[0]).values_list(
            "pk", "council__search_text", "territory"
        )
        pages = pages.filter(pk__in=whole_word_pks(rows, q))
    return pages.order_by("council__name", "pk")


def regions_with_pages() -> list[Region]:
    """Regions holding at least one published page, for the list's filter."""
    return list(
        Region.objects.filter(pk__in=CouncilPage.objects.published().values("region")).order_by("name").distinct()
    )


def appearing_technicians(council) -> list[User]:
    """Approved members of `council` who chose to appear on its page, by name (profile loaded)."""
    return list(
        User.objects.approved()
        .filter(profile__council=council, showcase__appears_on_council_page=True)
        .select_related("profile")
        .order_by("profile__display_name", "pk")[:TECHNICIANS_SHOWN]
    )


def page_departments(page: CouncilPage) -> list[Department]:
    return list(page.council.departments.select_related("region").order_by("code"))


def council_works(page: CouncilPage):
    """The page's published works, newest first (the public library's rule)."""
    return (
        Work.objects.published()
        .filter(page=page)
        .select_related("page__council")
        .prefetch_related("themes")
        .order_by("-issued_on", "-pk")
    )


def latest_works():
    """The newest published works of the network."""
    return Work.objects.published().select_related("page__council").order_by("-issued_on", "-pk")[:LATEST_WORKS]


def preference_of(user) -> bool:
    """Whether `user` chose to appear on their council's page (off until they say so)."""
    return ShowcasePreference.objects.filter(user=user, appears_on_council_page=True).exists()


def themes_with_use():
    """Every theme, with how many works carry it."""
    return Theme.objects.annotate(work_total=Count("works")).order_by("position", "name")


# A block the works area (or another) adds to the team's queue page: `user → HomeBlock | None`.
_TEAM_QUEUE_BLOCKS: list[Callable] = []


def team_queue_block_register(block: Callable) -> Callable:
    """Add a block to the team's vitrine queue (/vitrine/equipe/), e.g. the works to moderate."""
    if block not in _TEAM_QUEUE_BLOCKS:
        _TEAM_QUEUE_BLOCKS.append(block)
    return block


def team_queue_blocks(user) -> list:
    return [block for block in (provider(user) for provider in _TEAM_QUEUE_BLOCKS) if block is not None]


def team_queue() -> dict:
    """What waits for the team on council pages."""
    related = CouncilPage.objects.select_related("council", "updated_by__profile")
    return {
        "submitted": list(pages_submitted().select_related("council", "updated_by__profile")),
        "recheck": list(pages_to_recheck().select_related("council", "updated_by__profile")),
        "changes": list(related.filter(status=PageStatus.CHANGES).order_by("-checked_at", "pk")),
    }


# --- Services: pages -------------------------------------------------------------------------------


def region_of(council) -> Region | None:
    """The region most of the council's départements are in (the first by code on a tie)."""
    regions = [department.region for department in council.departments.select_related("region").order_by("code")]
    if not regions:
        return None
    counts = Counter(region.pk for region in regions)
    best = max(counts.values())
    return next(region for region in regions if counts[region.pk] == best)


def _free_slug(council) -> str:
    base = (slugify(council.name) or f"conseil-{council.pk}")[:110]
    slug, number = base, 2
    while CouncilPage.objects.filter(slug=slug).exclude(council=council).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _technician_ids(page: CouncilPage) -> set[int]:
    return set(User.objects.approved().filter(profile__council=page.council).values_list("pk", flat=True))


def _works_refresh(page_id: int) -> None:
    """The works area keeps its copies of the page's state (region, texts, public count) from it."""
    from showcase.works import page_works_refresh

    page_works_refresh(page_id)


def page_url(page: CouncilPage) -> str:
    return reverse("showcase:council", args=[page.slug])


def _clean_fields(data: dict) -> dict:
    unknown = set(data) - set(PAGE_FIELDS)
    if unknown:
        raise ShowcaseError(_("Champs inconnus : %(names)s") % {"names": ", ".join(sorted(unknown))})
    return data


@transaction.atomic
def page_create(*, user, council, data: dict) -> CouncilPage:
    """A technician (or the team) starts the council's page, as a draft."""
    if not council.is_validated:
        raise ShowcaseError(_("Ce conseil n'est pas encore validé par l'équipe CNCD : sa page attendra."))
    if not (user.is_curator or is_council_technician(user, council)):
        raise ShowcaseError(_("Seul·es les technicien·nes du conseil et l'équipe CNCD écrivent sa page."))
    if CouncilPage.objects.filter(council=council).exists():
        raise ShowcaseError(_("Ce conseil a déjà sa page : modifiez-la plutôt."))
    page = CouncilPage(council=council, slug=_free_slug(council), updated_by=user, **_clean_fields(data))
    page.region = region_of(council)
    page.full_clean(exclude=["council", "slug"])
    page.save()
    audit_log(actor=user, action="showcase.page.created", target=page)
    return page


@transaction.atomic
def page_update(*, page_id: int, user, data: dict, lock_version: int | None) -> CouncilPage:
    """Save an edit; on a published page, a technician's edit is visible at once and flagged for re-check."""
    page = CouncilPage.objects.select_related("council").get(pk=page_id)
    if not can_edit_page(user, page):
        raise ShowcaseError(_("Vous ne pouvez pas modifier cette page."))
    concurrency.version_claim(page, expected=lock_version)
    page.refresh_from_db()
    for name, value in _clean_fields(data).items():
        setattr(page, name, value)
    page.region = region_of(page.council)
    page.updated_by = user
    flagged = page.status == PageStatus.PUBLISHED and not user.is_curator
    if flagged:
        page.submitted_at = timezone.now()
    page.full_clean(exclude=["council", "slug"])
    page.save()
    audit_log(
        actor=user,
        action="showcase.page.edited",
        target=page,
        data={"status": page.status, "recheck": flagged},
    )
    _works_refresh(page.pk)
    return page


def _locked(page_id: int) -> CouncilPage:
    page = CouncilPage.objects.select_for_update().filter(pk=page_id).first()
    if page is None:
        raise ShowcaseError(_("Cette page n'existe plus."))
    return page


def _tell_technicians(page: CouncilPage, *, actor, message: str) -> None:
    notify(user_ids=_technician_ids(page), actor=actor, message=message, url=reverse("showcase:my_page"))


@transaction.atomic
def page_submit(*, page_id: int, user) -> CouncilPage:
    """The technicians hand the page to the CNCD team."""
    page = _locked(page_id)
    if not can_edit_page(user, page):
        raise ShowcaseError(_("Vous ne pouvez pas soumettre cette page."))
    if page.status not in SUBMITTABLE_STATUSES:
        raise ShowcaseError(_("Cette page est déjà soumise ou publiée."))
    page.status = PageStatus.SUBMITTED
    page.submitted_at = timezone.now()
    page.save(update_fields=["status", "submitted_at", "updated_at"])
    audit_log(actor=user, action="showcase.page.submitted", target=page)
    return page


def _clean_comment(comment: str, *, required: bool) -> str:
    comment = (comment or "").strip()
    if required and not comment:
        raise ShowcaseError(_("Dites aux technicien·nes du conseil ce qu'il faut reprendre."))
    if len(comment) > SUMMARY_LENGTH:
        raise ShowcaseError(_("Le message dépasse %(max)s caractères.") % {"max": SUMMARY_LENGTH})
    return comment


def _checked(page: CouncilPage, actor, comment: str) -> None:
    page.checked_at, page.checked_by, page.check_comment = timezone.now(), actor, comment


@transaction.atomic
def page_publish(*, page_id: int, actor, comment: str = "") -> CouncilPage:
    """The team publishes a submitted page, or confirms a published page edited since its last check."""
    comment = _clean_comment(comment, required=False)
    page = _locked(page_id)
    if not actor.is_curator:
        raise ShowcaseError(_("Seule l'équipe CNCD publie les pages des conseils."))
    if not page.council.is_validated:
        raise ShowcaseError(_("Validez d'abord le conseil : sa page ne peut pas être publique avant."))
    if page.status == PageStatus.PUBLISHED:
        if not needs_recheck(page):
            raise ShowcaseError(_("Cette page est déjà publiée et vérifiée."))
        _checked(page, actor, comment)
        page.save()
        audit_log(actor=actor, action="showcase.page.rechecked", target=page)
        return page
    if page.status != PageStatus.SUBMITTED:
        raise ShowcaseError(_("Seule une page soumise peut être publiée."))
    page.status = PageStatus.PUBLISHED
    page.published_at = page.published_at or timezone.now()
    _checked(page, actor, comment)
    page.save()
    audit_log(actor=actor, action="showcase.page.published", target=page)
    _works_refresh(page.pk)
    _tell_technicians(
        page,
        actor=actor,
        message=_("La page de votre conseil « %(name)s » est publiée dans la vitrine.") % {"name": page.council.name},
    )
    return page


@transaction.atomic
def page_request_changes(*, page_id: int, actor, comment: str) -> CouncilPage:
    """The team sends a submitted page back to the council's technicians with a comment."""
    comment = _clean_comment(comment, required=True)
    page = _locked(page_id)
    if not actor.is_curator:
        raise ShowcaseError(_("Seule l'équipe CNCD vérifie les pages des conseils."))
    if page.status != PageStatus.SUBMITTED:
        raise ShowcaseError(_("Cette page n'attend pas de vérification."))
    page.status = PageStatus.CHANGES
    _checked(page, actor, comment)
    page.save()
    audit_log(actor=actor, action="showcase.page.changes_requested", target=page, data={"reason": comment})
    _tell_technicians(
        page,
        actor=actor,
        message=_("L'équipe CNCD demande des modifications à la page de « %(name)s » : %(reason)s")
        % {"name": page.council.name, "reason": comment},
    )
    return page


@transaction.atomic
def page_unpublish(*, page_id: int, actor, comment: str) -> CouncilPage:
    """The team takes a published page off the vitrine; its technicians get it back with the reason."""
    comment = _clean_comment(comment, required=True)
    page = _locked(page_id)
    if not actor.is_curator:
        raise ShowcaseError(_("Seule l'équipe CNCD retire une page de la vitrine."))
    if page.status != PageStatus.PUBLISHED:
        raise ShowcaseError(_("Cette page n'est pas publiée."))
    page.status = PageStatus.CHANGES
    _checked(page, actor, comment)
    page.save()
    audit_log(actor=actor, action="showcase.page.unpublished", target=page, data={"reason": comment})
    _works_refresh(page.pk)
    _tell_technicians(
        page,
        actor=actor,
        message=_("L'équipe CNCD a retiré de la vitrine la page de « %(name)s » : %(reason)s")
        % {"name": page.council.name, "reason": comment},
    )
    return page


# --- Services: the technician's choice ---------------------------------------------------------------


@transaction.atomic
def preference_set(*, user, appears: bool) -> ShowcasePreference:
    """The member chooses whether their name and post appear on their council's public page."""
    preference, _created = ShowcasePreference.objects.select_for_update().get_or_create(user=user)
    if preference.appears_on_council_page != appears:
        preference.appears_on_council_page = appears
        preference.save(update_fields=["appears_on_council_page", "updated_at"])
        audit_log(actor=user, action="showcase.preference.changed", target=preference, data={"appears": appears})
    return preference


# --- Services: themes (the team's shared list) --------------------------------------------------------


def _theme_slug(name: str, *, exclude_pk=None) -> str:
    base = (slugify(name) or "theme")[:70]
    slug, number = base, 2
    while Theme.objects.filter(slug=slug).exclude(pk=exclude_pk).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _theme_name(name: str, *, exclude_pk=None) -> str:
    name = " ".join((name or "").split())
    if not name:
        raise ShowcaseError(_("Donnez un nom au thème."))
    if Theme.objects.filter(name__iexact=name).exclude(pk=exclude_pk).exists():
        raise ShowcaseError(_("Un thème porte déjà ce nom."))
    return name


def _themes_changed(*, renamed: Theme | None = None) -> None:
    """The library's facets and cards and the network's figures show the themes: forget them (now and on
    commit). A renamed theme is also in its works' search texts: refresh those."""
    from showcase.figures import figures_changed
    from showcase.works import library_changed, search_refresh

    if renamed is not None:
        search_refresh(renamed.works.values_list("pk", flat=True))
    library_changed()
    figures_changed()


@transaction.atomic
def theme_create(*, actor, name: str, position: int | None = None) -> Theme:
    """The team adds a theme to the shared list (at the end unless placed)."""
    name = _theme_name(name)
    if position is None:
        last = Theme.objects.order_by("-position").values_list("position", flat=True).first()
        position = (last or 0) + 10
    theme = Theme.objects.create(name=name, slug=_theme_slug(name), position=position)
    audit_log(actor=actor, action="showcase.theme.created", target=theme)
    _themes_changed()
    return theme


@transaction.atomic
def theme_update(*, theme_id: int, actor, name: str, position: int, is_active: bool) -> Theme:
    """The team renames, places or (de)activates a theme; its address and its works stay."""
    theme = Theme.objects.select_for_update().get(pk=theme_id)
    before = theme.name
    theme.name = _theme_name(name, exclude_pk=theme.pk)
    theme.position = position
    theme.is_active = is_active
    theme.save()
    audit_log(
        actor=actor,
        action="showcase.theme.edited",
        target=theme,
        data={"before": before, "active": is_active},
    )
    _themes_changed(renamed=theme if theme.name != before else None)
    return theme


@transaction.atomic
def theme_delete(*, theme_id: int, actor) -> None:
    """Delete a theme no work carries; a used one can only be deactivated."""
    theme = Theme.objects.select_for_update().filter(pk=theme_id).first()
    if theme is None:
        raise ShowcaseError(_("Ce thème n'existe plus."))
    if theme.works.exists():
        raise ShowcaseError(
            _(
                "Des travaux portent ce thème : il ne peut pas être supprimé. "
                "Retirez-le de la liste proposée à la place."
            )
        )
    audit_log(actor=actor, action="showcase.theme.deleted", target=theme, data={"name": theme.name})
    theme.delete()
    _themes_changed()


def departments_prefetch():
    return Prefetch("council__departments", queryset=Department.objects.select_related("region").order_by("code"))
