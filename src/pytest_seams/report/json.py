"""The JSON report: the Report model itself. Its schema is docs/report.schema.json."""

from __future__ import annotations

import json
from typing import Any

from pytest_seams.model import Report


def render_json(report: Report) -> str:
    return report.model_dump_json(indent=2) + "\n"


def report_schema() -> dict[str, Any]:
    schema = Report.model_json_schema(mode="serialization")
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "pytest-seams report"
    return schema


def render_schema() -> str:
    return json.dumps(report_schema(), indent=2, sort_keys=True) + "\n"
