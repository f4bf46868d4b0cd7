"""Per-operation strategies."""


def test_conservative_strategy_gets_more_retries():
    """
    Test that qa (conservative) retries more often than sentiment (aggressive).

    Integration between per-operation resilience strategies and the provider
    retry count.
    """
    assert True


def test_production_preset_applies_to_ai_operations():
    """
    Test that the production preset reaches the AI operations.

    Integration Scope:
        RESILIENCE_PRESET=production → preset loader → Settings →
        per-operation strategies for summarize and qa
    """
    assert True
