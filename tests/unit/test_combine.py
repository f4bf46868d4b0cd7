"""combine.combine: the pure merge of shard reports."""

from __future__ import annotations

from pytest_seams.combine import combine
from pytest_seams.model import Finding, Report, ReportMeta, Seam, SeamLink, TestRecord

PATH = "tests/integration/test_shop.py"


def meta(**changes: object) -> ReportMeta:
    values: dict[str, object] = {
        "plugin_version": "0.1.0",
        "pytest_version": "9.0",
        "python_version": "3.11",
        "args": ("-k", "shard"),
        "mode": "warn",
    }
    values.update(changes)
    return ReportMeta(**values)  # type: ignore[arg-type]


def record(name: str, **changes: object) -> TestRecord:
    record = TestRecord(f"{PATH}::{name}", PATH, 1, True)
    for key, value in changes.items():
        setattr(record, key, value)
    return record


def seam(status: str, *linked: str) -> Seam:
    return Seam(
        id="checkout",
        title="Checkout",
        priority="P0",
        status=status,  # type: ignore[arg-type]
        tests=tuple(f"{PATH}::{name}" for name in linked),
        links=tuple(SeamLink(nodeid=f"{PATH}::{name}", reason="marker") for name in linked),
        plan="TEST_PLAN.md",
        line=3,
    )


ENV_WRITE = Finding("SEAM201", "env-write", "error", PATH, 4, f"{PATH}::test_a", "env write")


def test_worst_outcome_and_selection_win_and_statuses_are_recomputed() -> None:
    first = Report.build(
        meta(xdist_workers=2, timestamp="2026-11-29T10:00:01+00:00", problems=("p1",)),
        findings=[ENV_WRITE],
        tests=[record("test_a", outcome="passed"), record("test_b", selected=False)],
        seams=[seam("verified", "test_a")],
    )
    second = Report.build(
        meta(xdist_workers=3, timestamp="2026-11-29T10:00:00+00:00", problems=("p1", "p2")),
        findings=[ENV_WRITE],
        tests=[record("test_a", outcome="failed"), record("test_b", outcome="skipped")],
        seams=[seam("failing", "test_a", "test_b")],
    )
    combined = combine([first, second])
    assert [(t.nodeid.rpartition("::")[2], t.selected, t.outcome) for t in combined.tests] == [
        ("test_a", True, "failed"),
        ("test_b", True, "skipped"),
    ]
    assert combined.findings == (ENV_WRITE,)
    assert combined.counts.error == 1
    (merged,) = combined.seams
    assert merged.tests == (f"{PATH}::test_a", f"{PATH}::test_b")
    assert merged.status == "failing"
    assert combined.seam_summary[0].failing == 1
    assert combined.meta.xdist_workers == 5
    assert combined.meta.problems == ("p1", "p2")
    assert combined.meta.partial is True
    assert combined.meta.timestamp == "2026-11-29T10:00:00+00:00"
    assert combined.meta.args == ()
    assert combined.verdict is None


def test_unlinked_seam_is_untested_when_the_shards_make_the_whole_suite() -> None:
    shards = [
        Report.build(meta(), tests=[record("test_a", outcome="passed")], seams=[seam("not-run")]),
        Report.build(meta(), tests=[record("test_a", selected=False)], seams=[seam("not-run")]),
    ]
    assert combine(shards).seams[0].status == "untested"
    never_run = [
        Report.build(meta(), tests=[record("test_a", selected=False)], seams=[seam("not-run")])
    ] * 2
    assert combine(never_run).seams[0].status == "not-run"
