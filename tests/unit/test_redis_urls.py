"""The database choice of the Redis fixtures on a real server."""

from __future__ import annotations

import pytest

from pytest_seams.redis_fixtures import url_with_database


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("redis://127.0.0.1:6379", "redis://127.0.0.1:6379/3"),
        ("redis://127.0.0.1:6379/0", "redis://127.0.0.1:6379/3"),
        ("rediss://user:secret@cache.example:6380/5", "rediss://user:secret@cache.example:6380/3"),
        ("unix:///run/redis.sock", "unix:///run/redis.sock?db=3"),
        ("unix:///run/redis.sock?db=0&password=x", "unix:///run/redis.sock?password=x&db=3"),
    ],
)
def test_url_names_the_database(url: str, expected: str) -> None:
    assert url_with_database(url, 3) == expected
