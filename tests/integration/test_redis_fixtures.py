"""Integration tests for the Redis fixtures: one contract suite, fakeredis and a real server."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import RunJson

# The contract the fixtures keep on both backends. The tests run in file order (-p no:randomly):
# test_isolation_reads relies on running after test_isolation_writes.
CONTRACT = """
import asyncio
import time

import redis


def test_set_get(seams_redis):
    assert seams_redis.set("greeting", "hello") is True
    assert seams_redis.get("greeting") == b"hello"
    assert seams_redis.incr("counter") == 1


def test_expire(seams_redis):
    seams_redis.set("session", "abc", px=50)
    assert 0 < seams_redis.pttl("session") <= 50
    time.sleep(0.2)
    assert seams_redis.get("session") is None


def test_pipeline(seams_redis):
    with seams_redis.pipeline() as pipe:
        pipe.set("a", 1).incr("a").get("a")
        assert pipe.execute() == [True, 2, b"2"]


def test_pubsub(seams_redis):
    pubsub = seams_redis.pubsub()
    pubsub.subscribe("orders")
    assert pubsub.get_message(timeout=1)["type"] == "subscribe"
    assert seams_redis.publish("orders", "placed") == 1
    message = pubsub.get_message(ignore_subscribe_messages=True, timeout=1)
    assert message["data"] == b"placed"
    pubsub.close()


def test_isolation_writes(seams_redis):
    seams_redis.set("leftover", "x")


def test_isolation_reads(seams_redis):
    assert seams_redis.get("leftover") is None
    assert seams_redis.dbsize() == 0


def test_async_shares_the_data(seams_async_redis, seams_redis):
    async def roundtrip():
        await seams_async_redis.set("async-key", "v")
        return await seams_async_redis.get("async-key")

    assert asyncio.run(roundtrip()) == b"v"
    assert seams_redis.get("async-key") == b"v"


def test_url_reaches_the_same_data(seams_redis_url, seams_redis):
    seams_redis.set("from-fixture", "1")
    client = redis.Redis.from_url(seams_redis_url)
    assert client.get("from-fixture") == b"1"
    client.close()
"""
CONTRACT_TESTS = 8
ENV = "SEAMS_REDIS_URL"
NO_PERSISTENCE = ("--save", "", "--appendonly", "no")


def _contract(pytester: pytest.Pytester, *args: str) -> pytest.RunResult:
    pytester.makepyfile(test_contract=CONTRACT)
    return pytester.runpytest("-p", "seams", "-p", "no:randomly", "-W", "error", *args)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def real_redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A real Redis server: SEAMS_REDIS_URL (.ci/run starts one), else a redis-server started
    here on loopback, else the test skips."""
    given = os.environ.get(ENV, "").strip()
    if given:
        yield given
        return
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip(
            f"no real Redis server: set {ENV} or install redis-server "
            "(apt-get install redis-server; .ci/run does)"
        )
    port = _free_port()
    folder = tmp_path_factory.mktemp("redis")
    server = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder), *NO_PERSISTENCE],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
                break
            except OSError:
                time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


class TestRedisContract:
    """Seam Under Test: the seams_redis fixtures → fakeredis or a real Redis server."""

    def test_contract_on_fakeredis(
        self, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """The contract suite passes on fakeredis, each test on a fresh server.

        Integration Scope: seams_redis, seams_async_redis, seams_redis_url, fakeredis.
        Business Impact: Teams rely on these fakes to test cache and queue seams fast.
        Success Criteria:
            - set/get, expiry, pipelines, pub/sub, the async client and the URL all work
            - a key written by one test is absent in the next
            - no warning (unclosed sockets or threads) under -W error
        """
        monkeypatch.delenv(ENV, raising=False)
        result = _contract(pytester)
        result.assert_outcomes(passed=CONTRACT_TESTS)

    def test_contract_on_a_real_server(
        self, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, real_redis_url: str
    ) -> None:
        """The same contract suite passes on a real redis-server through SEAMS_REDIS_URL.

        Integration Scope: the fixtures, SEAMS_REDIS_URL, a real redis-server on loopback.
        Business Impact: The fake is trusted only as far as the real server agrees with it.
        Success Criteria:
            - all contract tests pass against the real server
            - the tests' database (1) is empty once the run ends; database 0 is untouched
        """
        import redis

        monkeypatch.setenv(ENV, real_redis_url)
        keeper = redis.Redis.from_url(real_redis_url, db=0)
        keeper.set("seams-test-db0", "kept")
        try:
            result = _contract(pytester)
            result.assert_outcomes(passed=CONTRACT_TESTS)
            assert redis.Redis.from_url(real_redis_url, db=1).dbsize() == 0
            assert keeper.get("seams-test-db0") == b"kept"
        finally:
            keeper.delete("seams-test-db0")
            keeper.close()

    def test_option_names_the_server_and_wins_over_the_environment(
        self, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, real_redis_url: str
    ) -> None:
        """--seam-redis-url selects the real server, over SEAMS_REDIS_URL.

        Integration Scope: the --seam-redis-url option, the environment variable, the fixtures.
        Business Impact: A CI job must be able to point one suite at its own server.
        Success Criteria:
            - with an unreachable SEAMS_REDIS_URL and --seam-redis-url given, the suite passes
        """
        monkeypatch.setenv(ENV, "redis://127.0.0.1:1")
        result = _contract(pytester, f"--seam-redis-url={real_redis_url}")
        result.assert_outcomes(passed=CONTRACT_TESTS)

    def test_each_xdist_worker_has_its_own_database(
        self, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, real_redis_url: str
    ) -> None:
        """Under -n 2 each worker uses database N+1, so parallel tests do not flush each other.

        Integration Scope: the fixtures on a real server, pytest-xdist workers gw0 and gw1.
        Business Impact: Parallel CI runs against one server must stay isolated.
        Success Criteria:
            - the tests of gw0 use database 1, those of gw1 database 2, all pass
        """
        monkeypatch.setenv(ENV, real_redis_url)
        pytester.makepyfile(
            "import os, time, pytest\n"
            "@pytest.mark.parametrize('n', range(6))\n"
            "def test_db(seams_redis, seams_redis_url, n):\n"
            "    worker = int(os.environ['PYTEST_XDIST_WORKER'][2:])\n"
            "    assert seams_redis.connection_pool.connection_kwargs['db'] == worker + 1\n"
            "    assert seams_redis_url.endswith(f'/{worker + 1}')\n"
            "    seams_redis.set('mine', n)\n"
            "    time.sleep(0.05)\n"
            "    assert seams_redis.get('mine') == str(n).encode()\n"
        )
        result = pytester.runpytest_subprocess("-p", "seams", "-n", "2", "-p", "no:randomly")
        result.assert_outcomes(passed=6)


class TestRedisFixtureErrors:
    """Seam Under Test: the seams_redis fixtures → their configuration and dependencies."""

    def test_unreachable_server_is_named(
        self, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A real-server URL that nothing answers errors each test with one clear line.

        Integration Scope: SEAMS_REDIS_URL, seams_redis, a closed port.
        Business Impact: A wrong URL must say so, not pass against fakeredis by surprise.
        Success Criteria:
            - the test errors with "cannot reach the Redis server at redis://127.0.0.1:1"
        """
        monkeypatch.setenv(ENV, "redis://127.0.0.1:1")
        pytester.makepyfile("def test_uses(seams_redis):\n    seams_redis.ping()\n")
        result = pytester.runpytest("-p", "seams")
        result.assert_outcomes(errors=1)
        result.stdout.fnmatch_lines(
            ["*seams_redis: cannot reach the Redis server at redis://127.0.0.1:1 (from*"]
        )

    def test_bad_url_in_the_environment_is_a_usage_error(
        self, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """SEAMS_REDIS_URL that is not a Redis URL stops the run with one line.

        Integration Scope: SEAMS_REDIS_URL validation at configure time.
        Business Impact: A typo in CI settings must not silently fall back to fakeredis.
        Success Criteria:
            - exit code USAGE_ERROR and the variable, value and expected form on stderr
        """
        monkeypatch.setenv(ENV, "localhost:6379")
        pytester.makepyfile("def test_nothing():\n    pass\n")
        result = pytester.runpytest("-p", "seams")
        assert result.ret == pytest.ExitCode.USAGE_ERROR
        result.stderr.fnmatch_lines(
            [
                "*pytest-seams: SEAMS_REDIS_URL='localhost:6379': expected a Redis URL "
                "such as redis://localhost:6379"
            ]
        )

    def test_without_fakeredis_the_message_names_the_extra(
        self, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """Without fakeredis installed, the fixture fails with the install command.

        Integration Scope: seams_redis, a Python without the fakeredis package.
        Business Impact: The fix must be one command away.
        Success Criteria:
            - the test errors with "pip install 'pytest-seams[redis]'" in its one line
        """
        monkeypatch.delenv(ENV, raising=False)
        # None in sys.modules makes "import fakeredis" raise ImportError, as if not installed.
        monkeypatch.setitem(sys.modules, "fakeredis", None)
        pytester.makepyfile("def test_uses(seams_redis):\n    pass\n")
        result = pytester.runpytest("-p", "seams")
        result.assert_outcomes(errors=1)
        result.stdout.fnmatch_lines(
            [
                "the seams_redis fixtures need fakeredis (and redis), which are not "
                "installed: pip install 'pytest-seams[redis]'"
            ]
        )

    def test_inactive_session_has_no_fixtures(
        self, pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        """A session that did not ask for pytest-seams does not get the fixtures.

        Integration Scope: plugin activation, fixture registration.
        Business Impact: Installing pytest-seams must not change other projects' fixtures.
        Success Criteria:
            - seams_redis is an unknown fixture without -p seams
        """
        monkeypatch.delenv("PYTEST_ADDOPTS")
        pytester.makepyfile("def test_uses(seams_redis):\n    pass\n")
        result = pytester.runpytest()
        result.assert_outcomes(errors=1)
        result.stdout.fnmatch_lines(["*fixture 'seams_redis' not found*"])


def test_checklist_counts_the_fixtures_as_fakes(
    pytester: pytest.Pytester, run_json: RunJson, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Checklist item 5 notes the seams_redis fixtures as high-fidelity fakes.

    Integration Scope: seam_fake_fixtures defaults, the fixture closure, checklist item 5.
    Business Impact: Using the recommended fakes must count in a test's favour.
    Success Criteria:
        - item 5 passes with "high-fidelity fakes: seams_redis"
    """
    monkeypatch.delenv(ENV, raising=False)
    test = pytester.path / "tests" / "integration" / "test_cache.py"
    test.parent.mkdir(parents=True)
    test.write_text(
        "def test_cache(seams_redis):\n"
        '    """Caches.\n\n    Integration Scope: cache.\n    Business Impact: speed.\n'
        '    Success Criteria: cached.\n    """\n'
        '    seams_redis.set("k", 1)\n'
        '    assert seams_redis.get("k") == b"1"\n'
    )
    result, report = run_json("--seam-checklist")
    result.assert_outcomes(passed=1)
    (record,) = report["tests"]
    items = {item["number"]: (item["status"], item["reason"]) for item in record["checklist"]}
    assert items[5] == ("pass", "no mock of first-party code; high-fidelity fakes: seams_redis")


def test_ci_script_starts_redis_for_the_suite() -> None:
    """.ci/run installs and starts redis-server and exports its URL to the test command.

    Integration Scope: .ci/run, the README's Quick start command.
    Business Impact: The real-Redis contract tests must run in CI, not only skip.
    Success Criteria:
        - redis-server is installed with apt-get, never failing the run
        - it starts on 127.0.0.1 with --dir /tmp and SEAMS_REDIS_URL is exported
        - the script still ends with the Quick start command .venv/bin/pytest
    """
    script = (Path(__file__).parents[2] / ".ci" / "run").read_text(encoding="utf-8")
    assert "apt-get install -y -qq redis-server" in script
    assert "--bind 127.0.0.1" in script
    assert "--dir /tmp" in script
    assert 'export SEAMS_REDIS_URL="redis://127.0.0.1:' in script
    assert script.rstrip().endswith(".venv/bin/pytest")
