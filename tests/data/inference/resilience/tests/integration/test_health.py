"""Health endpoints."""


def test_health_reports_degraded_when_fallback_active():
    """
    Test that health says 'degraded', not 'down', on the memory fallback.

    Seam Under Test:
        /internal/health → CacheHealthChecker → Redis PING
    """
    assert True


def test_health_reports_healthy_after_ping():
    """
    Test that a successful PING reports the cache as healthy.

    Seam Under Test:
        Health check endpoint → cache health → Redis ping succeeds
    """
    assert True


def test_ai_provider_health_probe():
    """
    Test that the AI provider probe is included in the health payload.

    Integration Scope:
        Health endpoint → LLM provider health probe (models.list)
    """
    assert True


def test_readiness_waits_for_migrations_and_cache():
    """
    Test that /ready stays 503 until migrations ran and the cache answered.

    Integration Scope:
        /ready → migration status table; /ready → cache connection pool
    """
    assert True
