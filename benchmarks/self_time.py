"""A pytest plugin for the benchmark: the wall time one session spends inside pytest-seams.

Loaded with ``-p self_time`` (``benchmarks/`` on PYTHONPATH), before pytest-seams' own entry
point: it imports ``pytest_seams.plugin`` itself, through pytest's assertion-rewriting importer
as a real session does, and times that import and every call of the hooks pytest-seams
implements. At exit it writes ``{"import": s, "hooks": {name: s}, "total": s}`` as JSON to the
file named by $SEAMS_SELF_TIME_OUT.

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

_start = time.perf_counter()
import pytest_seams.plugin as plugin  # noqa: E402

spent: dict[str, float] = {"import": time.perf_counter() - _start}
hooks: dict[str, float] = {}


def _timed(function: Callable[..., Any], label: str) -> Callable[..., Any]:
    @functools.wraps(function)  # keeps pluggy's hookimpl options and the signature
    def timed(*args: Any, **kwargs: Any) -> Any:
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            hooks[label] = hooks.get(label, 0.0) + time.perf_counter() - start

    return timed


def _wrap_hooks(owner: Any, prefix: str) -> None:
    for name, value in list(vars(owner).items()):
        wrappable = inspect.isfunction(value) and not inspect.isgeneratorfunction(value)
        if name.startswith("pytest_") and wrappable:
            setattr(owner, name, _timed(value, prefix + name))


_wrap_hooks(plugin, "")
_wrap_hooks(plugin.SessionHooks, "session.")


@atexit.register
def _write() -> None:
    out = os.environ.get("SEAMS_SELF_TIME_OUT")
    if out:
        total = spent["import"] + sum(hooks.values())
        with open(out, "w", encoding="utf-8") as stream:
            json.dump({"import": spent["import"], "hooks": hooks, "total": total}, stream)
