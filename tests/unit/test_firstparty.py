from __future__ import annotations

from pathlib import Path

import pytest

from pytest_seams.analysis.firstparty import FirstParty, _scan_project_name


def write(root: Path, files: dict[str, str]) -> None:
    for relative, text in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


CACHE = """\
import os
import redis
import redis.asyncio as aioredis
import shop.pricing
from datetime import datetime
from shop.pricing import with_tax
from . import util
from .util import slugify as slug
from .adapters.payments import charge

try:
    import orjson as json_lib
except ImportError:
    json_lib = None

if os.environ.get("SHOP_FAST"):
    FLAG = True
else:
    def fallback():
        return None

try:
    pass
except Exception:
    HANDLED = 1
else:
    ELSE_BRANCH = 2
finally:
    FINALLY_BRANCH = 3

TTL: int = 30
A, (B, *C) = 1, (2, 3, 4)


class PriceCache:
    def get(self, key):
        return None


async def warm():
    return None


def make_cache():
    return PriceCache()
"""

# chain_0 -> chain_1 -> ... -> chain_12, which defines ``value``: 13 modules.
CHAIN = {f"src/shop/chain_{i}.py": f"from shop.chain_{i + 1} import value\n" for i in range(12)}
CHAIN["src/shop/chain_12.py"] = "value = 1\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    write(
        tmp_path,
        {
            "pyproject.toml": '[project]\nname = "shop"\n',
            "src/shop/__init__.py": 'from .pricing import with_tax\nVERSION = "1"\n',
            "src/shop/cache.py": CACHE,
            "src/shop/pricing.py": "def with_tax(amount):\n    return amount\n",
            "src/shop/util.py": "def slugify(text):\n    return text\n",
            "src/shop/adapters/__init__.py": (
                "from .payments import charge\n\ndef helper():\n    return None\n"
            ),
            "src/shop/adapters/payments.py": (
                "import stripe\nfrom shop.pricing import with_tax\n\n"
                "def charge(amount):\n    return stripe.Charge.create(amount=amount)\n"
            ),
            "src/shop/api/__init__.py": "from .handlers import handle as api_handle\n",
            "src/shop/api/handlers.py": (
                "from ..cache import PriceCache\nfrom .. import pricing\n"
                "from ... import outside\n\ndef handle():\n    return None\n"
            ),
            "src/shop/star.py": "from shop.pricing import *\nLOCAL = 1\n",
            "src/shop/lazy.py": "REAL = 1\n\ndef __getattr__(name):\n    return name\n",
            "src/shop/broken.py": "def oops(:\n    pass\n",
            "src/shop/loop_a.py": "from shop.loop_b import thing\n",
            "src/shop/loop_b.py": "from shop.loop_a import thing\n",
            "src/shop/fallback.py": (
                "try:\n    from redis import Redis\nexcept ImportError:\n    Redis = None\n"
                "Client = object\nClient = None\nfrom redis import Client\n"
            ),
            **CHAIN,
            "tests/test_shop.py": "def test_x():\n    pass\n",
        },
    )
    return tmp_path


@pytest.fixture
def shop(project: Path) -> FirstParty:
    return FirstParty.detect(project, boundaries=["shop.adapters.*"])


def test_detect_src_layout(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "src/shop/__init__.py": "",
            "src/solo.py": "",
            "src/ns/mod.py": "",
            "src/ns_nested/inner/__init__.py": "",
            "src/empty_dir/README.md": "",
            "src/.hidden/__init__.py": "",
            "src/shop.egg-info/PKG-INFO": "",
            "src/not-a-module.py": "",
            "src/conftest.py": "",
        },
    )
    first_party = FirstParty.detect(tmp_path)
    assert first_party.names == ("ns", "ns_nested", "shop", "solo")
    assert first_party.module_path("solo") == (tmp_path / "src/solo.py").resolve()
    assert first_party.module_path("ns.mod") == (tmp_path / "src/ns/mod.py").resolve()
    assert first_party.module_path("ns") is None


def test_detect_flat_layout_skips_tooling_dirs(tmp_path: Path) -> None:
    packages = ["app", "tests", "test", "testing", "docs", "examples", "benchmarks", "build"]
    packages += ["dist", ".venv", "venv", "node_modules", ".git", ".tox", ".hidden", "my-dir"]
    write(tmp_path, {f"{name}/__init__.py": "" for name in packages})
    write(tmp_path, {"setup.py": "", "conftest.py": "", "scripts/run.py": ""})
    assert FirstParty.detect(tmp_path).names == ("app",)


def test_detect_without_any_code(tmp_path: Path) -> None:
    assert FirstParty.detect(tmp_path).names == ()
    assert FirstParty.detect(tmp_path / "missing").names == ()


@pytest.mark.parametrize(
    ("project_name", "files", "expected"),
    [
        ("my-app", {"my_app/__init__.py": ""}, "my_app"),
        ("my-app", {"my_app.py": ""}, "my_app"),
        ("My.App", {"src/my_app.py": ""}, "my_app"),
        ("My-App", {"My_App/core.py": ""}, "My_App"),
        ("my-app", {"my_app/core.py": ""}, "my_app"),
    ],
)
def test_detect_pyproject_name(
    tmp_path: Path, project_name: str, files: dict[str, str], expected: str
) -> None:
    write(tmp_path, {"pyproject.toml": f'[project]\nname = "{project_name}"\n', **files})
    first_party = FirstParty.detect(tmp_path)
    assert first_party.names == (expected,)


@pytest.mark.parametrize(
    "pyproject",
    [
        '[project]\nname = "my-app"\n',  # named, but nothing on disk
        '[tool.other]\nname = "my_app"\n',
        "[project\nname = ",  # not TOML at all
        '[project]\nversion = "1"\n',
    ],
)
def test_detect_pyproject_without_a_match(tmp_path: Path, pyproject: str) -> None:
    write(tmp_path, {"pyproject.toml": pyproject, "other_app.py": ""})
    assert FirstParty.detect(tmp_path).names == ()


def test_detect_extra_names(tmp_path: Path) -> None:
    write(tmp_path, {"tool.py": "X = 1\n", "src/lib/__init__.py": ""})
    first_party = FirstParty.detect(tmp_path, extra=["ghost", " tool ", "shop.core", "lib", ""])
    assert first_party.names == ("ghost", "lib", "shop", "tool")
    assert first_party.is_first_party("ghost.anything")
    assert first_party.module_path("ghost") is None
    assert first_party.module_path("tool") == (tmp_path / "tool.py").resolve()
    assert first_party.resolve("tool.X").kind == "internal"
    unknown = first_party.resolve("ghost.thing")
    assert unknown.kind == "unresolved"
    assert "no module" in unknown.reason


def test_scan_project_name_without_tomllib() -> None:
    text = (
        "[build-system]\nname = 'nope'\n\n[project]  # the distribution\n"
        "version = '1'\nname = \"my-app\"  # comment\n[tool.x]\nname = 'other'\n"
    )
    assert _scan_project_name(text) == "my-app"
    assert _scan_project_name("[tool.x]\nname = 'other'\n") is None
    assert _scan_project_name("[project]\nname = ['weird']\n") is None


def test_names_and_is_first_party(shop: FirstParty) -> None:
    assert shop.names == ("shop",)
    assert shop.is_first_party("shop")
    assert shop.is_first_party("shop.cache.PriceCache")
    assert not shop.is_first_party("shopping.cart")
    assert not shop.is_first_party("redis")
    assert not shop.is_first_party("")


@pytest.mark.parametrize(
    ("boundary", "module", "expected"),
    [
        ("shop.adapters.*", "shop.adapters.payments", True),
        ("shop.adapters.*", "shop.adapters.payments.stripe", True),
        ("shop.adapters.*", "shop.adapters", False),
        ("shop.adapters", "shop.adapters", True),
        ("shop.adapters", "shop.adapters.payments", True),
        ("shop.adapters", "shop.adapters_extra", False),
        ("shop.*.gateway", "shop.pay.gateway", True),
        ("shop.*.gateway", "shop.pay.gateway.sub", False),
        ("shop.pay?", "shop.pays", True),
        ("shop.cache", "shop.pricing", False),
    ],
)
def test_is_boundary(tmp_path: Path, boundary: str, module: str, expected: bool) -> None:
    first_party = FirstParty(tmp_path, {"shop": tmp_path / "shop"}, [boundary])
    assert first_party.is_boundary(module) is expected


def test_module_path(shop: FirstParty, project: Path) -> None:
    src = (project / "src" / "shop").resolve()
    assert shop.module_path("shop") == src / "__init__.py"
    assert shop.module_path("shop.cache") == src / "cache.py"
    assert shop.module_path("shop.adapters") == src / "adapters" / "__init__.py"
    assert shop.module_path("shop.adapters.payments") == src / "adapters" / "payments.py"
    assert shop.module_path("shop.cache.PriceCache") is None
    assert shop.module_path("shop.missing") is None
    assert shop.module_path("redis") is None


def test_roots_relative_to_rootdir(project: Path) -> None:
    first_party = FirstParty(project, {"shop": Path("src/shop")})
    assert first_party.module_path("shop.util") == (project / "src/shop/util.py").resolve()


def test_module_of_file(shop: FirstParty, project: Path) -> None:
    src = project / "src" / "shop"
    assert shop.module_of_file(src / "cache.py") == "shop.cache"
    assert shop.module_of_file(src / "__init__.py") == "shop"
    assert shop.module_of_file(src / "adapters" / "__init__.py") == "shop.adapters"
    assert shop.module_of_file(src / "adapters" / "payments.py") == "shop.adapters.payments"
    assert shop.module_of_file(Path("src/shop/pricing.py")) == "shop.pricing"
    assert shop.module_of_file(project / "tests" / "test_shop.py") is None
    assert shop.module_of_file(src / "data.json") is None
    assert shop.module_of_file(src / "bad-name.py") is None


def test_module_of_file_for_single_module_root(tmp_path: Path) -> None:
    write(tmp_path, {"src/solo.py": "", "src/other.py": ""})
    first_party = FirstParty(tmp_path, {"solo": tmp_path / "src/solo.py", "ghost": None})
    assert first_party.module_of_file(tmp_path / "src/solo.py") == "solo"
    assert first_party.module_of_file(tmp_path / "src/other.py") is None
    assert first_party.module_path("solo.thing") is None


@pytest.mark.parametrize("target", ["redis.Redis", "os.environ", "datetime.datetime", "stripe"])
def test_external(shop: FirstParty, target: str) -> None:
    resolution = shop.resolve(target)
    assert resolution.kind == "external"
    assert resolution.target == target
    assert resolution.defined_in is None
    assert "not first-party" in resolution.reason


@pytest.mark.parametrize("target", ["", "shop..cache", "shop.cache.", "shop.1x"])
def test_not_a_dotted_name(shop: FirstParty, target: str) -> None:
    assert shop.resolve(target).kind == "unresolved"


def test_first_party_name_missing_on_disk(tmp_path: Path) -> None:
    first_party = FirstParty(tmp_path, {"ghost": None, "gone": tmp_path / "gone"})
    for target in ("ghost.client.get", "gone.x"):
        resolution = first_party.resolve(target)
        assert resolution.kind == "unresolved"
        assert "no module" in resolution.reason


@pytest.mark.parametrize(
    ("target", "kind", "defined_in"),
    [
        ("shop", "internal", "shop"),
        ("shop.cache", "internal", "shop.cache"),
        ("shop.broken", "internal", "shop.broken"),
        ("shop.adapters", "internal", "shop.adapters"),
        ("shop.adapters.payments", "boundary", "shop.adapters.payments"),
    ],
)
def test_patching_a_module(shop: FirstParty, target: str, kind: str, defined_in: str) -> None:
    resolution = shop.resolve(target)
    assert (resolution.kind, resolution.defined_in) == (kind, defined_in)
    assert target in resolution.reason


@pytest.mark.parametrize(
    "name",
    [
        "PriceCache",
        "PriceCache.get",
        "make_cache",
        "warm",
        "TTL",
        "A",
        "B",
        "C",
        "FLAG",
        "fallback",
        "HANDLED",
        "ELSE_BRANCH",
        "FINALLY_BRANCH",
    ],
)
def test_defined_in_module_is_internal(shop: FirstParty, name: str) -> None:
    resolution = shop.resolve(f"shop.cache.{name}")
    assert resolution.kind == "internal"
    assert resolution.defined_in == "shop.cache"
    assert resolution.target == f"shop.cache.{name}"
    assert "defined in first-party module shop.cache" in resolution.reason


@pytest.mark.parametrize(
    ("target", "defined_in", "reason"),
    [
        (
            "shop.cache.aioredis.from_url",
            "redis.asyncio",
            "shop.cache imports aioredis from redis.asyncio (third-party): a boundary mock.",
        ),
        ("shop.cache.redis.Redis", "redis", "shop.cache imports redis (third-party)"),
        ("shop.cache.datetime", "datetime", "imports datetime from datetime (stdlib)"),
        ("shop.cache.datetime.now", "datetime", "(stdlib)"),
        ("shop.cache.os.environ", "os", "shop.cache imports os (stdlib)"),
        ("shop.cache.json_lib.dumps", "orjson", "imports json_lib from orjson (third-party)"),
        ("shop.fallback.Redis", "redis", "imports Redis from redis"),
        ("shop.fallback.Client", "redis", "imports Client from redis"),
        ("shop.adapters.payments.stripe.Charge", "stripe", "imports stripe (third-party)"),
    ],
)
def test_imported_from_outside_is_boundary(
    shop: FirstParty, target: str, defined_in: str, reason: str
) -> None:
    resolution = shop.resolve(target)
    assert resolution.kind == "boundary"
    assert resolution.target == target
    assert resolution.defined_in == defined_in
    assert reason in resolution.reason


@pytest.mark.parametrize(
    ("target", "defined_in"),
    [
        ("shop.cache.with_tax", "shop.pricing"),
        ("shop.cache.util.slugify", "shop.util"),
        ("shop.cache.util", "shop.util"),
        ("shop.cache.slug", "shop.util"),
        ("shop.cache.shop.pricing.with_tax", "shop.pricing"),
        ("shop.with_tax", "shop.pricing"),
        ("shop.api.api_handle", "shop.api.handlers"),
        ("shop.api.handlers.PriceCache.get", "shop.cache"),
        ("shop.api.handlers.pricing.with_tax", "shop.pricing"),
        ("shop.chain_3.value", "shop.chain_12"),
    ],
)
def test_imported_from_first_party_is_followed(
    shop: FirstParty, target: str, defined_in: str
) -> None:
    resolution = shop.resolve(target)
    assert (resolution.kind, resolution.defined_in) == ("internal", defined_in)
    assert resolution.target == target


@pytest.mark.parametrize(
    ("boundaries", "target", "defined_in"),
    [
        (["shop.adapters.*"], "shop.adapters.payments.charge", "shop.adapters.payments"),
        (["shop.adapters.*"], "shop.cache.charge", "shop.adapters.payments"),
        (["shop.adapters.*"], "shop.adapters.charge", "shop.adapters.payments"),
        (["shop.adapters.*"], "shop.adapters.payments.with_tax", "shop.pricing"),
        (["shop.adapters"], "shop.adapters.helper", "shop.adapters"),
        (["shop.adapters"], "shop.adapters", "shop.adapters"),
        (["shop.pricing"], "shop.cache.with_tax", "shop.pricing"),
    ],
)
def test_boundary_module_on_the_chain(
    project: Path, boundaries: list[str], target: str, defined_in: str
) -> None:
    resolution = FirstParty.detect(project, boundaries=boundaries).resolve(target)
    assert (resolution.kind, resolution.defined_in) == ("boundary", defined_in)
    assert "boundary" in resolution.reason


def test_boundary_glob_does_not_cover_the_package_itself(shop: FirstParty) -> None:
    assert shop.resolve("shop.adapters.helper").kind == "internal"


@pytest.mark.parametrize(
    ("target", "reason"),
    [
        ("shop.star.with_tax", "star import"),
        ("shop.lazy.anything", "__getattr__"),
        ("shop.cache.nothing", "not defined or imported"),
        ("shop.nothing.at_all", "not defined or imported"),
        ("shop.api.handlers.outside", "not defined or imported"),
        ("shop.broken.oops", "src/shop/broken.py"),
        ("shop.loop_a.thing", "cycle"),
        ("shop.chain_0.value", "more than 10"),
    ],
)
def test_unresolved(shop: FirstParty, target: str, reason: str) -> None:
    resolution = shop.resolve(target)
    assert resolution.kind == "unresolved"
    assert resolution.target == target
    assert resolution.defined_in is None
    assert reason in resolution.reason


def test_explicit_names_win_over_star_and_getattr(shop: FirstParty) -> None:
    assert shop.resolve("shop.star.LOCAL").defined_in == "shop.star"
    assert shop.resolve("shop.lazy.REAL").defined_in == "shop.lazy"


def test_each_module_is_parsed_once(shop: FirstParty, project: Path) -> None:
    assert shop.resolve("shop.cache.make_cache").kind == "internal"
    (project / "src/shop/cache.py").write_text("def broken(:\n", encoding="utf-8")
    assert shop.resolve("shop.cache.PriceCache").kind == "internal"
    assert FirstParty.detect(project).resolve("shop.cache.PriceCache").kind == "unresolved"


def test_unreadable_module(tmp_path: Path) -> None:
    write(tmp_path, {"pkg/__init__.py": ""})
    (tmp_path / "pkg/data.py").write_bytes(b"x = 1\0\n")
    resolution = FirstParty.detect(tmp_path).resolve("pkg.data.x")
    assert resolution.kind == "unresolved"
    assert "pkg/data.py" in resolution.reason
