"""The lists of backend-sensitive test modules (tests/conftest.py) name files that exist."""

from pathlib import Path

import pytest

from tests.conftest import CACHE_BACKEND_MODULES, DB_ENGINE_MODULES

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("module", sorted(DB_ENGINE_MODULES | CACHE_BACKEND_MODULES))
def test_each_listed_module_exists(module):
    assert (ROOT / module).is_file(), f"{module} est listé dans tests/conftest.py mais n'existe plus"
