from datetime import UTC, date, datetime

import pytest
from django.utils import timezone

from core.figures.disclosure import CellState
from dashboard.selectors import DashboardFilters, network_members
from dashboard.tables import (
    expected_level_gaps,
    fiche_participation,
    network_dashboard,
    self_assessment_heatmap,
    training_wishes,
)
from fiches.enums import RevisionSource, SectionKind
from fiches.models import COMMON_FICHE_SLUG, Comment, Fiche, Revision, Section, Suggestion
from fiches.selectors import expected_levels
from members.models import Region
from missions.models import MissionDeclaration
from tests.dashboard.ratings import rated
from tests.members.factories import ProfileFactory
from tests.referentiel.factories import build_version


def _figure(cell):
    return cell.value if cell.state == CellState.SHOWN else str(cell.state)


def _section(fiche, *, key, kind, body, order=1):
    section = Section.objects.create(fiche=fiche, key=key, title=key, kind=kind, order=order)
    revision = Revision.objects.create(section=section, number=1, body=body, source=RevisionSource.CREATED)
    section.current_revision = revision
    section.save(update_fields=["current_revision"])
    return section


@pytest.fixture
def fiche(db):
    return Fiche.objects.create(slug=COMMON_FICHE_SLUG, title="Fiche de poste commune")


def test_gap_to_the_level_the_fiche_expects(network, fiche):
    version = build_version()
    _section(
        fiche,
        key="competences",
        kind=SectionKind.COMPETENCES,
        body=(
            "C-1-01 : niveau 3 — Compétence 1.1 (Maîtrise)\n"
            "C-1-02 : niveau 2 — Compétence 1.2 (Application)\n"
            "C-1-03 : niveau 3 — Compétence 1.3 (Maîtrise)"
        ),
    )
    raters = network["bretagne"] + network["ara"]  # 12 members: 6 at level 2, 5 at level 3, 1 at level 4
    for index, profile in enumerate(raters):
        level = 2 if index < 6 else 3 if index < 11 else 4
        rated(user=profile.user, code="C-1-01", level=level, version=version)
    for profile in network["occitanie"]:
        rated(user=profile.user, code="C-1-02", level=1, version=version)
    for index, profile in enumerate(raters[:10]):  # 5 at level 2, 5 at level 4
        rated(user=profile.user, code="C-1-03", level=2 if index < 5 else 4, version=version)

    expected = expected_levels()
    assert expected.levels == {"C-1-01": 3, "C-1-02": 2, "C-1-03": 3}
    assert expected.source == ""  # no published version: the current text

    gaps = expected_level_gaps(self_assessment_heatmap(network_members()), expected)
    rows = {row.code: [_figure(cell) for cell in row.cells] for row in gaps.rows}
    # Expected, reached, below, share reached, average gap. Every level cell of C-1-03 is shown in
    # the heatmap, so its sums are too: 5 reached, 5 below, 50 %, (5 × −1 + 5 × 1) / 10 = 0.
    assert rows["C-1-03"] == [3, 5, 5, 50, 0]
    # C-1-01's heatmap row withholds levels 3 (masked) and 4 (1 member): "reached" (5 + 1) or the
    # average gap next to the shown level 2 would give them away.
    assert rows["C-1-01"] == [3, "masked", "masked", "masked", "masked"]
    # Three members rated it: nothing is shown but the expected level.
    assert rows["C-1-02"] == [2, "small", "small", "small", "small"]
    assert set(rows) == {"C-1-01", "C-1-02", "C-1-03"}


def test_expected_levels_read_the_fiche_as_the_fiches_app_parses_it(fiche):
    # A line the fiches app cannot read is skipped, a competence without a level too; the first
    # level given for a code wins, as in the fiche.
    _section(
        fiche,
        key="competences",
        kind=SectionKind.COMPETENCES,
        body=(
            "C-1-01 : niveau 3 — Compétence 1.1 (Maîtrise)\n— une note\nC-1-02\nC-1-01 : niveau 1\n- C-1-03 : niveau 4"
        ),
    )
    assert expected_levels().levels == {"C-1-01": 3, "C-1-03": 4}


def test_no_gap_table_without_a_fiche(network):
    build_version()
    dashboard = network_dashboard(DashboardFilters())
    assert dashboard.gaps is None
    assert "Écart au niveau attendu" not in [table.title for table in dashboard.tables()]


def _contribute(profile, section, when, *, comments=0):
    suggestion = Suggestion.objects.create(
        section=section, author=profile.user, base_revision=section.current_revision, body="Texte", rationale="Pourquoi"
    )
    Suggestion.objects.filter(pk=suggestion.pk).update(created_at=when)
    for _index in range(comments):
        comment = Comment.objects.create(suggestion=suggestion, author=profile.user, body="Oui")
        Comment.objects.filter(pk=comment.pk).update(created_at=when)


def test_participation_per_month_withholds_months_with_few_contributors(network, fiche):
    section = _section(fiche, key="conditions", kind=SectionKind.TEXT, body="Réunions en soirée.")
    june = timezone.make_aware(datetime(2026, 6, 3, 10))
    may = timezone.make_aware(datetime(2026, 5, 20, 10))
    for profile in network["bretagne"][:5]:
        _contribute(profile, section, june, comments=1)
    _contribute(network["bretagne"][0], section, june)  # a second suggestion, same contributor
    for profile in network["ara"][:2]:
        _contribute(profile, section, may, comments=2)

    table = fiche_participation(network_members(), months=3, today=date(2026, 6, 15))
    rows = {row.label: [_figure(cell) for cell in row.cells] for row in table.rows}
    assert list(rows) == ["avril 2026", "mai 2026", "juin 2026"]
    assert rows["juin 2026"] == [6, 5, 5]
    assert rows["mai 2026"] == ["small", "small", "small"]
    assert rows["avril 2026"] == [0, 0, 0]


def test_participation_follows_the_region_filter(network, fiche):
    section = _section(fiche, key="conditions", kind=SectionKind.TEXT, body="Réunions en soirée.")
    june = timezone.make_aware(datetime(2026, 6, 3, 10))
    for profile in network["bretagne"][:5]:
        _contribute(profile, section, june)
    lyon = network_members(DashboardFilters(region=Region.objects.get(name="Auvergne-Rhône-Alpes")))
    table = fiche_participation(lyon, months=1, today=date(2026, 6, 15))
    assert [_figure(cell) for cell in table.rows[0].cells] == [0, 0, 0]


def test_participation_counts_each_contributor_once_per_local_month(network, fiche):
    section = _section(fiche, key="conditions", kind=SectionKind.TEXT, body="Réunions en soirée.")
    june = timezone.make_aware(datetime(2026, 6, 3, 10))
    may = timezone.make_aware(datetime(2026, 5, 20, 10))
    bretagne = network["bretagne"]
    for profile in bretagne[:5]:
        _contribute(profile, section, may)  # May: 5 suggestions, 5 contributors
    for profile in bretagne[:3]:
        _contribute(profile, section, june)
    commented_on = Suggestion.objects.filter(author=bretagne[0].user, created_at=june).get()
    # Suggested in May, commented in June: a contributor of both months, not "both" in June.
    # 31 May 22:30 UTC is 1 June 00:30 in Paris: a June comment.
    for profile, when in [
        (bretagne[3], june),
        (bretagne[4], june),
        (bretagne[5], datetime(2026, 5, 31, 22, 30, tzinfo=UTC)),
    ]:
        comment = Comment.objects.create(suggestion=commented_on, author=profile.user, body="D'accord")
        Comment.objects.filter(pk=comment.pk).update(created_at=when)

    table = fiche_participation(network_members(), months=3, today=date(2026, 6, 15))
    rows = {row.label: [_figure(cell) for cell in row.cells] for row in table.rows}
    assert rows == {"avril 2026": [0, 0, 0], "mai 2026": [5, 0, 5], "juin 2026": [3, 3, 6]}


def test_training_wishes_fold_the_case_of_accented_capitals(db):
    for wishes in ["ÉVALUATION des politiques", "Évaluation participative", "évaluation", "Indicateurs", "INDICATEURS"]:
        ProfileFactory(training_wishes=wishes)
    ProfileFactory(training_wishes="")
    table = training_wishes(network_members())
    assert {row.code: _figure(row.cells[0]) for row in table.rows}["evaluation"] == 5
    assert "5 membres ont décrit leurs besoins" in table.note


def test_declared_missions_count_members_and_average_time_share(network):
    build_version()  # missions M1 and M2
    for index, profile in enumerate(network["bretagne"]):  # 7 members declare M1: 10, 20 … 70
        MissionDeclaration.objects.create(user=profile.user, mission_code="M1", time_share=10 * (index + 1))
    for profile in network["ara"][:3]:  # 3 members declare M2
        MissionDeclaration.objects.create(user=profile.user, mission_code="M2", time_share=50)
    MissionDeclaration.objects.create(user=network["occitanie"][0].user, mission_code="M-OLD", time_share=10)

    table = network_dashboard(DashboardFilters()).missions
    rows = {row.code: [_figure(cell) for cell in row.cells] for row in table.rows}
    assert rows == {"M1": [7, 40], "M2": ["small", "small"]}
    assert table.note.startswith("11 membres ont déclaré au moins une mission")
