"""Recognising the mocking APIs under every import spelling."""

from __future__ import annotations

_MOCK_MODULES = ("unittest.mock.", "mock.")
_MOCKER_FIXTURES = (
    "mocker.",
    "class_mocker.",
    "module_mocker.",
    "package_mocker.",
    "session_mocker.",
)
MOCK_FACTORIES = frozenset(
    {
        "Mock",
        "MagicMock",
        "AsyncMock",
        "NonCallableMock",
        "NonCallableMagicMock",
        "PropertyMock",
        "create_autospec",
    }
)
# Mock classes whose first parameter is ``spec``.
SPEC_FIRST = frozenset(
    {"Mock", "MagicMock", "AsyncMock", "NonCallableMock", "NonCallableMagicMock"}
)
MONKEYPATCH_SETATTR = frozenset(
    {
        "monkeypatch.setattr",
        "pytest.MonkeyPatch.setattr",
        "pytest.MonkeyPatch.context.setattr",
        "_pytest.monkeypatch.MonkeyPatch.setattr",
        "_pytest.monkeypatch.MonkeyPatch.context.setattr",
    }
)
MONKEYPATCH_CLASSES = frozenset({"pytest.MonkeyPatch", "_pytest.monkeypatch.MonkeyPatch"})


def mock_api(callee: str | None) -> str | None:
    """``unittest.mock.patch.object`` / ``mocker.patch.object`` -> ``patch.object``; else None."""
    if callee is None:
        return None
    for prefix in (*_MOCK_MODULES, *_MOCKER_FIXTURES):
        if callee.startswith(prefix):
            return callee[len(prefix) :]
    return None


def is_patcher(callee: str | None) -> bool:
    api = mock_api(callee)
    return api is not None and (api == "patch" or api.startswith("patch."))
