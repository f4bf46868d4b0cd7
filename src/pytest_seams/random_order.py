"""pytest-randomly, seen from pytest-seams: whether it shuffled the tests, with which seed, and
the command that runs the same order again."""

from __future__ import annotations

import shlex
from collections.abc import Sequence

import pytest

# Arguments that choose pytest-randomly's order: dropped from the reproducing command, which
# names its own seed.
_SEED_OPTION = "--randomly-seed"
_ORDER_FLAGS = frozenset({"-p randomly", "-p no:randomly", "-pno:randomly", "-prandomly"})


def random_order_of(config: pytest.Config) -> tuple[bool, int | None]:
    """(shuffled, seed): whether pytest-randomly reordered the tests, and its seed when it was
    active. ``-p no:randomly`` or an environment without it: (False, None)."""
    if not config.pluginmanager.hasplugin("randomly"):
        return False, None
    seed = config.getoption("randomly_seed", default=None)
    if not isinstance(seed, int):  # resolved to an int in its pytest_configure
        return False, None
    return bool(config.getoption("randomly_reorganize", default=True)), seed


def reproduce_command(args: Sequence[str], seed: int) -> str:
    """The pytest command that runs ``args`` again in the order of ``seed``, in
    pytest-randomly's own spelling (``-p randomly --randomly-seed=N``)."""
    kept: list[str] = []
    skip_next = False
    for index, arg in enumerate(args):
        if skip_next:
            skip_next = False
            continue
        if arg == _SEED_OPTION or (
            arg == "-p" and index + 1 < len(args) and f"-p {args[index + 1]}" in _ORDER_FLAGS
        ):
            skip_next = True
            continue
        if arg.startswith(_SEED_OPTION + "=") or arg in _ORDER_FLAGS:
            continue
        kept.append(arg)
    return shlex.join(["pytest", *kept, "-p", "randomly", f"{_SEED_OPTION}={seed}"])
