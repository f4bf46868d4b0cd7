"""Settings: one table of options, read from the command line and ini files into one model.

Every setting has a command-line option and an ini key (pytest.ini, ``[tool.pytest.ini_options]``,
tox.ini, setup.cfg). The command line wins over ini; ini wins over the default. A bad value raises
``pytest.UsageError`` with one line naming the option, the value and what is allowed.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

import pytest

from pytest_seams.formats import FORMATS, formats_allowed, formats_help, unknown_format

Mode = Literal["off", "warn", "strict"]
MODES: tuple[Mode, ...] = ("off", "warn", "strict")
# Real plans are tens of KB; parsing costs up to ~15 s per MiB of pathological Markdown.
DEFAULT_PLAN_MAX_BYTES = 1024 * 1024
# The checklist's defaults (item 4, "tests from the outside in", and item 5's fakes): fixtures
# of pytest-django, Flask, FastAPI/Starlette and click test suites; test clients and runners;
# pytest-redis, pytest-postgresql, fakeredis, pytest-docker, pytest-httpserver and
# testcontainers-style fixtures. Fixture names may be globs.
DEFAULT_ENTRY_POINT_FIXTURES = (
    "client", "async_client", "api_client", "test_client", "admin_client", "cli_runner",
    "runner", "live_server",
)  # fmt: skip
DEFAULT_ENTRY_POINTS = (
    "TestClient", "httpx.Client", "httpx.AsyncClient", "AsyncClient", "CliRunner",
    "click.testing.CliRunner", "typer.testing.CliRunner", "django.test.Client",
    "flask.testing.FlaskClient", "aiohttp.test_utils.TestClient",
)  # fmt: skip
DEFAULT_FAKE_FIXTURES = (
    "fakeredis*", "fake_redis*", "redis_server", "redisdb", "redis_proc", "postgresql",
    "postgresql_proc", "mysql", "mysql_proc", "mongodb", "*_container", "docker_services",
    "httpserver", "localstack*", "seams_redis", "seams_async_redis", "seams_redis_url",
)  # fmt: skip
# Where a real Redis server for the seams_redis fixtures can be named besides
# --seam-redis-url and seam_redis_url (docs/fixtures.md).
REDIS_URL_ENV = "SEAMS_REDIS_URL"
REDIS_URL_SCHEMES = ("redis://", "rediss://", "unix://")
PRIORITIES = ("P0", "P1", "P2", "P3")
SEVERITY_OVERRIDES = ("error", "warning", "info", "off")
GATE_CHECKLIST_SCOPES = ("changed", "all", "off")
GATE_FINDINGS_SCOPES = ("all", "changed")
ENV_LEAK_MODES = ("report", "restore", "off")
# Returned by getini for a key the ini files do not set, to tell "unset" from "set to empty".
_UNSET = "<unset>"


class BadValue(ValueError):
    """A setting value that cannot be used, with the value and the reason."""

    def __init__(self, value: object, reason: str) -> None:
        super().__init__(reason)
        self.value = value
        self.reason = reason


@dataclass(frozen=True)
class ReportSpec:
    """One ``--seam-report`` value: a format of ``formats.FORMATS`` and, for file formats,
    where to write it."""

    format: str
    path: str | None = None

    @classmethod
    def parse(cls, value: str) -> ReportSpec:
        fmt, sep, path = value.partition(":")
        fmt = fmt.strip()
        entry = FORMATS.get(fmt)
        if entry is None:
            raise ValueError(unknown_format(fmt))
        if entry.default_path is None:
            if sep:
                raise ValueError(f"the {fmt} report takes no path")
            return cls(fmt)
        if sep and not path.strip():
            raise ValueError(f"empty path after '{fmt}:'")
        return cls(fmt, path.strip() if sep else entry.default_path)


@dataclass(frozen=True)
class PathIgnore:
    """One per-path suppression: codes ignored in files matching a glob."""

    glob: str
    codes: tuple[str, ...]

    @classmethod
    def parse(cls, value: str) -> PathIgnore:
        glob, sep, codes_text = value.rpartition(":")
        glob = glob.strip()
        if not sep or not glob:
            raise ValueError("expected 'GLOB: CODE[, CODE...]'")
        codes = tuple(code.strip() for code in codes_text.split(",") if code.strip())
        if not codes:
            raise ValueError("no codes after ':'")
        from pytest_seams.codes import ALL_CODES  # not on the path of a session that is inactive

        unknown = [code for code in codes if code not in ALL_CODES]
        if unknown:
            raise ValueError(f"unknown code {unknown[0]!r}")
        return cls(glob=glob, codes=codes)


@dataclass(frozen=True, kw_only=True)
class Config:
    """All pytest-seams settings for one session (``from_raw`` validates raw values)."""

    mode: Mode = "warn"
    reports: tuple[ReportSpec, ...] = (ReportSpec(format="term"),)
    integration_paths: tuple[str, ...] = ("**/integration/**",)
    integration_markers: tuple[str, ...] = ("integration",)
    required_sections: tuple[str, ...] = (
        "Integration Scope",
        "Business Impact",
        "Success Criteria",
    )
    inherited_sections: tuple[str, ...] = ("Seam Under Test", "Critical Paths")
    per_path_ignores: tuple[PathIgnore, ...] = ()
    first_party: tuple[str, ...] = ()
    boundaries: tuple[str, ...] = ()
    internal_mock_scope: Literal["integration", "all"] = "integration"
    plans: tuple[str, ...] = ("TEST_PLAN*.md", "test_plan*.md")
    # added to / overriding plan.DEFAULT_PRIORITY_WORDS
    priority_words: dict[str, str] = field(default_factory=dict)
    # A larger plan is not read: parsing it could cost the run many seconds.
    plan_max_bytes: int = DEFAULT_PLAN_MAX_BYTES
    # Class 5 of link evidence: a docstring describing a seam in its own words.
    infer_links: bool = True
    # The pre-merge checklist (checklist.py, docs/checklist.md).
    checklist: bool = False
    entry_point_fixtures: tuple[str, ...] = DEFAULT_ENTRY_POINT_FIXTURES
    entry_points: tuple[str, ...] = DEFAULT_ENTRY_POINTS
    fake_fixtures: tuple[str, ...] = DEFAULT_FAKE_FIXTURES
    # The gate (docs/gate.md).
    gate: bool = False
    fail_under: tuple[tuple[str, float], ...] = (("P0", 100.0),)
    """Per priority, the least percentage of non-deferred seams that must be verified."""
    gate_checklist: Literal["changed", "all", "off"] = "changed"
    gate_findings: Literal["all", "changed"] = "all"
    since: str | None = None
    """The git ref whose merge base with HEAD starts the new work (``--seam-since``)."""
    baseline: str | None = None
    """The baseline file, rootdir-relative or absolute."""
    baseline_write: bool = False
    severity: dict[str, str] = field(default_factory=dict)
    """Code -> error, warning, info or off (``seam_severity``)."""
    env_leak: Literal["report", "restore", "off"] = "restore"
    """Runtime environment-leak detection (isolation.py, docs/isolation.md)."""
    redis_url: str | None = None
    """A real Redis server for the seams_redis fixtures; None: fakeredis (or SEAMS_REDIS_URL)."""

    @property
    def wants_checklist(self) -> bool:
        """Whether anything shows or judges the pre-merge checklist: ``--seam-checklist``, a
        file report (JSON, Markdown, HTML carry it) or the gate. Otherwise its facts are not
        gathered: a warm session only prints the terminal report."""
        return (
            self.checklist
            or (self.gate and self.gate_checklist != "off")
            or any(FORMATS[spec.format].takes_path for spec in self.reports)
        )

    @classmethod
    def from_raw(cls, raw: dict[str, object]) -> Config:
        """Validate raw values (strings and lists from the command line or ini files).

        Raises ``InvalidSetting`` naming the first bad field, value and reason.
        """
        values: dict[str, Any] = {}
        for name, value in raw.items():
            parse = _PARSERS[name]
            try:
                values[name] = parse(value)
            except BadValue as error:
                raise InvalidSetting(name, error.value, error.reason) from None
        return cls(**values)


def _mode(value: object) -> object:
    if isinstance(value, str) and value.strip().lower() in MODES:
        return value.strip().lower()
    raise BadValue(value, "unknown mode")


def _scope(value: object) -> object:
    if isinstance(value, str) and value.strip().lower() in ("integration", "all"):
        return value.strip().lower()
    raise BadValue(value, "unknown scope")


def _words(value: object) -> dict[str, str]:
    entries = (
        [f"{word}={priority}" for word, priority in value.items()]
        if isinstance(value, dict)
        else _as_list(value)
    )
    words = {}
    for entry in entries:
        word, sep, priority = _text(entry).rpartition("=")
        priority = priority.strip()
        if not sep or not word.strip():
            raise BadValue(entry, "expected 'WORD=PRIORITY'")
        if priority not in ("P0", "P1", "P2", "P3", "deferred"):
            raise BadValue(entry, f"unknown priority {priority!r}")
        words[word.strip().upper()] = priority
    return words


def _one_of(allowed: tuple[str, ...]) -> Callable[[object], object]:
    def parse(value: object) -> object:
        if isinstance(value, str) and value.strip().lower() in allowed:
            return value.strip().lower()
        raise BadValue(value, "expected " + " or ".join(allowed))

    return parse


def _fail_under(value: object) -> tuple[tuple[str, float], ...]:
    thresholds: dict[str, float] = {}
    for entry in _as_list(value):
        priority, sep, percent = _text(entry).partition(":")
        priority = priority.strip().upper()
        if not sep or priority not in PRIORITIES:
            raise BadValue(entry, "expected 'PRIORITY:PERCENT' with P0, P1, P2 or P3")
        try:
            number = float(percent.strip())
        except ValueError:
            number = -1.0
        if not 0 <= number <= 100:  # also rejects nan
            raise BadValue(entry, "the percentage must be a number from 0 to 100")
        thresholds[priority] = number
    return tuple(sorted(thresholds.items()))


def _severities(value: object) -> dict[str, str]:
    from pytest_seams.codes import ALL_CODES  # not on the path of a session that is inactive

    severities = {}
    for entry in _as_list(value):
        code, sep, severity = _text(entry).partition(":")
        code, severity = code.strip().upper(), severity.strip().lower()
        if not sep or severity not in SEVERITY_OVERRIDES:
            raise BadValue(entry, "expected 'CODE:SEVERITY' with error, warning, info or off")
        if code not in ALL_CODES:
            raise BadValue(entry, f"unknown code {code!r}")
        severities[code] = severity
    return severities


def _ref(value: object) -> str:
    text = value.strip() if isinstance(value, str) else ""
    # A ref starting with '-' would reach git as an option.
    if not text or text.startswith("-") or any(ch.isspace() or ch == "\0" for ch in text):
        raise BadValue(value, "expected a git ref such as origin/main")
    return text


def _path(value: object) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text or "\0" in text:
        raise BadValue(value, "expected a file path")
    return text


def _redis_url(value: object) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if not text.startswith(REDIS_URL_SCHEMES) or any(ch.isspace() for ch in text):
        raise BadValue(value, "expected a Redis URL such as redis://localhost:6379")
    return text


def _switch(value: object) -> bool:
    if isinstance(value, bool):
        return value
    text = value.strip().lower() if isinstance(value, str) else ""
    if text in ("true", "yes", "on", "1"):
        return True
    if text in ("false", "no", "off", "0"):
        return False
    raise BadValue(value, "expected true or false")


def _byte_count(value: object) -> int:
    text = value.strip() if isinstance(value, str) else ""
    if isinstance(value, int) and not isinstance(value, bool):
        text = str(value)
    if not text.isascii() or not text.isdigit() or int(text) < 1:
        raise BadValue(value, "expected a whole number of bytes, at least 1")
    return int(text)


def _reports(value: object) -> tuple[object, ...]:
    return tuple(_parse_each(ReportSpec.parse, value))


def _ignores(value: object) -> tuple[object, ...]:
    return tuple(_parse_each(PathIgnore.parse, value))


def _names(value: object) -> tuple[str, ...]:
    names = tuple(name for v in _as_list(value) if (name := _text(v).strip()))
    for name in names:
        if any(ch in name for ch in "\n:"):
            raise BadValue(name, "a name may not contain ':' or a newline")
    return names


def _text(item: object) -> str:
    """One item of a list setting, which must be a string (TOML lists may hold anything)."""
    if not isinstance(item, str):
        raise BadValue(item, f"expected a string, got {type(item).__name__}")
    return item


class InvalidSetting(ValueError):
    def __init__(self, field: str, value: object, reason: str) -> None:
        super().__init__(f"{field}: {reason}")
        self.field = field
        self.value = value
        self.reason = reason


_PARSERS: dict[str, Callable[[object], object]] = {
    "mode": _mode,
    "internal_mock_scope": _scope,
    "priority_words": _words,
    "reports": _reports,
    "per_path_ignores": _ignores,
    "plan_max_bytes": _byte_count,
    "infer_links": _switch,
    "checklist": _switch,
    "gate": _switch,
    "baseline_write": _switch,
    "fail_under": _fail_under,
    "gate_checklist": _one_of(GATE_CHECKLIST_SCOPES),
    "gate_findings": _one_of(GATE_FINDINGS_SCOPES),
    "since": _ref,
    "baseline": _path,
    "severity": _severities,
    "env_leak": _one_of(ENV_LEAK_MODES),
    "redis_url": _redis_url,
    **dict.fromkeys(
        (
            "integration_paths",
            "integration_markers",
            "required_sections",
            "inherited_sections",
            "first_party",
            "boundaries",
            "plans",
            "entry_point_fixtures",
            "entry_points",
            "fake_fixtures",
        ),
        _names,
    ),
}


def _parse_each(parse: Callable[[str], object], value: object) -> list[object]:
    parsed = []
    for item in _as_list(value):
        try:
            parsed.append(parse(_text(item)))
        except ValueError as error:
            raise BadValue(item, str(error)) from None
    return parsed


def _as_list(value: object) -> list[object]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return list(value)
    raise BadValue(value, "expected a list")


@dataclass(frozen=True)
class Setting:
    """One setting: its model field, command-line option, ini key and help."""

    field: str
    option: str
    ini: str
    help: str
    allowed: str
    kind: Literal["value", "flag", "comma-list", "repeatable"]

    @property
    def dest(self) -> str:
        return self.option.lstrip("-").replace("-", "_")

    @property
    def label(self) -> str:
        return f"{self.option} / {self.ini}"


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "mode",
        "--seam-mode",
        "seam_mode",
        "off: do nothing; warn (default): report findings; "
        "strict: error findings fail the session.",
        "off, warn, strict",
        "value",
    ),
    Setting(
        "reports",
        "--seam-report",
        "seam_report",
        f"Report to produce, FORMAT[:PATH]; repeatable. Formats: {formats_help()}. An empty "
        "value produces no report.",
        formats_allowed(),
        "repeatable",
    ),
    Setting(
        "integration_paths",
        "--seam-integration-paths",
        "seam_integration_paths",
        "Comma-separated globs (rootdir-relative, ** for any depth) of integration test files. "
        "Default: **/integration/**.",
        "path globs such as **/integration/**",
        "comma-list",
    ),
    Setting(
        "integration_markers",
        "--seam-integration-markers",
        "seam_integration_markers",
        "Comma-separated marker names that make a test an integration test. Default: integration.",
        "marker names",
        "comma-list",
    ),
    Setting(
        "required_sections",
        "--seam-required-sections",
        "seam_required_sections",
        "Comma-separated docstring sections every integration test must have. "
        "Default: Integration Scope, Business Impact, Success Criteria.",
        "section names without ':'",
        "comma-list",
    ),
    Setting(
        "inherited_sections",
        "--seam-inherited-sections",
        "seam_inherited_sections",
        "Comma-separated sections that may come from the class or module docstring when they are "
        "required. Default: Seam Under Test, Critical Paths.",
        "section names without ':'",
        "comma-list",
    ),
    Setting(
        "per_path_ignores",
        "--seam-per-path-ignore",
        "seam_per_path_ignores",
        "Suppress codes in files matching a glob, 'GLOB: CODE[, CODE...]'; repeatable.",
        "'GLOB: CODE[, CODE...]' with codes from docs/codes.md",
        "repeatable",
    ),
    Setting(
        "first_party",
        "--seam-first-party",
        "seam_first_party",
        "Comma-separated top-level modules that are first-party, in addition to those detected "
        "(packages under src/, packages in rootdir, the [project] name in pyproject.toml).",
        "module names",
        "comma-list",
    ),
    Setting(
        "boundaries",
        "--seam-boundaries",
        "seam_boundaries",
        "Comma-separated first-party module globs that are boundaries (adapters to third "
        "parties) and may be mocked, e.g. shop.adapters.*.",
        "module globs",
        "comma-list",
    ),
    Setting(
        "plans",
        "--seam-plans",
        "seam_plans",
        "Comma-separated globs of TEST_PLAN files (rootdir-relative; without '/' at any depth). "
        "Default: TEST_PLAN*.md, test_plan*.md.",
        "file globs",
        "comma-list",
    ),
    Setting(
        "priority_words",
        "--seam-priority-words",
        "seam_priority_words",
        "Comma-separated WORD=PRIORITY entries added to the plan priority word table (which "
        "maps e.g. CRITICAL=P0, HIGH=P1, MEDIUM=P2, LOW=P3, DEFERRED=deferred).",
        "WORD=PRIORITY with P0, P1, P2, P3 or deferred",
        "comma-list",
    ),
    Setting(
        "plan_max_bytes",
        "--seam-plan-max-bytes",
        "seam_plan_max_bytes",
        "Largest TEST_PLAN file read, in bytes; a larger plan is skipped and named in the "
        f"report's problems. Default: {DEFAULT_PLAN_MAX_BYTES} (1 MiB).",
        "a whole number of bytes, at least 1",
        "value",
    ),
    Setting(
        "infer_links",
        "--seam-infer-links",
        "seam_infer_links",
        "Whether a test whose docstrings describe a seam in their own words, with no stronger "
        "evidence, links to the seam they resemble most (reason 'inferred'). Default: true.",
        "true, false",
        "value",
    ),
    Setting(
        "checklist",
        "--seam-checklist",
        "seam_checklist",
        "Print the pre-merge checklist of every integration test in the terminal, failing "
        "items first (the JSON, Markdown and HTML reports always carry it; see "
        "docs/checklist.md). A flag on the command line; true or false in ini. Default: false.",
        "true, false",
        "flag",
    ),
    Setting(
        "entry_point_fixtures",
        "--seam-entry-point-fixtures",
        "seam_entry_point_fixtures",
        "Comma-separated fixture names (globs allowed) that drive the code from its entry point "
        "(checklist item 4), found in a test's fixture closure. Default: "
        + ", ".join(DEFAULT_ENTRY_POINT_FIXTURES)
        + ".",
        "fixture names or globs",
        "comma-list",
    ),
    Setting(
        "entry_points",
        "--seam-entry-points",
        "seam_entry_points",
        "Comma-separated callables that are entry points (checklist item 4) when a test calls "
        "them: a dotted name matches the called name as imported (httpx.Client), a plain name "
        "its last part (TestClient). Default: " + ", ".join(DEFAULT_ENTRY_POINTS) + ".",
        "names or dotted names",
        "comma-list",
    ),
    Setting(
        "fake_fixtures",
        "--seam-fake-fixtures",
        "seam_fake_fixtures",
        "Comma-separated fixture names (globs allowed) of high-fidelity fakes and real "
        "services, noted in a test's favour by checklist item 5. Default: "
        + ", ".join(DEFAULT_FAKE_FIXTURES)
        + ".",
        "fixture names or globs",
        "comma-list",
    ),
    Setting(
        "internal_mock_scope",
        "--seam-internal-mock-scope",
        "seam_internal_mock_scope",
        "Which tests the internal-mock rule applies to: integration (default) or all.",
        "integration, all",
        "value",
    ),
    Setting(
        "severity",
        "--seam-severity",
        "seam_severity",
        "Comma-separated CODE:SEVERITY overrides of finding severities, SEVERITY one of error, "
        "warning, info, or off to drop the code's findings (e.g. SEAM201:warning, SEAM501:off). "
        "Reports, strict mode and the gate all see the overridden severities.",
        "CODE:SEVERITY with codes from docs/codes.md and error, warning, info or off",
        "comma-list",
    ),
    Setting(
        "env_leak",
        "--seam-env-leak",
        "seam_env_leak",
        "Runtime environment-leak detection (docs/isolation.md): report the environment "
        "variables (names only), working directory, sys.path and first-party sys.modules "
        "entries a test or a wide fixture leaves changed; restore (default) also puts the "
        "environment, cwd and sys.path back after each finding; off checks nothing.",
        "report, restore, off",
        "value",
    ),
    Setting(
        "gate",
        "--seam-gate",
        "seam_gate",
        "Judge the session against the gate conditions at its end and exit 1 when one fails "
        "(docs/gate.md); a flag on the command line. Default: false.",
        "true, false",
        "flag",
    ),
    Setting(
        "fail_under",
        "--seam-fail-under",
        "seam_fail_under",
        "Gate: comma-separated PRIORITY:PERCENT, the least percentage of non-deferred seams of "
        "that priority that must be verified (like --cov-fail-under); replaces the default. "
        "Default: P0:100.",
        "PRIORITY:PERCENT with P0, P1, P2 or P3 and 0 to 100, e.g. P0:100, P1:80",
        "comma-list",
    ),
    Setting(
        "gate_checklist",
        "--seam-gate-checklist",
        "seam_gate_checklist",
        "Gate: which integration tests must pass every checklist item: changed (default; the "
        "tests in files changed since --seam-since, none without it), all, or off.",
        "changed, all, off",
        "value",
    ),
    Setting(
        "gate_findings",
        "--seam-gate-findings",
        "seam_gate_findings",
        "Gate: which error findings fail it: all (default), or changed (those in files changed "
        "since --seam-since; all without it).",
        "all, changed",
        "value",
    ),
    Setting(
        "since",
        "--seam-since",
        "seam_since",
        "Gate: the git ref (e.g. origin/main) whose merge base with HEAD starts the new work: "
        "files changed since then (committed, staged, unstaged, untracked) are the changed "
        "files.",
        "a git ref such as origin/main",
        "value",
    ),
    Setting(
        "baseline",
        "--seam-baseline",
        "seam_baseline",
        "Gate: a baseline file (rootdir-relative) of known findings; findings recorded in it do "
        "not fail the gate, new ones do.",
        "a file path",
        "value",
    ),
    Setting(
        "baseline_write",
        "--seam-baseline-write",
        "seam_baseline_write",
        "Write the session's findings to the --seam-baseline file (replacing it) and judge "
        "the gate against it; a flag on the command line. Default: false.",
        "true, false",
        "flag",
    ),
    Setting(
        "redis_url",
        "--seam-redis-url",
        "seam_redis_url",
        "A real Redis server (redis://host:port) for the seams_redis, seams_async_redis and "
        "seams_redis_url fixtures instead of fakeredis: each test gets a database of its own, "
        "flushed before and after it, so point it at a throwaway server. The environment "
        f"variable {REDIS_URL_ENV} is read when neither this option nor the ini key is set "
        "(docs/fixtures.md).",
        "a Redis URL such as redis://127.0.0.1:6379",
        "value",
    ),
)


def add_options(parser: pytest.Parser) -> None:
    group = parser.getgroup("seams", "integration-test checks and seam coverage (pytest-seams)")
    for setting in SETTINGS:
        if setting.kind == "repeatable":
            group.addoption(
                setting.option, action="append", dest=setting.dest, default=None, help=setting.help
            )
        elif setting.kind == "flag":  # on the command line: on when given (ini: true/false)
            group.addoption(
                setting.option,
                action="store_const",
                const="true",
                dest=setting.dest,
                default=None,
                help=setting.help,
            )
        else:
            group.addoption(setting.option, dest=setting.dest, default=None, help=setting.help)
        if setting.kind in ("value", "flag"):
            parser.addini(setting.ini, help=setting.help, type="string", default=_UNSET)
        else:
            parser.addini(setting.ini, help=setting.help, type="linelist", default=_UNSET)


def _raw_value(config: pytest.Config, setting: Setting) -> object | None:
    cli: object = config.getoption(setting.dest, default=None)
    if cli is not None:
        if setting.kind == "comma-list":
            return str(cli).split(",")
        if isinstance(cli, list):
            return [value for value in cli if value.strip()]
        return cli
    value = _ini_value(config, setting)
    if value == _UNSET:
        return None
    if setting.kind == "comma-list" and isinstance(value, list):
        # Items that are not strings (a TOML list may hold numbers) are left for validation.
        return [
            part
            for line in value
            for part in (line.split(",") if isinstance(line, str) else [line])
        ]
    return value


def _ini_value(config: pytest.Config, setting: Setting) -> object:
    """The ini value as pytest gives it, with pytest's own type errors in our one-line form."""
    try:
        return config.getini(setting.ini)
    except pytest.UsageError as error:  # [tool.pytest] (native TOML): pytest checks the type
        raise _usage_error(setting, None, str(error)) from None


def _usage_error(setting: Setting, value: str | None, reason: str) -> pytest.UsageError:
    shown = "" if value is None else f" {value}"
    return pytest.UsageError(
        f"pytest-seams: invalid value{shown} for {setting.label}: {reason}; "
        f"allowed: {setting.allowed}"
    )


def raw_settings(config: pytest.Config) -> dict[str, object]:
    """The settings given on the command line or in ini files, unvalidated, by field name.

    Empty when the project set none (then pytest-seams may be inactive, see ``activation``).
    """
    raw: dict[str, object] = {}
    with warnings.catch_warnings():
        # pytest warns (an error under -W error) when a TOML list is given for a string key
        # in [tool.pytest.ini_options]; such a value gets our one-line usage error instead.
        warnings.simplefilter("ignore")
        for setting in SETTINGS:
            value = _raw_value(config, setting)
            if value is not None:
                raw[setting.field] = value
    return raw


def read_config(config: pytest.Config, raw: dict[str, object] | None = None) -> Config:
    """Build the Config from the command line and ini (or from their ``raw_settings``), or
    raise a one-line UsageError."""
    if raw is None:
        raw = raw_settings(config)
    try:
        return Config.from_raw(raw)
    except InvalidSetting as error:
        setting = next(s for s in SETTINGS if s.field == error.field)
        raise _usage_error(setting, _shown(error.value), error.reason) from None


def _shown(value: object) -> str:
    """The bad value for the one-line error: its repr (one line), cut when long."""
    shown = repr(value)
    return shown if len(shown) <= 80 else shown[:77] + "..."
