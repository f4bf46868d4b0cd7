"""The JSON report: the Report model itself. Its schema is docs/report.schema.json."""

from __future__ import annotations

import json
from typing import Any

from pytest_seams.model import Report, adapter


def render_json(report: Report) -> str:
    """The report as JSON: what ``adapter(Report).dump_json`` writes, without building it.

    pydantic_core serialises the dataclasses field by field, exactly as the adapter does for
    this model (a test holds them equal); building the adapter costs more than a warm
    session's whole work, so it is left to the JSON Schema and to validation.
    """
    from pydantic_core import to_json

    return to_json(report, indent=2).decode() + "\n"


def report_schema() -> dict[str, Any]:
    schema: dict[str, Any] = adapter(Report).json_schema(mode="serialization")
    _one_line_descriptions(schema)
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "pytest-seams report"
    return schema


def render_schema() -> str:
    return json.dumps(report_schema(), indent=2, sort_keys=True) + "\n"


def _one_line_descriptions(node: object) -> None:
    """Descriptions come from attribute docstrings, wrapped in the source: unwrap them."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "description" and isinstance(value, str):
                node[key] = " ".join(value.split())
            else:
                _one_line_descriptions(value)
    elif isinstance(node, list):
        for value in node:
            _one_line_descriptions(value)
