"""Settings tests; one of them leaves an environment variable behind (the polluter)."""

import os


def test_default_currency():
    assert os.environ.get("SHOP_CURRENCY", "EUR") == "EUR"


def test_switches_to_test_mode():
    # The leak: written straight into os.environ and never restored (use monkeypatch.setenv).
    os.environ["SHOP_MODE"] = "test"
    assert os.environ["SHOP_MODE"] == "test"


def test_reads_region():
    assert os.environ.get("SHOP_REGION", "eu") == "eu"
