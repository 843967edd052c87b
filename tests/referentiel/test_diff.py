import pytest
from django.template import Context, Template

from core.diff import DiffToken, word_diff
from referentiel.diff import framework_diff
from tests.referentiel.factories import small_data


def test_word_diff_marks_inserted_and_deleted_words():
    tokens = word_diff("Animer les réunions du conseil", "Animer les séances du conseil")
    assert tokens == [
        DiffToken("equal", "Animer les "),
        DiffToken("delete", "réunions"),
        DiffToken("insert", "séances"),
        DiffToken("equal", " du conseil"),
    ]
    assert word_diff("", "Nouveau") == [DiffToken("insert", "Nouveau")]
    assert word_diff("même", "même") == [DiffToken("equal", "même")]


def test_word_diff_filter_renders_accessible_markup_and_escapes():
    html = Template("{% load diff_tags %}{{ old|word_diff:new }}").render(
        Context({"old": "un <b>texte</b>", "new": "un autre <b>texte</b>"})
    )
    assert '<ins><span class="visually-hidden">[ajouté :] </span> autre</ins>' in html
    assert "&lt;b&gt;" in html and "<b>" not in html


def test_framework_diff_reports_each_kind_of_change():
    old = small_data("v1.0")
    new = small_data("v2.0")
    new.competences[0].title = "Compétence renommée"
    new.competences[1].description = "Texte modifié de la compétence"
    new.activities[0].mission = "M2"
    removed = new.activities.pop()
    new.competences.append(
        type(new.competences[0])("C-NEW", "D-1", "Nouvelle compétence", replaces=new.competences[2].code)
    )
    diff = framework_diff(old, new)
    by_code = {(c.kind, c.code): c for c in diff.changes}
    assert by_code[("competence", "C-NEW")].status == "added"
    assert by_code[("competence", "C-NEW")].replaces == "C-1-03"
    assert by_code[("competence", "C-1-01")].renamed
    changed = by_code[("competence", "C-1-02")]
    assert changed.status == "changed" and not changed.renamed
    assert [f.name for f in changed.fields] == ["description"]
    assert by_code[("activity", "M1.A1")].moved
    assert by_code[("activity", removed.code)].status == "removed"
    assert not framework_diff(old, small_data("v1.0"))


@pytest.mark.django_db
def test_demo_draft_diff_shows_the_demo_changes():
    from competences.models import FrameworkVersion
    from referentiel import demo
    from referentiel.framework import framework_snapshot

    demo.seed()
    diff = framework_diff(
        framework_snapshot(FrameworkVersion.objects.get(label="v1.0")),
        framework_snapshot(FrameworkVersion.objects.get(label="v2.0")),
    )
    # A sub-domain with its competence, and a competence in a top domain.
    assert [c.code for c in diff.added] == ["D-ANI-NUM", "C-ANI-10", "C-TRA-07"]
    assert [c.code for c in diff.removed] == ["M2.A6"]
    assert [c.code for c in diff.renamed] == ["C-ANI-08"]
    assert "M2.A5" in [c.code for c in diff.moved]
    assert "C-TRA-02" in [c.code for c in diff.changed]


def test_order_shifts_from_a_removal_are_not_moves_but_a_swap_is():
    old = small_data("v1.0", activities=4)
    new = small_data("v2.0", activities=4)
    new.activities = [a for a in new.activities if a.code != "M1.A1"]
    for activity in new.activities:
        if activity.mission == "M1":
            activity.order -= 1  # renumbered after the removal
    assert [c.code for c in framework_diff(old, new).changes] == ["M1.A1"]
    swapped = small_data("v2.0", activities=4)
    first, second = swapped.activities[0], swapped.activities[1]
    first.order, second.order = second.order, first.order
    moved = [c.code for c in framework_diff(old, swapped).moved]
    assert moved == ["M1.A1"] or moved == ["M1.A2"]
