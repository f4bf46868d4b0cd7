"""The static rules, in the order their codes are documented."""

from __future__ import annotations

from pytest_seams.analysis.engine import Rule
from pytest_seams.analysis.rules.assertions import AssertionRule
from pytest_seams.analysis.rules.env_write import EnvWriteRule
from pytest_seams.analysis.rules.hygiene import MockHygieneRule
from pytest_seams.analysis.rules.mocks import InternalMockRule

RULE_TYPES: tuple[type[Rule], ...] = (
    EnvWriteRule,
    InternalMockRule,
    MockHygieneRule,
    AssertionRule,
)


def all_rules() -> list[Rule]:
    return [rule() for rule in RULE_TYPES]
