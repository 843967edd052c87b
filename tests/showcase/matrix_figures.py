"""Authorization matrix rows of the showcase app's figures area (read by tests/core/test_authorization_matrix.py).

The map, the network's figures and their exports are public: everyone, logged in or not, gets them (they are
read from public data only: published pages of validated councils and their published works).
"""

from tests.core.authorization import Case, public

CASES: dict[str, Case | tuple[Case, ...]] = {
    "showcase:map": (public(), public(query="mesure=travaux")),
    "showcase:figures": public(),
    "showcase:figures_csv": public(),
    "showcase:figures_xlsx": public(),
}


def samples(users) -> dict:
    return {}
