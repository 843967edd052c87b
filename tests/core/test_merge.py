"""The three-way merge of texts (core.merge) used to carry a suggestion onto a changed section."""

import time

from core.merge import merge_texts

BASE = (
    "Animer les séances du conseil en soirée.\n\n"
    "Préparer l'ordre du jour avec la présidence.\n\n"
    "Rédiger les comptes rendus.\n"
)


def test_changes_to_different_paragraphs_merge():
    mine = BASE.replace("en soirée", "en soirée et le samedi")
    theirs = BASE.replace("Rédiger les comptes rendus.", "Rédiger et diffuser les comptes rendus.")
    merge = merge_texts(BASE, mine, theirs)
    assert merge.clean
    assert merge.text == (
        "Animer les séances du conseil en soirée et le samedi.\n\nPréparer l'ordre du jour avec la présidence.\n\n"
        "Rédiger et diffuser les comptes rendus.\n"
    )


def test_changes_to_different_words_of_one_paragraph_merge():
    mine = BASE.replace("Animer les séances", "Animer et préparer les séances")
    theirs = BASE.replace("avec la présidence", "avec la présidence et le bureau").replace("en soirée", "le soir")
    merge = merge_texts(BASE, mine, theirs)
    assert merge.clean
    assert merge.text.startswith("Animer et préparer les séances du conseil le soir.")
    assert "avec la présidence et le bureau" in merge.text


def test_both_changing_the_same_words_differently_is_a_conflict():
    mine = BASE.replace("en soirée", "en journée")
    theirs = BASE.replace("en soirée", "le matin")
    merge = merge_texts(BASE, mine, theirs)
    assert not merge.clean
    [conflict] = merge.conflicts
    assert (conflict.base, conflict.mine, conflict.theirs) == ("soirée", "journée", "matin")


def test_the_same_change_on_both_sides_is_not_a_conflict():
    both = BASE.replace("en soirée", "le soir")
    assert merge_texts(BASE, both, both).text == both
    assert merge_texts(BASE, both, BASE).text == both  # nothing changed on their side
    assert merge_texts(BASE, BASE, both).text == both  # nothing meant to change on mine


def test_a_removed_paragraph_and_an_edit_elsewhere_merge():
    mine = BASE.replace("Préparer l'ordre du jour avec la présidence.\n\n", "")
    theirs = BASE.replace("comptes rendus", "relevés de décisions")
    merge = merge_texts(BASE, mine, theirs)
    assert merge.clean
    assert merge.text == "Animer les séances du conseil en soirée.\n\nRédiger les relevés de décisions.\n"


def test_crafted_texts_cannot_pin_a_worker():
    # Repetitive, unrelated texts are the worst case of a matcher: the budget turns them into a conflict.
    base = " ".join(f"w{i % 97}" for i in range(3000))
    mine = " ".join(f"w{i % 89}" for i in range(3000))
    theirs = " ".join(f"w{i % 83}" for i in range(3000))
    started = time.perf_counter()
    merge = merge_texts(base, mine, theirs)
    assert time.perf_counter() - started < 2
    assert not merge.clean


def test_a_long_text_with_few_edits_still_merges_quickly():
    base = "\n\n".join(" ".join(f"mot{p}-{i}" for i in range(150)) for p in range(20))  # 26,000 characters
    mine = base.replace("mot3-10 ", "MOT ")
    theirs = base.replace("mot3-120 ", "AUTRE ").replace("mot17-5 ", "")
    started = time.perf_counter()
    merge = merge_texts(base, mine, theirs)
    assert time.perf_counter() - started < 1
    assert merge.clean and "MOT " in merge.text and "AUTRE " in merge.text and "mot17-5 " not in merge.text
