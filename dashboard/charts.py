"""The charts of the dashboard and of the members' page (the geometry is core/figures/charts.py)."""

from core.figures.charts import bar_chart, heatmap, histogram, tile_map
from dashboard.sections import SECTIONS


def territory_charts(dashboard) -> dict:
    """The charts of the overview: the map of the regions and the kinds of territory."""
    return {"map": tile_map(dashboard.regions), "kinds": bar_chart(dashboard.kinds)}


def section_charts(dashboard, section: str) -> dict:
    """The charts of one section of the dashboard (dashboard.sections: its key)."""
    result = {}
    if section == "poste" and dashboard.post is not None:
        result["time_share"] = histogram(dashboard.post.time_share, skip_codes=("band_none",))
        result["years_in_post"] = histogram(dashboard.post.years_in_post, skip_codes=("years_none",))
        result["status"] = bar_chart(dashboard.post.employment_status)
        result["category"] = bar_chart(dashboard.post.category)
    elif section == "autoevaluation" and dashboard.heatmap is not None and dashboard.heatmap.table.rows:
        result["heatmap"] = heatmap(dashboard.heatmap.table, value_columns=len(dashboard.heatmap.levels) + 1)
    elif section == "missions" and dashboard.missions is not None:
        result["missions"] = bar_chart(dashboard.missions)
    elif section == "ecarts" and dashboard.gaps is not None and dashboard.gaps.rows:
        result["gaps"] = bar_chart(dashboard.gaps, column=3, label_codes=True)
    elif section == "formation" and dashboard.training is not None:
        result["training"] = bar_chart(dashboard.training)
    elif section == "participation" and dashboard.participation is not None:
        result["participation"] = histogram(dashboard.participation, column=2, use_codes=True)
    return result


def dashboard_charts(dashboard) -> dict:
    """Every chart of the dashboard (the printed report), keyed by the figure it draws."""
    result = territory_charts(dashboard)
    for section in SECTIONS:
        result.update(section_charts(dashboard, section.key))
    return result


def members_charts(figures) -> dict:
    """The charts of the members' page (tables.MembersFigures)."""
    result = {
        "time_share": histogram(figures.post.time_share, skip_codes=("band_none",)),
        "status": bar_chart(figures.post.employment_status),
        "category": bar_chart(figures.post.category),
    }
    if figures.gaps is not None and figures.gaps.rows:
        result["gaps"] = bar_chart(figures.gaps, column=3, label_codes=True)
    return result
