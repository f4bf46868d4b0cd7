"""AI response caching."""


def test_second_identical_request_served_from_cache():
    """
    Test that an identical request is answered without calling Gemini.

    Integration Scope:
        TextProcessor service checks the AI cache before calling the model
    """
    assert True


def test_different_options_produce_different_entries():
    """
    Test that changing max_length produces a fresh provider call.

    Integration Scope:
        cache key generation (operation + text hash + options) as used by the
        text processor
    """
    assert True


def test_sentiment_ttl_shorter_than_summary():
    """
    Test per-operation expiry of stored answers.

    Where processed results are remembered: each operation keeps its own
    time-to-live, sentiment shorter than summaries.
    """
    assert True


def test_cache_key_hash_is_stable():
    """CacheKeyGenerator hashes long text identically across processes."""
    assert True
