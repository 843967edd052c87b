"""The directory's filters: a registry members owns and the apps above it fill in.

Each filter brings its form fields, named by their query parameter (a French word: the URL is
part of the interface), and narrows the profiles once a value is chosen. members registers its own
(search, territory, post facts) below; an app above registers its filters from its
`AppConfig.ready()` (the mission carried out, a competence and a minimum level), so that members
never reaches up.

A filter on facts of a profile group (`group`, see members.fields) only matches the profiles whose
member shows that group to the viewer: filtering on hidden facts would reveal them.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.utils.translation import gettext_lazy as _

from core.widgets import FastSelect
from members.enums import AUDIENCE_VISIBILITIES, Audience, EmploymentStatus, TerritoryKind, TimeShareBand
from members.fields import GROUPS_BY_KEY
from members.models import Department, Profile, ProfileQuerySet, Region


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
    ),
    DirectoryFilter(
        key="kind",
        fields=lambda: {"type": _choice(_("Type de territoire"), TerritoryKind.choices)},
        narrow=lambda profiles, values: profiles.of_kind(values["type"]),
        order=40,
    ),
    DirectoryFilter(
        key="employment_status",
        fields=lambda: {"statut": _choice(_("Statut"), EmploymentStatus.choices)},
        narrow=lambda profiles, values: profiles.with_employment_status(values["statut"]),
        order=50,
        group="post",
    ),
    DirectoryFilter(
        key="time_share",
        fields=lambda: {"temps": _choice(_("Temps consacré au conseil"), TimeShareBand.choices)},
        narrow=lambda profiles, values: profiles.in_time_share_band(values["temps"]),
        order=60,
        group="post",
    ),
)
for directory_filter in OWN_FILTERS:
    directory_filter_register(directory_filter)
