"""Old tests, exempt from SEAM101 by seam_per_path_ignores in pyproject.toml."""

from shop.pricing import with_tax


def test_old_flow():
    assert with_tax(10) == 12
