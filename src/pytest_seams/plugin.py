"""The pytest plugin's entry point: options, markers, and whether the session asked for us.

Autoloaded into every pytest session of its environment, so this module imports only what
every session needs; the engine (``hooks``) loads when the session asked for pytest-seams.
"""

from __future__ import annotations

import sys

import pytest

from pytest_seams.config import add_options, raw_settings, read_config

# The markers' names, also defined where they are used (suppression.MARKER,
# collect.SEAM_MARKER); repeated here so an inactive session need not import those modules.
IGNORE_MARKER = "seam_ignore"
SEAM_MARKER = "seam"


def pytest_addoption(parser: pytest.Parser) -> None:
    add_options(parser)


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        f"{IGNORE_MARKER}(*codes): suppress pytest-seams findings (all codes when none are given).",
    )
    config.addinivalue_line(
        "markers",
        f"{SEAM_MARKER}(*seams): link a test to TEST_PLAN.md seams by id or exact title.",
    )
    raw = raw_settings(config)
    settings = read_config(config, raw)
    for marker in settings.integration_markers:
        config.addinivalue_line("markers", f"{marker}: an integration test (pytest-seams).")
    from pytest_seams.activation import asked_with_p, plan_nearby

    if not (raw or asked_with_p(config, sys.modules[__name__]) or plan_nearby(config)):
        return  # not asked for: silent, like pytest-cov without --cov
    if settings.mode == "off":
        return
    from pytest_seams.hooks import start

    start(config, settings)
