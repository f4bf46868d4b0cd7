"""Seam properties in pytest's JUnit XML (``--junitxml``): on each test case, the seams it
links to, their statuses and the test's pre-merge checklist result.

    <testcase classname="tests.integration.test_cart" name="test_totals" ...>
      <properties>
        <property name="seam" value="CART-1"/>
        <property name="seam_status" value="CART-1=verified"/>
        <property name="seam_checklist" value="fail: 3, 5"/>
      </properties>

Why here and not in ``report.user_properties`` as each test ends: a test's links need the plans
and every test's hints, a seam's status needs every outcome, and the checklist needs the
session's findings; all are known only when the session's Report is built, on the xdist
controller, after junitxml has turned each test's reports into its ``<testcase>`` element
(``_NodeReporter.finalize``). So, in the process that writes the XML (xdist's controller, or
the only process), this plugin remembers each test's node reporters as junitxml makes them
(a wrapper of ``pytest_runtest_logreport``), and at session finish, before junitxml's own
``pytest_sessionfinish`` writes the file, adds the properties to the finished elements. Nothing
is written by us: junitxml writes the file once, whole, as it always does, so it is never
corrupted or truncated, and with xdist the workers, which write no XML, have nothing to do.
Uses junitxml's ``xml_key`` stash key and its reporters' elements (private to pytest); if they
change shape, the properties are left out and the XML is untouched.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Generator
from typing import Any

import pytest

from pytest_seams.model import Report, TestRecord


def logxml(config: pytest.Config) -> Any | None:
    """junitxml's LogXML of this session, when --junitxml writes one from this process."""
    try:
        from _pytest.junitxml import xml_key
    except ImportError:
        return None
    return config.stash.get(xml_key, None)


def properties(test: TestRecord, report: Report) -> list[tuple[str, str]]:
    """The seam properties of one test."""
    status = {seam.id: seam.status for seam in report.seams}
    result = [("seam", seam) for seam in test.seams]
    result += [("seam_status", f"{seam}={status[seam]}") for seam in test.seams if seam in status]
    if test.checklist:
        failed = [str(item.number) for item in test.checklist if item.status == "fail"]
        unknown = [str(item.number) for item in test.checklist if item.status == "unknown"]
        if failed:
            result.append(("seam_checklist", "fail: " + ", ".join(failed)))
        elif unknown:
            result.append(("seam_checklist", "unknown: " + ", ".join(unknown)))
        else:
            result.append(("seam_checklist", "pass"))
    return result


class JunitProperties:
    """Registered on the process that writes the JUnit XML, when pytest-seams is active."""

    def __init__(self, config: pytest.Config) -> None:
        # junitxml's LogXML is looked up when the first test reports: its pytest_configure may
        # run after ours.
        self.config = config
        self.reporters: dict[str, list[Any]] = {}

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_logreport(self, report: pytest.TestReport) -> Generator[None, None, None]:
        # Before junitxml finalises a test case (teardown pops its reporter) and after it
        # opens one (setup, call): between the two, every reporter of the test is seen.
        self._remember(report)
        try:
            return (yield)
        finally:
            self._remember(report)

    def _remember(self, report: pytest.TestReport) -> None:
        xml = logxml(self.config)
        if xml is None:
            return
        key = (getattr(report, "id", report.nodeid), getattr(report, "node", None))
        reporter = xml.node_reporters.get(key)
        if reporter is None:
            return
        known = self.reporters.setdefault(report.nodeid, [])
        if not any(reporter is other for other in known):
            known.append(reporter)

    def add(self, report: Report) -> None:
        """Add each test's properties to its finished test case elements."""
        for test in report.tests:
            reporters = self.reporters.get(test.nodeid)
            if not reporters:
                continue
            pairs = properties(test, report)
            if not pairs:
                continue
            done: list[ET.Element] = []
            for reporter in reporters:
                # A finished reporter's to_xml is junitxml's closure over its one element.
                if "to_xml" not in vars(reporter):
                    continue
                element = reporter.to_xml()
                if not isinstance(element, ET.Element) or any(element is e for e in done):
                    continue
                done.append(element)
                _append_properties(element, pairs)
        self.reporters.clear()


def _append_properties(testcase: ET.Element, pairs: list[tuple[str, str]]) -> None:
    holder = testcase.find("properties")
    if holder is None:
        # JUnit's schema puts properties first in a test case.
        holder = ET.Element("properties")
        testcase.insert(0, holder)
    for name, value in pairs:
        holder.append(ET.Element("property", name=name, value=value))
