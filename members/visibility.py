"""The one place that decides which parts of a profile a viewer may see.

A profile is split into groups of fields. The display name and the council are the directory's
backbone: every approved member sees them. The identity group (photo, pronouns, job title) is shown
to members or to everyone; the post, about and contact groups each follow the visibility the
member chose (nobody, the CNCD team, members, everyone). The email address is hidden unless the
member opens it. Templates only ever receive a `VisibleProfile`, so they cannot show too much.
"""

from dataclasses import dataclass, field

from django.urls import reverse

from members.enums import AUDIENCE_VISIBILITIES, Audience
from members.fields import PROFILE_GROUPS
from members.models import Profile

# What each group's visibility decides on; the display name and the council are always shown.
GROUPS = {group.key: group.governed_fields for group in PROFILE_GROUPS}
# Fields whose stored value is a code: the page shows its label, hidden with the field's group.
LABELLED = {
    name: group
    for group, names in GROUPS.items()
    for name in names
    if name != "email" and Profile._meta.get_field(name).choices
}


def audience_for(*, viewer, profile: Profile) -> Audience:
    """How `viewer` stands towards `profile`: themself, the CNCD team, a member or the public."""
    if viewer is None or not viewer.is_authenticated:
        return Audience.PUBLIC
    if viewer.pk == profile.user_id:
        return Audience.SELF
    if viewer.is_curator:
        return Audience.TEAM
    if viewer.is_approved:
        return Audience.MEMBER
    return Audience.PUBLIC


def can_see_group(*, profile: Profile, group: str, audience: Audience) -> bool:
    """True when `audience` may see `group` of `profile`."""
    return getattr(profile, f"{group}_visibility") in AUDIENCE_VISIBILITIES[audience]


@dataclass
class VisibleProfile:
    """A profile reduced to what one audience may see; hidden values are None."""

    user_id: int
    display_name: str
    audience: Audience
    council: object = None
    groups: set = field(default_factory=set)
    values: dict = field(default_factory=dict)

    def __getattr__(self, name):
        # Only called for names not set above: profile fields, None unless their group is visible.
        values = self.__dict__.get("values", {})
        if name in values:
            return values[name]
        raise AttributeError(name)

    @property
    def photo_url(self) -> str:
        if not self.values.get("photo"):
            return ""
        return reverse("members:photo", args=[self.user_id])

    def shows(self, group: str) -> bool:
        return group in self.groups


def profile_view(*, profile: Profile, viewer, audience: Audience | None = None, fields=None) -> VisibleProfile:
    """What `viewer` (or, for a preview, the given `audience`) may see of `profile`; only the `fields`
    named (members.fields.CARD_FIELDS for a directory card) when given, the others not even read."""
    if audience is None:
        audience = audience_for(viewer=viewer, profile=profile)
    groups = {group for group in GROUPS if can_see_group(profile=profile, group=group, audience=audience)}
    values = {}
    for group, names in GROUPS.items():
        for name in names:
            if fields is not None and name not in fields:
                continue
            if group not in groups:
                values[name] = None
            elif name == "email":
                values[name] = profile.user.email
            else:
                values[name] = getattr(profile, name)
    for name, group in LABELLED.items():
        if fields is not None and name not in fields:
            continue
        values[f"{name}_label"] = getattr(profile, f"get_{name}_display")() if group in groups else None
    return VisibleProfile(
        user_id=profile.user_id,
        display_name=profile.display_name,
        audience=audience,
        council=profile.council,
        groups=groups,
        values=values,
    )
