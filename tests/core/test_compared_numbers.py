"""Which two revisions a history page compares (core.diff.compared_numbers), whatever the URL says."""

import pytest

from core.diff import compared_numbers


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, (2, 3)),
        ({"a": "2"}, (1, 2)),
        ({"a": "1"}, (None, 1)),
        ({"de": "1", "a": "3"}, (1, 3)),
        ({"de": "9", "a": "x"}, (2, 3)),
        ({"a": "42"}, (2, 3)),
        ({"a": ["3"]}, (2, 3)),
    ],
)
def test_pairs(params, expected):
    assert compared_numbers(params, [1, 2, 3]) == expected


def test_no_revision_at_all():
    assert compared_numbers({"a": "1"}, []) == (None, None)
