"""When masks (known to hide at least 5) still pin a small figure down, its breakdown is withdrawn.

The demo data hit this: in one territory kind, 7 members share their post, their time shares fall
1 / 5 / 0 / 1 / 0 in the five bands, and the 7 is settled by another publication. Masking the 5
("at least 5") then gives 7 - 5 - ... = 1 back, and nothing else is left to mask.
"""

from core.figures.disclosure import CellState, Publication

BANDS = {"0-25": 1, "26-50": 5, "51-99": 0, "100": 1, "none": 0}


def _publication():
    publication = Publication()
    publication.cell("members", 7, state=CellState.SHOWN)
    publication.cell("sharing", 7)
    publication.at_most("sharing", "members")
    publication.equation("members", ["sharing"])
    for band, value in BANDS.items():
        publication.cell(band, value)
    publication.equation("sharing", list(BANDS))
    return publication


def test_a_breakdown_no_mask_can_protect_is_withdrawn_instead_of_failing():
    publication = _publication()
    publication.protect()
    low, high = publication.deduce()
    for band, value in BANDS.items():
        index = publication.keys.index(band)
        if 0 < value < 5:
            assert low[index] != high[index], f"{band} = {value} se déduit encore"
    assert publication.state("members") == CellState.SHOWN
    states = {publication.state(band) for band in BANDS}
    assert CellState.SHOWN not in states
    assert CellState.WITHDRAWN in states


def test_a_withdrawn_figure_reads_non_publie_on_the_page_and_in_exports():
    from core.figures.charts import cell_text
    from core.figures.tables import Cell

    cell = Cell(None, CellState.WITHDRAWN)
    assert cell.export_value() == "non publié"
    assert cell_text(cell) == "non publié"
