"""Resilience presets and settings."""


def test_production_preset_sets_strict_thresholds():
    """
    Test that RESILIENCE_PRESET=production yields the production thresholds.

    Seam Under Test:
        RESILIENCE_PRESET env → preset_manager → Settings
    """
    assert True


def test_unknown_preset_falls_back_to_simple():
    """
    Test that an unknown preset name does not crash start-up.

    Integration between the settings object and the preset loader when the
    name is unknown: the simple preset is used and a warning is logged.
    """
    assert True


def test_custom_json_override_merges_with_preset():
    """
    Test that a custom JSON override changes only the keys it names.

    Integration Scope:
        Settings + resilience_custom_config JSON + preset defaults
    """
    assert True


def test_cors_origins_parsed():
    """Settings parses comma-separated CORS origins into a list."""
    assert True


def test_env_overrides_dotenv():
    """
    Test that process environment wins over the .env file.

    Integration Scope:
        Settings ↔ .env file ↔ process environment (pydantic-settings)
    """
    assert True
