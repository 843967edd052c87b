"""The directory's filters: a registry members owns and the apps above it fill in.

Each filter brings its form fields, named by their query parameter (a French word: the URL is
part of the interface), and narrows the profiles once a value is chosen. members registers its own
(search, territory, post facts) below; an app above registers its filters from its
`AppConfig.ready()` (the mission carried out, a competence and a minimum level), so that members
never reaches up.

A filter on facts of a profile group (`group`, see members.fields) only matches the profiles whose
member shows that group to the viewer: filtering on hidden facts would reveal them.
"""

import hashlib
import logging
from collections.abc import Callable
from dataclasses import dataclass

from crispy_forms.templatetags.crispy_forms_filters import as_crispy_form
from django import forms
from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core import generations
from core.widgets import FastSelect
from members.enums import AUDIENCE_VISIBILITIES, Audience, EmploymentStatus, TerritoryKind, TimeShareBand
from members.fields import CARD_FIELDS, GROUPS_BY_KEY
from members.models import TERRITORIES, Council, Department, Profile, ProfileQuerySet, Region, User
from members.visibility import profile_view

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DirectoryFilter:
    """One criterion of the directory: its form fields and how it narrows profiles.

    `fields()` builds the fields for one request, keyed by query parameter; it returns {} when the
    filter has nothing to offer (no published référentiel). The filter applies once its first field
    has a value, its other fields refining it: `narrow(profiles, values)` gets the values of all its
    fields. `clean(values)` may raise a ValidationError naming its fields (a level without a competence).
    """

    key: str
    fields: Callable[[], dict[str, forms.Field]]
    narrow: Callable[[ProfileQuerySet, dict], ProfileQuerySet]
    order: int  # place in the form: members' own filters use 10 to 60
    group: str | None = None  # the profile group whose facts it filters on (members.fields), if any
    clean: Callable[[dict], None] | None = None
    # The generations (core.generations) standing for what it narrows on besides the profiles, councils and
    # territories, so that its results may be kept (directory_results); None: never kept while it is chosen.
    generations: tuple[str, ...] | None = None


_filters: dict[str, DirectoryFilter] = {}


def directory_filter_register(directory_filter: DirectoryFilter) -> None:
    """Add a filter to the directory (from an AppConfig.ready())."""
    if directory_filter.key in _filters:
        raise ValueError(f"Directory filter {directory_filter.key!r} is already registered.")
    if directory_filter.group is not None and directory_filter.group not in GROUPS_BY_KEY:
        raise ValueError(
            f"Directory filter {directory_filter.key!r}: unknown profile group {directory_filter.group!r}."
        )
    _filters[directory_filter.key] = directory_filter


def directory_filters() -> list[DirectoryFilter]:
    """The registered filters, in the order the directory shows them."""
    return sorted(_filters.values(), key=lambda directory_filter: (directory_filter.order, directory_filter.key))


def directory_narrow(profiles: ProfileQuerySet, *, criteria, viewer) -> ProfileQuerySet:
    """`profiles` narrowed by the chosen `criteria` (pairs of a filter and the values of its fields)."""
    # The directory is for approved members: the CNCD team sees what is shown to it, others what members see.
    audience = Audience.TEAM if viewer.is_curator else Audience.MEMBER
    for directory_filter, values in criteria:
        main_value = next(iter(values.values()))
        if not main_value:
            continue
        if directory_filter.group is not None:
            profiles = profiles.with_group_visible_to(directory_filter.group, audience=audience)
        profiles = directory_filter.narrow(profiles, values)
    return profiles


def directory_page(*, form, viewer, number, size: int) -> Page:
    """The page `number` of the profiles `viewer` finds with the criteria of `form` (validated or unbound)."""
    if form.is_bound:
        form.is_valid()  # an invalid value is ignored, the valid ones still narrow the list
    profiles = Profile.objects.visible_to(viewer).with_directory_data()
    criteria = form.criteria() if form.is_bound else []
    if any(next(iter(values.values())) for _filter, values in criteria):
        return Paginator(directory_narrow(profiles, criteria=criteria, viewer=viewer), size).get_page(number)
    paginator = Paginator(profiles, size)
    # Without criteria the count changes only with the profiles and accounts: kept rather than counted each time.
    paginator.count = _everyone_count(profiles)  # Paginator.count is a cached_property: this value is used
    return paginator.get_page(number)


# Stands for the profiles and accounts (bumped by their saves and deletions, see connect). Bulk writes send no
# signal: demo.py bumps it itself; devtools' seed_scale is caught up by the lifetime.
PROFILES = "members.profiles"
# Stands for the councils and their départements (bumped by their saves, deletions and département changes).
COUNCILS = "members.councils"
COUNT_CACHE_SECONDS = 300


def _everyone_count(profiles: ProfileQuerySet) -> int:
    # Keyed by the SQL itself: whoever the viewer, the same query counts the same profiles.
    key = "directory-count:" + hashlib.sha256(str(profiles.query).encode()).hexdigest()
    stamp, kept = generations.cached(key, [PROFILES])
    if kept is not None:
        return kept
    count = profiles.count()
    generations.store(key, stamp, count, COUNT_CACHE_SECONDS)
    return count


# --- A page of results, kept per criteria and kind of viewer ---------------------------------------------------

RESULTS_CACHE_SECONDS = 300  # bounds what bulk writes (no signal) leave behind


@dataclass(frozen=True)
class DirectoryResults:
    page: Page
    rows: list  # what the page shows: its VisibleProfile rows, or the members' ids when read from the cache
    cards: str  # their cards, rendered


def directory_results(*, form, viewer, number, size: int) -> DirectoryResults:
    """The page `number` of what `viewer` finds with the criteria of `form` (bound or not), with its cards.

    Kept per language, criteria (as typed), page and kind of viewer (what they may find and see of others:
    approved or not, CNCD team or not), under the generations of the profiles, councils and territories and
    of the chosen filters (a filter that names none is never kept). A page listing the viewer themself is
    never served from, nor kept in, the shared entry: their own card shows them more than others see."""
    key, names = _results_key(form, viewer, number)
    stamp = None
    if key is not None:
        stamp, kept = generations.cached(key, names)
        if kept is not None and viewer.pk not in kept[1]:
            count, shown, cards = kept
            page = Paginator(range(count), size).get_page(number)  # the same page number as for the profiles
            return DirectoryResults(page, shown, mark_safe(generations.unpacked(cards)))  # noqa: S308 - escaped below
    page = directory_page(form=form, viewer=viewer, number=number, size=size)
    rows = [profile_view(profile=profile, viewer=viewer, fields=CARD_FIELDS) for profile in page]
    cards = directory_cards(rows)
    shown = [row.user_id for row in rows]
    if key is not None and viewer.pk not in shown:
        generations.store(key, stamp, (page.paginator.count, shown, generations.packed(cards)), RESULTS_CACHE_SECONDS)
    return DirectoryResults(page, rows, cards)


def _results_key(form, viewer, number) -> tuple[str | None, list[str]]:
    names = [PROFILES, COUNCILS, TERRITORIES]
    chosen = []
    for directory_filter, fields in getattr(form, "offered", ()):
        values = [(name, form.data.getlist(name)) for name in fields] if form.is_bound else []
        if any(value for _name, typed in values for value in typed):
            if directory_filter.generations is None:
                return None, names
            names += directory_filter.generations
        chosen.append(values)
    kind = (bool(viewer.is_authenticated and viewer.is_approved), bool(viewer.is_authenticated and viewer.is_curator))
    state = (get_language(), kind, chosen, str(number))
    return "directory-results:" + hashlib.sha256(repr(state).encode()).hexdigest(), names


def directory_audience(user, *, group: str) -> Audience | None:
    """The widest audience whose directory filters on `group` facts can find `user` (None: nobody).

    What the pages where those facts are entered tell their author, read from the rule above.
    """
    visibility = (
        Profile.objects.approved()
        .filter(user=user)
        .values_list(GROUPS_BY_KEY[group].visibility_field, flat=True)
        .first()
    )
    # The CNCD team sees whatever members see: the members' audience is the wider one.
    for audience in (Audience.MEMBER, Audience.TEAM):
        if visibility in AUDIENCE_VISIBILITIES[audience]:
            return audience
    return None


# --- The form, rendered once per state ------------------------------------------------------------

# TERRITORIES (members.models) stands for the regions and départements the form offers; the other filters' options
# are part of the key; the lifetime only bounds what a deployment leaves behind.
FORM_CACHE_SECONDS = 3600


def directory_form_html(form) -> str:
    """The filter form rendered by django-crispy-forms (most of the directory's time), kept in the cache per
    language, chosen values and options: the same for every viewer, since it shows nothing about anyone."""
    state = _form_state(form)
    if state is None:
        return as_crispy_form(form)
    key = "directory-form:" + hashlib.sha256(repr(state).encode()).hexdigest()
    stamp, kept = generations.cached(key, [TERRITORIES])
    if kept is not None:
        return mark_safe(generations.unpacked(kept))  # noqa: S308 - rendered by crispy-forms below, escaped there
    html = as_crispy_form(form)
    generations.store(key, stamp, generations.packed(html), FORM_CACHE_SECONDS)
    return html


def _form_state(form) -> tuple | None:
    """What the form's rendering depends on besides the territories (None: something no key can stand for)."""
    fields = []
    for name, field in form.fields.items():
        if isinstance(field, forms.ModelChoiceField):
            if field.queryset.model not in (Region, Department):
                return None  # options from a table that no generation stands for: rendered at each request
            options = field.queryset.model._meta.label
        else:
            options = [(str(value), str(label)) for value, label in getattr(field, "choices", ())]
        fields.append((name, type(field).__name__, str(field.label), str(field.help_text), options))
    chosen = [(name, form.data.getlist(name)) for name in form.fields] if form.is_bound else None
    return get_language(), chosen, fields


def _territories_changed(sender, instance, **kwargs):
    generations.bump(TERRITORIES)


def _councils_changed(sender, instance=None, **kwargs):
    generations.bump(COUNCILS)


def _profiles_changed(sender, instance, update_fields=None, **kwargs):
    if sender is User and update_fields is not None and set(update_fields) <= {"last_login", "password"}:
        return  # a login saves them (a password hash upgraded too): nothing the directory counts
    generations.bump(PROFILES)


def connect() -> None:
    """Bump the directory's generations on every save or deletion of what they stand for (MembersConfig.ready)."""
    for model, receiver in (
        (Region, _territories_changed),
        (Council, _councils_changed),
        (Department, _territories_changed),
        (Profile, _profiles_changed),
        (User, _profiles_changed),
    ):
        post_save.connect(receiver, sender=model, dispatch_uid=f"directory-save-{model._meta.label}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"directory-delete-{model._meta.label}")
    m2m_changed.connect(_councils_changed, sender=Council.departments.through, dispatch_uid="directory-council-places")


# --- The cards, rendered once per content -----------------------------------------------------------

CARD_TEMPLATE = "members/profile_list.html#card"
CARD_CACHE_SECONDS = 24 * 3600


def directory_cards(rows) -> str:
    """The directory cards of `rows` (VisibleProfile, each reduced to what its viewer may see), rendered once.

    The cards are kept together under a digest of everything they show, read from the rows themselves: two
    viewers share them only when they would see exactly the same cards, and a change to a profile or its council
    gives a new key (nothing to invalidate; what is no longer shown expires). One entry per page of results,
    so one read and at most one write, on Redis as on the database cache."""
    if not rows:
        return ""
    shown = (get_language(), [_card_content(row) for row in rows])
    key = "directory-cards:" + hashlib.sha256(repr(shown).encode()).hexdigest()
    try:
        kept = cache.get(key)
    except Exception:  # the cache away: render the cards, as without a cache
        logger.warning("Cache illisible : les fiches de l'annuaire sont rendues sans cache", exc_info=True)
        kept = None
    if kept is not None:
        return mark_safe(generations.unpacked(kept))  # noqa: S308 - rendered by the template below, escaped there
    html = "".join(render_to_string(CARD_TEMPLATE, {"row": row}) for row in rows)
    try:
        cache.set(key, generations.packed(html), CARD_CACHE_SECONDS)
    except Exception:
        logger.warning("Fiches de l'annuaire non gardées en cache", exc_info=True)
    return mark_safe(html)  # noqa: S308 - rendered by the template, escaped there


def _card_content(row) -> tuple:
    """All one card shows, as stored values (a label follows from its value and the language)."""
    council = row.council
    return (
        row.user_id,
        row.display_name,
        # None for a hidden value; a photo's repr names its file (or says None when there is none).
        [row.values.get(name) for name in CARD_FIELDS],
        council and (council.pk, council.name, council.kind, [place.name for place in council.departments.all()]),
    )


# --- members' own filters -----------------------------------------------------------------------


def _choice(label, choices) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=[("", _("Tous")), *choices], required=False)


OWN_FILTERS = (
    DirectoryFilter(
        key="search",
        fields=lambda: {
            "q": forms.CharField(
                label=_("Rechercher"),
                required=False,
                max_length=100,
                help_text=_("Un nom, un conseil, une collectivité, un département ou une région."),
            )
        },
        narrow=lambda profiles, values: profiles.search(values["q"]),
        order=10,
        generations=(),  # narrows on profiles, councils and territories only
    ),
    DirectoryFilter(
        key="region",
        fields=lambda: {
            "region": forms.ModelChoiceField(
                label=_("Région"),
                queryset=Region.objects.order_by("name"),
                required=False,
                empty_label=_("Toutes"),
                widget=FastSelect,
            )
        },
        narrow=lambda profiles, values: profiles.in_region(values["region"]),
        order=20,
        generations=(),  # narrows on profiles, councils and territories only
    ),
    DirectoryFilter(
        key="department",
        fields=lambda: {
            "departement": forms.ModelChoiceField(
                label=_("Département"),
                queryset=Department.objects.order_by("code"),
                required=False,
                empty_label=_("Tous"),
                widget=FastSelect,
            )
        },
        narrow=lambda profiles, values: profiles.in_department(values["departement"]),
        order=30,
        generations=(),  # narrows on profiles, councils and territories only
    ),
    DirectoryFilter(
        key="kind",
        fields=lambda: {"type": _choice(_("Type de territoire"), TerritoryKind.choices)},
        narrow=lambda profiles, values: profiles.of_kind(values["type"]),
        order=40,
        generations=(),  # narrows on profiles, councils and territories only
    ),
    DirectoryFilter(
        key="employment_status",
        fields=lambda: {"statut": _choice(_("Statut"), EmploymentStatus.choices)},
        narrow=lambda profiles, values: profiles.with_employment_status(values["statut"]),
        order=50,
        generations=(),  # narrows on profiles, councils and territories only
        group="post",
    ),
    DirectoryFilter(
        key="time_share",
        fields=lambda: {"temps": _choice(_("Temps consacré au conseil"), TimeShareBand.choices)},
        narrow=lambda profiles, values: profiles.in_time_share_band(values["temps"]),
        order=60,
        generations=(),  # narrows on profiles, councils and territories only
        group="post",
    ),
)
for directory_filter in OWN_FILTERS:
    directory_filter_register(directory_filter)
