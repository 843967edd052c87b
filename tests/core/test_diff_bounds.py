"""The one diff helper bounds its own work: past its budget it gets coarser, never slower.

The audit pinned a worker for 76 s by posting 1 MB to the suggestion preview; `difflib` alone takes
seconds on a few kilobytes of repeated words. Each test asserts which path was taken (the reported
granularity), that the tokens still rebuild both texts exactly, and only then, loosely, the time.
"""

import random
import time

import pytest

from core import diff
from core.diff import DiffToken, text_diff, word_diff

ONE_MB = 1024 * 1024
# Loose on purpose: the machine running the tests may be busy. The unbounded diff took minutes.
SECONDS = 3


def _rebuilds(result, old, new):
    assert "".join(t.text for t in result.tokens if t.op != "insert") == old
    assert "".join(t.text for t in result.tokens if t.op != "delete") == new


def _random_words(rng, size, words=("le", "la", "les", "conseil", "réunion", "territoire")):
    text, length = [], 0
    while length < size:
        text.append(rng.choice(words) + rng.choice(" \n"))
        length += len(text[-1])
    return "".join(text)[:size]


def _timed(old, new):
    started = time.perf_counter()
    result = text_diff(old, new)
    return result, time.perf_counter() - started


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda rng: (_random_words(rng, ONE_MB), _random_words(rng, ONE_MB)), id="mots-aleatoires"),
        pytest.param(lambda rng: ("a " * (ONE_MB // 2), "b " * (ONE_MB // 2)), id="une-ligne-chacun"),
        pytest.param(lambda rng: ("a\n" * (ONE_MB // 2), "a\nb\n" * (ONE_MB // 4)), id="lignes-repetees"),
        pytest.param(lambda rng: ("x" * ONE_MB, "x" * (ONE_MB - 1) + "y"), id="un-seul-mot"),
    ],
)
def test_a_pair_of_1_mb_texts_takes_the_coarse_path_quickly(make):
    old, new = make(random.Random(12))
    result, seconds = _timed(old, new)
    assert result.is_coarse
    assert result.granularity in {"line", "text"}
    _rebuilds(result, old, new)
    assert seconds < SECONDS


@pytest.mark.parametrize(
    ("old", "new"),
    [
        # Cases where difflib's SequenceMatcher is cubic: seconds for a few kilobytes.
        pytest.param("a " * 700, "a b " * 350, id="a-contre-ab"),
        pytest.param("a a b " * 400, "a b b " * 400, id="aab-contre-abb"),
        pytest.param("a " * 1500, "".join("b " if i % 10 == 0 else "a " for i in range(1500)), id="retouches-etalees"),
    ],
)
def test_small_adversarial_texts_stay_within_the_work_budget(old, new):
    result, seconds = _timed(old, new)
    assert result.is_coarse
    _rebuilds(result, old, new)
    assert seconds < SECONDS


def test_the_budget_is_what_decides_the_granularity():
    old, new = "a " * 700, "a b " * 350
    assert text_diff(old, new, max_work=1_000).granularity == "line"
    small_old, small_new = "a " * 70, "a b " * 35
    assert text_diff(small_old, small_new, max_work=1_000).granularity == "line"
    assert text_diff(small_old, small_new, max_work=1_000_000).granularity == "word"
    many_lines_old, many_lines_new = "a\nb\n" * 1000, "b\na\n" * 1000 + "c\n"
    assert text_diff(many_lines_old, many_lines_new, max_work=100).granularity == "text"


def test_a_changed_passage_too_costly_is_shown_whole_and_the_rest_word_by_word():
    costly_old, costly_new = "a " * 700, "a b " * 350
    old = f"Premier paragraphe inchangé.\n{costly_old}\nIntertitre.\nAnimer les réunions du conseil.\n"
    new = f"Premier paragraphe inchangé.\n{costly_new}\nIntertitre.\nAnimer les séances du conseil.\n"
    result = text_diff(old, new)
    assert result.granularity == "line"
    _rebuilds(result, old, new)
    assert result.tokens[0].op == "equal"
    assert result.tokens[0].text.startswith("Premier paragraphe inchangé.\n")
    # The small change after the costly passage still gets its word-level diff.
    assert DiffToken("delete", "réunions") in result.tokens
    assert DiffToken("insert", "séances") in result.tokens


def test_a_single_edit_in_a_huge_text_stays_word_level():
    """The common beginning and end never reach a matcher: one word changed in 1 MB is still a word."""
    body = _random_words(random.Random(3), ONE_MB // 2)
    old, new = f"{body} ancien {body}", f"{body} nouveau {body}"
    result, seconds = _timed(old, new)
    assert result.granularity == "word"
    assert [t for t in result.tokens if t.op != "equal"] == [
        DiffToken("delete", "ancien"),
        DiffToken("insert", "nouveau"),
    ]
    assert seconds < SECONDS


def test_a_real_edit_of_a_long_section_is_still_word_by_word():
    from devtools.scale import long_text, long_text_edited

    rng = random.Random(5)
    old = long_text(rng, 5000)
    new = long_text_edited(rng, old)
    result = text_diff(old, new)
    assert result.granularity == "word"
    _rebuilds(result, old, new)
    assert word_diff(old, new) == result.tokens


def test_random_texts_always_rebuild_both_sides():
    rng = random.Random(7)
    for _ in range(300):
        alphabet = rng.choice(["ab", "a b\n", "a .\n", "le la\n"])
        old = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 600)))
        new = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 600)))
        _rebuilds(text_diff(old, new, max_work=rng.choice([50, 5_000, diff.MAX_WORK])), old, new)


def test_similarity_is_difflib_s_ratio_for_real_names_and_bounded_for_crafted_ones():
    from difflib import SequenceMatcher

    from core.diff import similarity

    names = ["conseil developpement pays vannes", "codev metropole lyon", "conseil developpement metropole lyon"]
    for a in names:
        for b in names:
            assert similarity(a, b) == SequenceMatcher(None, a, b).ratio()
    crafted, other = "abb" * 66, "aab" * 66
    started = time.perf_counter()
    value = similarity(crafted, other)
    # Past the budget, the cheap upper bound: never less similar than it is.
    assert value == SequenceMatcher(a=crafted, b=other).quick_ratio()
    assert value >= SequenceMatcher(None, crafted, other).ratio()
    assert time.perf_counter() - started < 0.1 * SECONDS
