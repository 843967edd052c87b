"""What the site's home page (templates/pages/home.html, a roof template) shows of the référentiel."""

from django import template

from competences.models import FrameworkVersion
from missions.models import Mission

register = template.Library()


@register.simple_tag
def published_missions() -> list[Mission]:
    """The missions of the référentiel in force, in order; [] before the first publication."""
    version = FrameworkVersion.objects.current()
    if version is None:
        return []
    return list(Mission.objects.of(version).select_related("version").order_by("order", "code"))
