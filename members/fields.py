"""The groups of profile fields: the one list the profile form, the visibility rules and the export follow.

A member chooses, group by group, who may see their profile (the `<key>_visibility` field of
Profile). The display name and the council are the directory's backbone: every approved member
sees them whatever the choice. `email` is the account's address (User.email), shown in the contact
group when the member opens it.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class FieldGroup:
    """Profile fields shown or hidden together, in the order the form shows them."""

    key: str
    label: str
    fields: tuple[str, ...]
    # Shown to every approved member whatever the group's visibility.
    always_shown: frozenset[str] = frozenset()

    @property
    def visibility_field(self) -> str:
        return f"{self.key}_visibility"

    @property
    def governed_fields(self) -> tuple[str, ...]:
        """The fields the group's visibility decides on."""
        return tuple(name for name in self.fields if name not in self.always_shown)


PROFILE_GROUPS = (
    FieldGroup(
        "identity",
        _("Identité"),
        # `credit`: how the name appears in contributions (fiche PDFs, history pages), see User.credit_name.
        ("display_name", "credit", "pronouns", "job_title", "council", "photo"),
        always_shown=frozenset({"display_name", "council"}),
    ),
    FieldGroup(
        "post",
        _("Mon poste"),
        (
            "employer",
            "time_share",
            "employment_status",
            "category",
            "filiere",
            "grade",
            "started_on",
            "placement",
        ),
    ),
    FieldGroup("about", _("À propos"), ("bio", "help_topics", "training_wishes", "open_to_exchange")),
    FieldGroup("contact", _("Contact"), ("email",)),
)

GROUPS_BY_KEY = {group.key: group for group in PROFILE_GROUPS}

# What a directory card shows besides the name and the council: the only fields the directory reads.
CARD_FIELDS = ("pronouns", "job_title", "photo", "employment_status", "time_share")
