"""What several fiche views share: looking up the fiche or section of the URL, showing a service's refusal."""

from django.contrib import messages
from django.shortcuts import get_object_or_404

from core.enums import Role
from core.permissions import has_role
from fiches import services
from fiches.models import Fiche, Section
from fiches.picker import SELECTION, picked_text
from fiches.rendering import FrameworkLookup


def is_member(user) -> bool:
    """True when `user` is an approved member or holds a higher role."""
    return has_role(user, Role.MEMBER)


def fiche_or_404(slug: str) -> Fiche:
    """The fiche of the URL."""
    return get_object_or_404(Fiche, slug=slug)


def section_or_404(slug: str, pk: int) -> Section:
    """The section of the URL, with its current revision."""
    return get_object_or_404(Section.objects.with_current().select_related("fiche"), fiche__slug=slug, pk=pk)


def show_errors(request, error: services.FicheError) -> None:
    """Tell the member why a service refused, as messages on the next page."""
    for message in error.messages:
        messages.error(request, message)


def framework_for(section: Section):
    """The published référentiel's codes, for the editor of a structured section."""
    return FrameworkLookup.current() if section.is_structured else None


def picker_body(request, section: Section, *, default: str | None = None) -> str:
    """The editor's first text: the lines chosen in the référentiel picker (`?selection=1`), else the section's."""
    if section.is_structured and request.GET.get(SELECTION):
        return picked_text(section.kind, FrameworkLookup.current(), request.GET)
    return section.current_body if default is None else default


def parse_number(value) -> int | None:
    """A whole number from a query parameter, or None when it is missing or not one."""
    try:
        return int(value)
    except (TypeError, ValueError):
        return None
