"""A pytest plugin for the benchmark: the wall time one session spends inside pytest-seams.

Loaded with ``-p self_time`` (``benchmarks/`` on PYTHONPATH), before pytest-seams' own entry
point: it imports ``pytest_seams.plugin`` itself, through pytest's assertion-rewriting importer
as a real session does, and times that import and every call of the hooks pytest-seams
implements. At exit it writes ``{"import": s, "hooks": {name: s}, "total": s}`` as JSON to the
file named by $SEAMS_SELF_TIME_OUT.

Under ``perf stat -D -1 --control fifo:CTL,ACK`` with $SEAMS_PERF_CTL=CTL and
$SEAMS_PERF_ACK=ACK, it also switches perf's counters on inside pytest-seams only, so that
perf counts exactly the instructions the plugin's import and hooks execute ($SEAMS_PERF_ONLY
narrows that to one of them: ``import`` or a hook name, e.g. ``pytest_collection_finish``)::

    mkfifo ctl ack
    SEAMS_PERF_CTL=ctl SEAMS_PERF_ACK=ack PYTHONPATH=benchmarks \
        perf stat -D -1 --control fifo:ctl,ack -e instructions:u \
        python -m pytest -p self_time -p seams --collect-only -q

End-to-end wall time on a shared machine moves by more than the 5% target from run to run;
this measures the plugin's own share within each run instead. Left out: the generator body of
the ``pytest_pycollect_makemodule`` wrapper (one list append per module) and indirect costs
such as pluggy's dispatch to the extra hook implementations; the instruction count of the
whole process includes those.
"""

from __future__ import annotations

import atexit
import functools
import inspect
import json
import os
import time
from collections.abc import Callable
from typing import Any


class _PerfSwitch:
    """perf's counters on while any counted part runs (parts do not nest in practice)."""

    def __init__(self) -> None:
        control, ack = os.environ.get("SEAMS_PERF_CTL"), os.environ.get("SEAMS_PERF_ACK")
        self.only = os.environ.get("SEAMS_PERF_ONLY")
        self.control = os.open(control, os.O_WRONLY) if control else None
        self.ack = os.open(ack, os.O_RDONLY) if control and ack else None

    def _send(self, command: bytes) -> None:
        if self.control is not None and self.ack is not None:
            os.write(self.control, command)
            os.read(self.ack, 5)  # perf answers "ack\n" once the counters switched

    def on(self, part: str) -> None:
        if not self.only or part == self.only:
            self._send(b"enable\n")

    def off(self, part: str) -> None:
        if not self.only or part == self.only:
            self._send(b"disable\n")


perf = _PerfSwitch()
perf.on("import")
_start = time.perf_counter()
import pytest_seams.hooks as hooks_module  # noqa: E402  (the engine an active session loads)
import pytest_seams.plugin as plugin  # noqa: E402

spent: dict[str, float] = {"import": time.perf_counter() - _start}
perf.off("import")
hooks: dict[str, float] = {}


def _timed(function: Callable[..., Any], label: str) -> Callable[..., Any]:
    @functools.wraps(function)  # keeps pluggy's hookimpl options and the signature
    def timed(*args: Any, **kwargs: Any) -> Any:
        perf.on(function.__name__)
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            hooks[label] = hooks.get(label, 0.0) + time.perf_counter() - start
            perf.off(function.__name__)

    return timed


def _wrap_hooks(owner: Any, prefix: str) -> None:
    for name, value in list(vars(owner).items()):
        wrappable = inspect.isfunction(value) and not inspect.isgeneratorfunction(value)
        if name.startswith("pytest_") and wrappable:
            setattr(owner, name, _timed(value, prefix + name))


_wrap_hooks(plugin, "")
_wrap_hooks(hooks_module.SessionHooks, "session.")


@atexit.register
def _write() -> None:
    out = os.environ.get("SEAMS_SELF_TIME_OUT")
    if out:
        total = spent["import"] + sum(hooks.values())
        with open(out, "w", encoding="utf-8") as stream:
            json.dump({"import": spent["import"], "hooks": hooks, "total": total}, stream)
