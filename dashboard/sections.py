"""The sections of the dashboard below its overview: each one has its own address, and the page loads it on demand
(issue 22: the whole page weighed 880 KB, the heatmap of 500 competences most of it)."""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from dashboard.selectors import DashboardFilters

TEMPLATE = "dashboard/network_sections.html"


@dataclass(frozen=True)
class Section:
    key: str  # in its address: /chiffres/reseau/<key>/
    anchor: str  # the id of its heading
    title: Promise
    toc_title: Promise  # in the table of contents
    # Loaded when opened (a <details>) rather than when scrolled to: one row per competence.
    heavy: bool = False

    @property
    def summary_template(self) -> str:
        return f"{TEMPLATE}#{self.key}-summary"

    @property
    def body_template(self) -> str:
        return f"{TEMPLATE}#{self.key}-body"

    def shown(self, dashboard) -> bool:
        """Whether the dashboard of this selection has this section (with figures to load)."""
        return bool(getattr(dashboard, _FIELDS[self.key]))


SECTIONS = [
    Section("poste", "dashboard-post", _("Le poste"), _("Le poste")),
    Section("missions", "dashboard-missions", _("Missions déclarées"), _("Missions déclarées")),
    Section(
        "autoevaluation",
        "dashboard-assessment",
        _("Auto-évaluation au regard du référentiel"),
        _("Auto-évaluation"),
        heavy=True,
    ),
    Section(
        "ecarts",
        "dashboard-gaps",
        _("Écart au niveau attendu par la fiche commune"),
        _("Écart au niveau attendu"),
        heavy=True,
    ),
    Section("formation", "dashboard-training", _("Besoins de formation"), _("Besoins de formation")),
    Section(
        "participation",
        "dashboard-participation",
        _("Participation à la fiche commune"),
        _("Participation à la fiche commune"),
    ),
]
_FIELDS = {
    "poste": "post",
    "missions": "missions",
    "autoevaluation": "heatmap",
    "ecarts": "gaps",
    "formation": "training",
    "participation": "participation",
}
BY_KEY = {section.key: section for section in SECTIONS}


def filters_query(filters: DashboardFilters) -> str:
    """The query string of `filters` as the page writes it in its links ("" for the whole network)."""
    params = {"region": filters.region.code if filters.region else "", "kind": filters.kind}
    return urlencode({name: value for name, value in params.items() if value})


def section_url(section: Section, filters: DashboardFilters) -> str:
    query = filters_query(filters)
    return reverse("dashboard:network_section", args=[section.key]) + (f"?{query}" if query else "")


@dataclass(frozen=True)
class ShownSection:
    """A section as the page lists it: its heading, its summary, the address it is loaded from."""

    section: Section
    url: str

    def __getattr__(self, name):
        return getattr(self.section, name)


def page_sections(dashboard) -> list[ShownSection]:
    """The sections the dashboard of this selection has, in page order."""
    return [
        ShownSection(section, section_url(section, dashboard.filters))
        for section in SECTIONS
        if section.shown(dashboard)
    ]
