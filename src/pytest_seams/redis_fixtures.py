"""High-fidelity Redis fixtures: fakeredis by default, a real Redis server on request.

``seams_redis`` (a ``redis.Redis``), ``seams_async_redis`` (a ``redis.asyncio.Redis``) and
``seams_redis_url`` (a URL for code that builds its own client) all reach the same data within
one test. By default that data lives on a fresh ``fakeredis.FakeServer`` per test; given
``--seam-redis-url`` (``seam_redis_url``, or the ``SEAMS_REDIS_URL`` environment variable) it
lives on that real server, in a database of the test's own worker, flushed before and after each
test. So one suite runs as a contract suite against both (docs/fixtures.md).

Registered by the engine only in sessions that asked for pytest-seams; fakeredis and redis are
imported when a test first asks for a fixture, never at registration.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import pytest

from pytest_seams.config import REDIS_URL_ENV, BadValue, _redis_url

INSTALL_HINT = "pip install 'pytest-seams[redis]'"
REDIS_URL = pytest.StashKey[str | None]()
"""The real server's URL for this session (None: fakeredis)."""


def register(config: pytest.Config, option_url: str | None) -> None:
    """Make the fixtures available; the URL comes from the option/ini, else the environment."""
    url = option_url
    from_env = os.environ.get(REDIS_URL_ENV, "").strip()
    if url is None and from_env:
        try:
            url = _redis_url(from_env)
        except BadValue as error:
            raise pytest.UsageError(
                f"pytest-seams: {REDIS_URL_ENV}={from_env!r}: {error.reason}"
            ) from None
    config.stash[REDIS_URL] = url
    config.pluginmanager.register(_Fixtures(), "seams-redis-fixtures")


@dataclass(frozen=True)
class RedisTarget:
    """Where one test's Redis data lives: a fakeredis server, or a real server's database."""

    fake_server: Any | None
    """The test's own ``fakeredis.FakeServer``; None on a real server."""
    real_url: str | None
    """The real server's URL naming the test's database; None on fakeredis."""
    db: int

    @property
    def is_real(self) -> bool:
        return self.real_url is not None


def _import_fakeredis() -> Any:
    fakeredis: Any = None
    with contextlib.suppress(ImportError):
        import fakeredis
    if fakeredis is None:  # failed outside the except block: no chained traceback
        pytest.fail(
            "the seams_redis fixtures need fakeredis (and redis), which are not installed: "
            + INSTALL_HINT,
            pytrace=False,
        )
    return fakeredis


def worker_database(config: pytest.Config) -> int:
    """The database of this process: 1 without xdist, 1 + N on xdist worker gwN.

    Database 0, every client's default, is left alone: it is the one most likely to hold data.
    """
    worker = getattr(config, "workerinput", {}).get("workerid", "")
    return 1 + int(worker[2:]) if worker.startswith("gw") and worker[2:].isdigit() else 1


def url_with_database(url: str, db: int) -> str:
    """``url`` naming database ``db`` (the path of redis:// URLs, ``?db=`` of unix:// ones)."""
    parts = urlsplit(url)
    if parts.scheme == "unix":
        query = [(key, value) for key, value in parse_qsl(parts.query) if key != "db"]
        # Not urlunsplit: it drops the empty host of unix:///path.
        return f"unix://{parts.netloc}{parts.path}?{urlencode([*query, ('db', str(db))])}"
    return urlunsplit(parts._replace(path=f"/{db}"))


def _flush_real(url: str, base_url: str, db: int) -> None:
    import redis

    client = redis.Redis.from_url(url)
    try:
        client.flushdb()
    except redis.ResponseError as error:  # e.g. "DB index is out of range"
        pytest.fail(
            f"seams_redis: the Redis server at {base_url} refused database {db} ({error}); "
            f"each xdist worker gwN uses database N+1: raise 'databases' in its redis.conf "
            f"or run fewer workers",
            pytrace=False,
        )
    except redis.ConnectionError as error:
        pytest.fail(
            f"seams_redis: cannot reach the Redis server at {base_url} (from --seam-redis-url, "
            f"seam_redis_url or {REDIS_URL_ENV}): {error}",
            pytrace=False,
        )
    finally:
        client.close()


class _Fixtures:
    """The fixtures, on a plugin object so the engine registers them only when active."""

    @pytest.fixture
    def seams_redis_target(self, request: pytest.FixtureRequest) -> Iterator[RedisTarget]:
        """Where this test's Redis data lives; the other seams_redis fixtures build on it."""
        base_url = request.config.stash.get(REDIS_URL, None)
        if base_url is None:
            fakeredis = _import_fakeredis()
            yield RedisTarget(fakeredis.FakeServer(), None, 0)
            return
        _import_fakeredis()  # redis-py comes with it
        db = worker_database(request.config)
        url = url_with_database(base_url, db)
        _flush_real(url, base_url, db)
        yield RedisTarget(None, url, db)
        _flush_real(url, base_url, db)

    @pytest.fixture
    def seams_redis(self, seams_redis_target: RedisTarget) -> Iterator[Any]:
        """A ``redis.Redis`` client of this test's own Redis (fakeredis, or the real server)."""
        if seams_redis_target.real_url is not None:
            import redis

            client = redis.Redis.from_url(seams_redis_target.real_url)
        else:
            import fakeredis

            client = fakeredis.FakeRedis(server=seams_redis_target.fake_server)
        yield client
        client.close()

    @pytest.fixture
    def seams_async_redis(self, seams_redis_target: RedisTarget) -> Iterator[Any]:
        """A ``redis.asyncio.Redis`` client of this test's own Redis, for any event loop.

        A plain fixture, so it needs no async plugin: the client connects lazily in the test's
        own loop. Its connections are dropped at teardown, when that loop may be closed.
        """
        if seams_redis_target.real_url is not None:
            import redis.asyncio

            client = redis.asyncio.Redis.from_url(seams_redis_target.real_url)
        else:
            import fakeredis

            client = fakeredis.FakeAsyncRedis(server=seams_redis_target.fake_server)
        yield client
        _close_async(client)

    @pytest.fixture
    def seams_redis_url(self, seams_redis_target: RedisTarget) -> Iterator[str]:
        """A ``redis://`` URL of this test's own Redis, for code that builds its own client.

        On a real server, the URL of the test's database. On fakeredis, a loopback TCP server
        (``fakeredis.TcpFakeServer``) over the test's fake data, so any client reaches it.
        """
        if seams_redis_target.real_url is not None:
            yield seams_redis_target.real_url
            return
        import fakeredis

        tcp_server_class = getattr(fakeredis, "TcpFakeServer", None)
        if tcp_server_class is None:
            pytest.fail(
                f"seams_redis_url needs fakeredis.TcpFakeServer (fakeredis 2.24 or later; "
                f"installed: {getattr(fakeredis, '__version__', 'older')}): "
                f"pip install -U fakeredis",
                pytrace=False,
            )
        server = tcp_server_class(("127.0.0.1", 0))
        server.fake_server = seams_redis_target.fake_server  # the same data as seams_redis
        thread = threading.Thread(target=server.serve_forever, name="seams-fakeredis-tcp")
        thread.start()
        host, port = server.server_address[:2]
        try:
            yield f"redis://{host}:{port}/0"
        finally:
            server.shutdown()
            server.server_close()
            thread.join()


def _close_async(client: Any) -> None:
    """Release the async client's connections without the test's (maybe closed) loop."""
    transports = _transports(client)  # before aclose, which forgets them even when it fails
    try:
        asyncio.run(client.aclose(close_connection_pool=True))
    except RuntimeError:  # "Event loop is closed": the connections belong to the test's loop
        for transport in transports:
            _drop_socket(transport)


def _transports(client: Any) -> list[Any]:
    pool = client.connection_pool
    connections = [
        *getattr(pool, "_available_connections", ()),
        *getattr(pool, "_in_use_connections", ()),
    ]
    writers = [getattr(connection, "_writer", None) for connection in connections]
    return [writer.transport for writer in writers if writer is not None]


def _drop_socket(transport: Any) -> None:
    """Close the socket of a transport whose event loop has closed.

    Such a transport cannot close itself any more (that needs its loop) and would warn
    "unclosed transport" when collected; so close its socket and detach it.
    """
    sock = getattr(transport, "_sock", None)
    if sock is not None:
        sock.close()
        transport._sock = None
