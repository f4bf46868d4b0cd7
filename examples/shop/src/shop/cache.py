"""A price cache in front of the catalogue."""

from __future__ import annotations


class PriceCache:
    def __init__(self, store: dict[str, int] | None = None) -> None:
        self.store: dict[str, int] = {} if store is None else store

    def get_or_load(self, sku: str, load: object) -> int:
        if sku not in self.store:
            self.store[sku] = load(sku)  # type: ignore[operator]
        return self.store[sku]


class RedisPriceCache:
    """Prices cached in Redis for a while, shared by every process of the shop."""

    def __init__(self, client: object, ttl_seconds: int = 300) -> None:
        self.client = client  # a redis.Redis
        self.ttl_seconds = ttl_seconds

    @classmethod
    def from_url(cls, url: str, ttl_seconds: int = 300) -> RedisPriceCache:
        """The cache as the shop's processes build it, from their REDIS_URL setting."""
        import redis

        return cls(redis.Redis.from_url(url), ttl_seconds)

    def get_or_load(self, sku: str, load: object) -> int:
        key = f"price:{sku}"
        cached = self.client.get(key)  # type: ignore[attr-defined]
        if cached is not None:
            return int(cached)
        price: int = load(sku)  # type: ignore[operator]
        self.client.set(key, price, ex=self.ttl_seconds)  # type: ignore[attr-defined]
        return price
