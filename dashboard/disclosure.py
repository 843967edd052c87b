"""The dashboard's publications: which counts of selectors.py are published where, and the sums that tie them.

The disclosure control itself (the `Publication`, its reading and its complementary suppression) is
core/figures/disclosure.py; tables.py reads the states back into cells.
"""

from core.figures.disclosure import MIN_GROUP_SIZE, PUBLISHED, TINY, UNPUBLISHED, Publication
from dashboard.selectors import (
    ALL,
    NO_COUNCIL,
    POST_BREAKDOWNS,
    TRAINING_THEMES,
    WHOLE_NETWORK,
    AssessmentCounts,
    NetworkCounts,
    Territory,
)

# --- The dashboard's publications ----------------------------------------------------------------
# Figures are keyed (figure, population): the populations and the sums between them are
# selectors.Territory's, the values selectors.NetworkCounts' ({figure: {population: count}}).


def _rank(population: tuple) -> int:
    """How reluctantly a figure of `population` is masked: the wider the view, the more it is read."""
    if population[0] == "v":
        return 10 * [population[1], population[2]].count(ALL)
    return 10 if population == NO_COUNCIL else 0


def _publish_members(publication: Publication, territory: Territory, members: dict, settled=None) -> None:
    """Declare the member counts of every population (`settled`: their states, decided before)."""

    def declare(population, appearance, rank=0):
        key = ("members", population)
        state = settled.state(key) if settled is not None else None
        publication.cell(key, members.get(population, 0), appearance, rank=rank, state=state)

    def tiny(view):
        return members.get(territory.key(view), 0) < MIN_GROUP_SIZE

    for population in territory.populations:
        if population[0] == "v":  # the headline of its own view, "moins de 5" when 1 to 4
            appearance = PUBLISHED
        elif population == NO_COUNCIL:  # a row of the tables of the whole network
            appearance = TINY if tiny(WHOLE_NETWORK) else PUBLISHED
        else:
            appearance = UNPUBLISHED
        declare(population, appearance, _rank(population) + 5)
    for key in territory.overlap_keys:
        # Shown as a region's row under the filter of another region.
        _tag, first, second, kind = key
        hidden = tiny(("v", first, kind)) and tiny(("v", second, kind))
        declare(territory.key(key), TINY if hidden else PUBLISHED)
    for total, parts in territory.lines:
        publication.equation(("members", total), [("members", part) for part in parts])


def _withhold_parts_of_small(publication: Publication, territory: Territory, names) -> None:
    """A count whose larger population reads "moins de 5" is withheld too, zeros included: it is
    about part of a group of fewer than 5 members (and a zero would say where they are not)."""
    for name in names:
        for population in territory.populations:
            key = (name, population)
            if publication.has(key) and publication.reads_small(key):
                for inner in territory.inside.get(population, ()):
                    if publication.has((name, inner)):
                        publication.include_zeros((name, inner))


def _region_sums_unprotected(publication: Publication, territory: Territory, names) -> None:
    """The sums over the regions (`Territory.region_sums`) are arithmetic, not groups of members."""
    for name in names:
        for aux in territory.region_sums:
            key = (name, aux)
            if publication.has(key):
                publication.cell(key, publication.value(key), UNPUBLISHED, protected=False)


def territory_publication(territory: Territory, members: dict) -> Publication:
    """The member counts of every view, protected on their own (the public key figures need only these)."""
    publication = Publication()
    _publish_members(publication, territory, members)
    _withhold_parts_of_small(publication, territory, ["members"])
    _region_sums_unprotected(publication, territory, ["members"])
    publication.protect()
    return publication


def _declare_post(publication: Publication, values: dict, population: tuple, appearance: str, rank: int) -> None:
    sharing = values["sharing"].get(population, 0)
    if appearance == PUBLISHED and sharing < MIN_GROUP_SIZE:
        appearance = TINY  # every figure of the post reads "moins de 5", zeros too
    publication.cell(("sharing", population), sharing, appearance, rank=rank + 5)
    for rows in POST_BREAKDOWNS.values():
        for name, _label in rows:
            publication.cell((name, population), values[name].get(population, 0), appearance, rank=rank)
        publication.equation(("sharing", population), [(name, population) for name, _label in rows])
    # The median and average time shares: withheld below 5 time shares given, like the sum behind them.
    given = values["time_given"].get(population, 0)
    eligible = appearance == PUBLISHED and not 0 < given < MIN_GROUP_SIZE
    publication.cell(
        ("time_sum", population),
        values["time_sum"].get(population, 0),
        PUBLISHED if eligible else UNPUBLISHED,
        rank=rank,
        withheld=not eligible,
        protected=0 < given < MIN_GROUP_SIZE,
        floor=0,
    )


def _declare_training(publication: Publication, values: dict, population: tuple, appearance: str, rank: int) -> None:
    publication.cell(("writers", population), values["writers"].get(population, 0), appearance, rank=rank + 5)
    for key, _label, _words in TRAINING_THEMES:
        name = f"theme:{key}"
        publication.cell((name, population), values[name].get(population, 0), appearance, rank=rank)
        publication.at_most((name, population), ("writers", population))


def _declare_missions(publication, values, population, appearance, rank, missions) -> None:
    publication.cell(("declaring", population), values["declaring"].get(population, 0), appearance, rank=rank + 5)
    for mission in missions:
        name = f"mission:{mission.code}"
        publication.cell((name, population), values[name].get(population, 0), appearance, rank=rank)
        publication.at_most((name, population), ("declaring", population))


def _declare_participation(publication, values, population, appearance, rank, months: int) -> None:
    for index in range(months):
        contributors = values.get(f"contributors:{index}", {}).get(population, 0)
        publication.cell((f"contributors:{index}", population), contributors, appearance, rank=rank)
        publication.at_most((f"contributors:{index}", population), ("members", population))
        # A month's proposals and comments are withheld with its contributors, whatever their number.
        withheld = appearance != PUBLISHED or 0 < contributors < MIN_GROUP_SIZE
        for figure in ("proposals", "comments"):
            publication.cell(
                (f"{figure}:{index}", population),
                values.get(f"{figure}:{index}", {}).get(population, 0),
                appearance if appearance == PUBLISHED else UNPUBLISHED,
                rank=rank,
                withheld=withheld,
                protected=0 < contributors < MIN_GROUP_SIZE,
                floor=0,
            )


def network_publication(counts: NetworkCounts, members: Publication) -> Publication:
    """Every figure of every view of the dashboard, the sums between them, protected together.

    The member counts keep the states `members` (territory_publication) gave them: the public key
    figures show the whole network's.
    """
    values = counts.values
    territory = counts.territory
    publication = Publication()
    _publish_members(publication, territory, values["members"], settled=members)
    for population in territory.populations:
        rank = _rank(population)
        if population[0] != "v":
            appearance = UNPUBLISHED
        elif values["members"].get(population, 0) < MIN_GROUP_SIZE:
            appearance = TINY  # a view of fewer than 5 members: every figure reads "moins de 5"
        else:
            appearance = PUBLISHED
        _declare_post(publication, values, population, appearance, rank)
        publication.at_most(("sharing", population), ("members", population))
        _declare_training(publication, values, population, appearance, rank)
        publication.at_most(("writers", population), ("members", population))
        if counts.version is not None:
            _declare_missions(publication, values, population, appearance, rank, counts.missions)
            publication.at_most(("declaring", population), ("members", population))
        _declare_participation(publication, values, population, appearance, rank, len(counts.starts))
    # Every figure adds up over the territory like the members do.
    names = [name for name in counts.figure_names() if not name.startswith(("mission_sum:", "time_given"))]
    for total, parts in territory.lines:
        for name in names:
            if publication.has((name, total)):
                publication.equation((name, total), [(name, part) for part in parts])
    _withhold_parts_of_small(publication, territory, ["members", *names])
    _region_sums_unprotected(publication, territory, ["members", *names])
    publication.protect()
    return publication


def post_publication(values: dict) -> Publication:
    """The post breakdowns of one population on its own (`values`: {figure: {WHOLE_NETWORK: count}})."""
    publication = Publication()
    _declare_post(publication, values, WHOLE_NETWORK, PUBLISHED, 0)
    publication.protect()
    return publication


def training_publication(values: dict) -> Publication:
    """The training themes of one population on its own (`values`: {figure: {WHOLE_NETWORK: count}})."""
    publication = Publication()
    _declare_training(publication, values, WHOLE_NETWORK, PUBLISHED, 0)
    publication.protect()
    return publication


def participation_publication(values: dict, months: int) -> Publication:
    """The participation per month of one population on its own (`values` holds its "members" too)."""
    publication = Publication()
    members = ("members", WHOLE_NETWORK)
    publication.cell(members, values["members"][WHOLE_NETWORK], UNPUBLISHED, protected=False)
    _declare_participation(publication, values, WHOLE_NETWORK, PUBLISHED, 0, months)
    publication.protect()
    return publication


def assessment_publication(assessment: AssessmentCounts) -> Publication:
    """The self-assessment heatmap: each row of 5 respondents or more adds up to its respondents.

    Cells are keyed (code, level value), (code, None) for the not concerned, (code, "respondents").
    A row of fewer than 5 respondents is withheld whole by the table and declared nowhere.
    """
    publication = Publication()
    for competence in assessment.competences:
        code = competence.code
        figures = assessment.row(code)
        respondents = sum(figures)
        if respondents >= MIN_GROUP_SIZE:
            keys = assessment.keys(code)
            for key, value in zip(keys, figures, strict=True):
                publication.cell(key, value)
            publication.cell((code, "respondents"), respondents, rank=5)
            publication.equation((code, "respondents"), keys)
    publication.protect()
    return publication
