"""The CNCD team's management of the entraide's spaces: thematic spaces are created and edited freely; a region's
space exists for every region (exchange.services.region_spaces_ensure) and only its presentation and whether it
is open change. A closed space accepts no new question (exchange.services) and leaves the list of spaces; its
questions stay readable at their address.

Audited as `exchange.space.created` / `exchange.space.edited` (sentences in exchange.journal).
"""

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from core.audit import audit_log
from exchange.enums import SpaceKind
from exchange.models import Space
from exchange.services import ExchangeError

# What the team may change on a region's space.
REGION_FIELDS = ("description", "is_active")
THEME_FIELDS = ("name", "slug", "description", "position", "is_active")


def _clean_slug(slug: str, name: str, *, exclude_pk: int | None = None) -> str:
    slug = slugify(slug or name)[:80]
    if not slug:
        raise ExchangeError(_("Indiquez une adresse faite de lettres, de chiffres et de tirets."))
    clash = Space.objects.filter(slug=slug)
    if exclude_pk is not None:
        clash = clash.exclude(pk=exclude_pk)
    if clash.exists():
        raise ExchangeError(_("L'adresse « %(slug)s » est déjà celle d'un autre espace.") % {"slug": slug})
    return slug


@transaction.atomic
def space_create(
    *, actor, name: str, slug: str = "", description: str = "", position: int = 0, is_active: bool = True
) -> Space:
    """The team creates a thematic space."""
    name = " ".join((name or "").split())
    if not name:
        raise ExchangeError(_("Indiquez le nom de l'espace."))
    space = Space.objects.create(
        kind=SpaceKind.THEME,
        name=name,
        slug=_clean_slug(slug, name),
        description=(description or "").strip(),
        position=position or 0,
        is_active=is_active,
    )
    audit_log(actor=actor, action="exchange.space.created", target=space, data={"slug": space.slug})
    return space


@transaction.atomic
def space_edit(*, space_id: int, actor, **changes) -> Space:
    """The team edits a space: every field of a thematic space, only the presentation and opening of a region's."""
    space = Space.objects.select_for_update().filter(pk=space_id).first()
    if space is None:
        raise ExchangeError(_("Cet espace n'existe pas."))
    allowed = REGION_FIELDS if space.kind == SpaceKind.REGION else THEME_FIELDS
    refused = set(changes) - set(allowed)
    if refused and space.kind == SpaceKind.REGION:
        raise ExchangeError(
            _("L'espace d'une région garde son nom et son adresse : seuls sa présentation et son ouverture changent.")
        )
    if refused:
        raise ExchangeError(_("Ce champ ne se modifie pas : %(fields)s.") % {"fields": ", ".join(sorted(refused))})
    if "name" in changes:
        changes["name"] = " ".join((changes["name"] or "").split())
        if not changes["name"]:
            raise ExchangeError(_("Indiquez le nom de l'espace."))
    if "slug" in changes:
        changes["slug"] = _clean_slug(changes["slug"], changes.get("name", space.name), exclude_pk=space.pk)
    if "description" in changes:
        changes["description"] = (changes["description"] or "").strip()
    changed = {field: value for field, value in changes.items() if getattr(space, field) != value}
    if not changed:
        return space
    for field, value in changed.items():
        setattr(space, field, value)
    space.save(update_fields=list(changed))
    data = {"fields": sorted(changed)}
    if "is_active" in changed:
        data["opened" if space.is_active else "closed"] = True
    audit_log(actor=actor, action="exchange.space.edited", target=space, data=data)
    return space
