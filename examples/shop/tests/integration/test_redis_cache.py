"""The Redis price cache, tested on pytest-seams's Redis fixtures.

On fakeredis by default; `SEAMS_REDIS_URL=redis://127.0.0.1:6379 pytest` runs the same tests
against a real Redis server (docs/fixtures.md).
"""

from shop.cache import RedisPriceCache


class TestRedisPriceCache:
    """Seam Under Test: PriceCache → Redis."""

    def test_second_lookup_is_served_from_redis(self, seams_redis):
        """A cached price is read back from Redis, not reloaded.

        Integration Scope: RedisPriceCache and a Redis server (seams_redis).
        Business Impact: Reloading prices from the catalogue on every page view is slow.
        Success Criteria: The second lookup returns the first price; Redis holds it.
        """
        cache = RedisPriceCache(seams_redis)
        assert cache.get_or_load("apple", lambda sku: 3) == 3
        assert cache.get_or_load("apple", lambda sku: 99) == 3
        assert seams_redis.get("price:apple") == b"3"

    def test_cached_prices_expire(self, seams_redis):
        """Prices are cached with the configured time to live.

        Integration Scope: RedisPriceCache and Redis key expiry.
        Business Impact: A price change must reach customers within the TTL.
        Success Criteria: The key's TTL is positive and at most ttl_seconds.
        """
        RedisPriceCache(seams_redis, ttl_seconds=60).get_or_load("pear", lambda sku: 7)
        assert 0 < seams_redis.ttl("price:pear") <= 60

    def test_cache_built_from_a_url_shares_prices(self, seams_redis_url, seams_redis):
        """Processes that build their client from a URL share one cache.

        Integration Scope: RedisPriceCache.from_url, redis-py, a Redis server over TCP.
        Business Impact: Each shop process must see the prices the others cached.
        Success Criteria: A price cached through the URL's client is in the shared Redis.
        """
        cache = RedisPriceCache.from_url(seams_redis_url)
        assert cache.get_or_load("plum", lambda sku: 5) == 5
        assert seams_redis.get("price:plum") == b"5"
        cache.client.close()
