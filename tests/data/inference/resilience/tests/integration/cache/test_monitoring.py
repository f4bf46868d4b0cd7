"""Cache monitoring."""


def test_hit_ratio_reported():
    """
    Test that the metrics endpoint reports the hit ratio.

    Seam Under Test:
        CachePerformanceMonitor → /internal/metrics (hit ratio, p95)
    """
    assert True


def test_slow_operation_logged():
    """Operations slower than 100 ms are logged at WARNING."""
    assert True
