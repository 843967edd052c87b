"""The dashboard's figures and renderings, computed once per change of the data (or per short period) rather than
at each request (issue 22: the page cost about 1 s of SQL and disclosure control at 5,000 members).

What is kept, each entry stamped with generations (core.generations) and the day:
- the figures of every view, protected together (`NetworkTables`, the cells' states frozen): one entry, the
  same for every filter and language;
- the dashboard of one selection (`Dashboard`: its tables, its heatmap), per filter combination and language:
  the page, its sections and the CSV/XLSX exports all read this one object, so they always agree;
- the renderings of the page's overview and of each section, per filter combination and language (HTML, packed).

Freshness:
- `FIGURES` (this module) is bumped by every save or deletion of what the figures count: accounts and profiles
  (role, approval, council, post facts, visibility, training wishes), councils and their departments, declared
  missions, the référentiel's versions;
- `RATINGS`, by the self-assessments and the choice to be found by level: only the heatmap reads them (computed
  per selection), so a rating saved leaves the figures of every view, the costly part, as they are;
- training's `REFERENCE` (the fiches: the levels the common fiche expects) is read with it;
- the day is part of the stamp (years in post, the last twelve months);
- the participation in the fiche (suggestions and comments) bumps nothing: it changes many times an hour, and
  each change would throw away a computation of about a second for a page a few curators read. Every entry
  lives `SECONDS` (5 minutes) at most: that is how late these figures (and a bulk write elsewhere that sends no
  signal, such as devtools' seed_scale) may be.

Who sees what: the dashboard is for the CNCD team only, and shows every curator the same figures; the views
check the role before anything is read here. The report form's CSRF token is a placeholder in what is kept.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone
from django.utils.translation import get_language

from core import generations
from core.figures.disclosure import CellState
from dashboard.selectors import DashboardFilters
from dashboard.tables import Dashboard, NetworkTables
from training.generations import REFERENCE

SECONDS = 5 * 60
VERSION = "v1"  # change it when what is kept changes shape
FIGURES = "dashboard-figures"
RATINGS = "dashboard-ratings"
# The figures of every view (the costly protection) do not read the self-assessments: a rating saved leaves them.
TABLES_NAMES = (FIGURES,)
NAMES = (FIGURES, RATINGS, REFERENCE)


class FrozenStates:
    """The states of a protected publication, all that the tables read of it (`has`, `state`): small to keep."""

    def __init__(self, publication):
        self.states: dict = {key: publication.state(key) for key in publication.keys}

    def has(self, key) -> bool:
        return key in self.states

    def state(self, key) -> CellState:
        return self.states[key]


def _facts() -> tuple:
    return (VERSION, timezone.localdate().isoformat())


def _selection(filters: DashboardFilters) -> str:
    return f"{filters.region.code if filters.region else ''}:{filters.kind}"


def network_tables() -> NetworkTables:
    """Every view's figures, protected together: computed at most once per change (or per `SECONDS`)."""
    key = f"dashboard:tables:{VERSION}"
    stamp, tables = generations.cached(key, TABLES_NAMES, facts=_facts())
    if tables is None:
        tables = NetworkTables()
        # What the views of the dashboard read of it, small to keep: the cells' states, not the whole reasoning.
        tables.publication = FrozenStates(tables.publication)
        territory = tables.counts.territory
        territory.inside, territory.lines = {}, []
        generations.store(key, stamp, tables, SECONDS)
    return tables


def dashboard_of(filters: DashboardFilters) -> Dashboard:
    """The dashboard of the selection `filters` (tables.network_dashboard), kept per selection and language."""
    key = f"dashboard:view:{VERSION}:{get_language()}:{_selection(filters)}"
    stamp, dashboard = generations.cached(key, NAMES, facts=_facts())
    if dashboard is None:
        dashboard = network_tables().dashboard(filters)
        generations.store(key, stamp, dashboard, SECONDS)
    return dashboard


def rendered(name: str, filters: DashboardFilters, render) -> str:
    """The rendering `name` of the selection `filters`: kept, or `render()`ed and kept (per language)."""
    key = f"dashboard:html:{VERSION}:{get_language()}:{name}:{_selection(filters)}"
    stamp, html = generations.cached(key, NAMES, facts=_facts())
    if html is not None:
        return generations.unpacked(html)
    html = render()
    generations.store(key, stamp, generations.packed(html), SECONDS)
    return html


# Bumping ----------------------------------------------------------------------------------------------------


def figures_changed(**kwargs) -> None:
    """What the dashboard counts changed (now, and again when the transaction commits)."""
    generations.bump(FIGURES)


def ratings_changed(**kwargs) -> None:
    """The self-assessments the heatmap counts changed."""
    generations.bump(RATINGS)


def _user_saved(sender, instance, update_fields=None, **kwargs):
    if update_fields is not None and set(update_fields) <= {"last_login", "password"}:
        return  # a login: nothing the figures count
    figures_changed()


def connect() -> None:
    """Bump `FIGURES` on every save or deletion of what the figures count (DashboardConfig.ready)."""
    from competences.models import AssessmentSharing, FrameworkVersion, SelfAssessment
    from members.models import Council, Profile, User
    from missions.models import MissionDeclaration

    receivers = [(User, _user_saved, figures_changed)]
    for model in (Profile, Council, MissionDeclaration, FrameworkVersion):
        receivers.append((model, figures_changed, figures_changed))
    for model in (SelfAssessment, AssessmentSharing):
        receivers.append((model, ratings_changed, ratings_changed))
    for model, on_save, on_delete in receivers:
        uid = f"dashboard.caching.{model._meta.label_lower}"
        post_save.connect(on_save, sender=model, dispatch_uid=uid, weak=False)
        post_delete.connect(on_delete, sender=model, dispatch_uid=uid, weak=False)
    m2m_changed.connect(
        figures_changed, sender=Council.departments.through, dispatch_uid="dashboard.caching.council-departments"
    )
