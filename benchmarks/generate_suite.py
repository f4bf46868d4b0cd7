"""Generate a large, deterministic, synthetic test suite for benchmarking pytest-seams.

The suite is a small first-party package ``src/shopapp`` (about 25 modules) and, by default,
1,000 test modules (about 60% integration tests under ``tests/integration/<area>/``, the rest
unit tests under ``tests/unit/<area>/``) with a conftest per area. The tests are written the
way real suites are: classes and functions, parametrized cases, Google-style docstrings (most
complete, some with missing, empty or placeholder sections, some missing), fixtures of several
scopes, ``monkeypatch`` and a few direct ``os.environ`` writes, ``unittest.mock.patch`` of
first-party code (internal mocks) and of the standard library (boundary mocks), patchers started
with and without a stop, checks on real results and checks on mock calls only, and tests with no
check at all. Every generated test passes.

Usage::

    python benchmarks/generate_suite.py TARGET_DIR [--modules 1000] [--seed 0]
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

AREAS = (
    "checkout",
    "pricing",
    "payments",
    "inventory",
    "notifications",
    "shipping",
    "loyalty",
    "refunds",
    "cache",
    "settings",
)
TOPICS = (
    "basics",
    "happy_path",
    "edge_cases",
    "errors",
    "regressions",
    "concurrency",
    "limits",
    "rounding",
    "defaults",
    "flows",
    "retries",
    "audit",
)
INTEGRATION_SHARE = 0.6

# Mirrors of the first-party data, so expected values can be computed here.
PRICES = {"apple": 120, "pear": 150, "banana": 90, "kiwi": 60, "mango": 250, "plum": 75}
WEIGHTS = {"apple": 150, "pear": 180, "banana": 120, "kiwi": 80, "mango": 300, "plum": 70}
SKUS = tuple(PRICES)
RATES = {"domestic": 499, "eu": 899, "world": 1599}
MULTIPLIERS = {"standard": 1, "silver": 2, "gold": 3}
CUSTOMERS = ("cust-1", "cust-2", "cust-3", "cust-4", "cust-5")


def _tax(cents: int, rate: float = 0.2) -> int:
    return round(cents * rate)


# --------------------------------------------------------------------------------------------
# The first-party package
# --------------------------------------------------------------------------------------------

_CATALOG_LINES = [
    f'            "{sku}": Product("{sku}", "{sku.title()}", {PRICES[sku]}, {WEIGHTS[sku]}),\n'
    for sku in SKUS
]

PACKAGE: dict[str, str] = {
    "__init__.py": '''
        """shopapp: a small shop, the code under test of the pytest-seams benchmark suite."""

        __version__ = "1.0.0"
    ''',
    "models.py": '''
        """Domain objects."""

        from __future__ import annotations

        from dataclasses import dataclass, field


        @dataclass(frozen=True)
        class Product:
            sku: str
            name: str
            price_cents: int
            weight_g: int = 100


        @dataclass
        class Customer:
            id: str
            email: str
            tier: str = "standard"


        @dataclass(frozen=True)
        class LineItem:
            sku: str
            quantity: int
            unit_cents: int

            @property
            def total_cents(self) -> int:
                return self.quantity * self.unit_cents


        @dataclass
        class Order:
            id: str
            customer_id: str
            items: list[LineItem] = field(default_factory=list)
            status: str = "new"
            total_cents: int = 0

            @property
            def weight_units(self) -> int:
                return sum(item.quantity for item in self.items)
    ''',
    "catalog.py": f'''
        """The product catalogue every new shop starts with."""

        from __future__ import annotations

        from shopapp.models import Product

        CATALOG: dict[str, Product] = {{
{"".join(_CATALOG_LINES)}        }}
    ''',
    "config.py": '''
        """Settings read from the environment."""

        from __future__ import annotations

        import os
        from dataclasses import dataclass


        @dataclass(frozen=True)
        class Settings:
            currency: str = "EUR"
            region: str = "eu-central"
            debug: bool = False
            tax_rate: float = 0.2

            @classmethod
            def from_env(cls) -> Settings:
                return cls(
                    currency=os.environ.get("SHOPAPP_CURRENCY", "EUR"),
                    region=os.environ.get("SHOPAPP_REGION", "eu-central"),
                    debug=os.environ.get("SHOPAPP_DEBUG", "0") == "1",
                    tax_rate=float(os.environ.get("SHOPAPP_TAX_RATE", "0.2")),
                )
    ''',
    "clock.py": '''
        """Time, behind one module so it can be faked."""

        from __future__ import annotations

        import time
        from datetime import datetime, timezone


        def now() -> datetime:
            return datetime.now(timezone.utc)


        def sleep(seconds: float) -> None:
            time.sleep(seconds)
    ''',
    "cache.py": '''
        """A small TTL cache that stores serialised values.

        A production version talks to Redis (``import redis.asyncio as aioredis``); this one
        keeps the same shape with the standard library so it imports everywhere.
        """

        from __future__ import annotations

        import json as serializer
        import time
        from datetime import datetime
        from typing import Any, Callable

        from shopapp import clock


        class PriceCache:
            def __init__(self, ttl_seconds: float = 60.0) -> None:
                self._store: dict[str, tuple[str, float]] = {}
                self.ttl_seconds = ttl_seconds
                self.hits = 0
                self.misses = 0

            def set(self, key: str, value: Any) -> None:
                self._store[key] = (serializer.dumps(value), time.monotonic())

            def get(self, key: str, default: Any = None) -> Any:
                entry = self._store.get(key)
                if entry is None:
                    self.misses += 1
                    return default
                payload, stamp = entry
                if time.monotonic() - stamp > self.ttl_seconds:
                    del self._store[key]
                    self.misses += 1
                    return default
                self.hits += 1
                return serializer.loads(payload)

            def get_or_load(self, key: str, loader: Callable[[str], Any]) -> Any:
                value = self.get(key)
                if value is None:
                    value = loader(key)
                    self.set(key, value)
                return value

            def stamp(self) -> str:
                moment: datetime = clock.now()
                return moment.isoformat()

            def __len__(self) -> int:
                return len(self._store)
    ''',
    "events.py": '''
        """An in-process event bus."""

        from __future__ import annotations

        from collections import defaultdict
        from typing import Any, Callable


        class EventBus:
            def __init__(self) -> None:
                self._handlers: dict[str, list[Callable[[Any], None]]] = defaultdict(list)
                self.published: list[tuple[str, Any]] = []

            def subscribe(self, topic: str, handler: Callable[[Any], None]) -> None:
                self._handlers[topic].append(handler)

            def publish(self, topic: str, payload: Any) -> int:
                self.published.append((topic, payload))
                for handler in self._handlers[topic]:
                    handler(payload)
                return len(self._handlers[topic])
    ''',
    "audit.py": '''
        """An audit trail (bounded, in memory)."""

        from __future__ import annotations

        LOG: list[tuple[str, str]] = []
        LIMIT = 1000


        def record(event: str, ref: str) -> int:
            LOG.append((event, ref))
            del LOG[:-LIMIT]
            return len(LOG)
    ''',
    "retry.py": '''
        """Retrying calls that fail transiently."""

        from __future__ import annotations

        from typing import Callable, TypeVar

        from shopapp import clock

        T = TypeVar("T")


        class TransientError(Exception):
            """A failure worth retrying."""


        def with_retry(call: Callable[[], T], attempts: int = 3, delay: float = 0.1) -> T:
            for attempt in range(1, attempts + 1):
                try:
                    return call()
                except TransientError:
                    if attempt == attempts:
                        raise
                    clock.sleep(delay)
            raise AssertionError("unreachable")
    ''',
    "repositories/__init__.py": '''
        """In-memory repositories."""
    ''',
    "repositories/products.py": """
        from __future__ import annotations

        from shopapp.catalog import CATALOG
        from shopapp.models import Product


        class ProductRepository:
            def __init__(self, products: dict[str, Product] | None = None) -> None:
                self._products = dict(CATALOG if products is None else products)

            def get(self, sku: str) -> Product:
                return self._products[sku]

            def add(self, product: Product) -> None:
                self._products[product.sku] = product

            def all(self) -> list[Product]:
                return sorted(self._products.values(), key=lambda product: product.sku)

            def __len__(self) -> int:
                return len(self._products)
    """,
    "repositories/orders.py": """
        from __future__ import annotations

        from shopapp.models import Order


        class OrderRepository:
            def __init__(self) -> None:
                self._orders: dict[str, Order] = {}
                self._sequence = 0

            def next_id(self) -> str:
                self._sequence += 1
                return f"ord-{self._sequence}"

            def save(self, order: Order) -> None:
                self._orders[order.id] = order

            def get(self, order_id: str) -> Order:
                return self._orders[order_id]

            def for_customer(self, customer_id: str) -> list[Order]:
                return [o for o in self._orders.values() if o.customer_id == customer_id]

            def count(self) -> int:
                return len(self._orders)
    """,
    "repositories/customers.py": """
        from __future__ import annotations

        from shopapp.models import Customer

        TIERS = ("standard", "silver", "gold", "standard", "silver")


        class CustomerRepository:
            def __init__(self) -> None:
                self._customers = {
                    f"cust-{n}": Customer(f"cust-{n}", f"cust-{n}@example.com", TIERS[n - 1])
                    for n in range(1, 6)
                }

            def get(self, customer_id: str) -> Customer:
                return self._customers[customer_id]

            def add(self, customer: Customer) -> None:
                self._customers[customer.id] = customer
    """,
    "repositories/inventory.py": '''
        from __future__ import annotations

        from shopapp.catalog import CATALOG


        class OutOfStock(ValueError):
            """Not enough units of a product."""


        class InventoryRepository:
            def __init__(self, initial: int = 100) -> None:
                self._stock = {sku: initial for sku in CATALOG}

            def available(self, sku: str) -> int:
                return self._stock.get(sku, 0)

            def set_stock(self, sku: str, quantity: int) -> None:
                self._stock[sku] = quantity

            def take(self, sku: str, quantity: int) -> int:
                if quantity <= 0:
                    raise ValueError("quantity must be positive")
                if self.available(sku) < quantity:
                    raise OutOfStock(sku)
                self._stock[sku] -= quantity
                return self._stock[sku]

            def put(self, sku: str, quantity: int) -> int:
                self._stock[sku] = self.available(sku) + quantity
                return self._stock[sku]
    ''',
    "adapters/__init__.py": '''
        """Adapters to third parties (payment provider, e-mail)."""
    ''',
    "adapters/payment_gateway.py": '''
        from __future__ import annotations


        class PaymentGateway:
            """Talks to the payment provider (here: a deterministic stand-in)."""

            def __init__(self) -> None:
                self.charges: list[int] = []
                self.refunds: list[int] = []

            def charge(self, amount_cents: int, token: str) -> dict[str, object]:
                if token == "tok_declined":
                    return {"id": None, "amount": amount_cents, "status": "declined"}
                self.charges.append(amount_cents)
                charge_id = f"ch_{len(self.charges)}"
                return {"id": charge_id, "amount": amount_cents, "status": "succeeded"}

            def refund(self, amount_cents: int) -> dict[str, object]:
                self.refunds.append(amount_cents)
                return {"amount": amount_cents, "status": "refunded"}
    ''',
    "adapters/email.py": '''
        from __future__ import annotations


        class EmailSender:
            """Sends e-mail (here: keeps an outbox)."""

            def __init__(self) -> None:
                self.outbox: list[dict[str, str]] = []

            def send(self, to: str, subject: str, body: str) -> dict[str, str]:
                message = {"to": to, "subject": subject, "body": body}
                self.outbox.append(message)
                return message
    ''',
    "services/__init__.py": '''
        """Business services."""
    ''',
    "services/pricing.py": """
        from __future__ import annotations

        from collections.abc import Iterable

        from shopapp.models import LineItem

        DEFAULT_TAX_RATE = 0.2


        class PricingService:
            def __init__(self, tax_rate: float | None = None) -> None:
                self.tax_rate = DEFAULT_TAX_RATE if tax_rate is None else tax_rate

            def subtotal(self, items: Iterable[LineItem]) -> int:
                return sum(item.total_cents for item in items)

            def tax(self, cents: int) -> int:
                return round(cents * self.tax_rate)

            def total(self, items: Iterable[LineItem]) -> int:
                subtotal = self.subtotal(items)
                return subtotal + self.tax(subtotal)

            def discount(self, cents: int, percent: int) -> int:
                if not 0 <= percent <= 100:
                    raise ValueError(f"bad discount {percent}")
                return cents - round(cents * percent / 100)
    """,
    "services/inventory.py": """
        from __future__ import annotations

        from shopapp.repositories.inventory import InventoryRepository


        class InventoryService:
            def __init__(self, repository: InventoryRepository) -> None:
                self.repository = repository

            def reserve(self, sku: str, quantity: int) -> int:
                return self.repository.take(sku, quantity)

            def release(self, sku: str, quantity: int) -> int:
                return self.repository.put(sku, quantity)

            def available(self, sku: str) -> int:
                return self.repository.available(sku)
    """,
    "services/payments.py": '''
        from __future__ import annotations

        from shopapp.adapters.payment_gateway import PaymentGateway
        from shopapp.models import Order


        class PaymentError(Exception):
            """A payment that cannot be attempted."""


        class PaymentService:
            def __init__(self, gateway: PaymentGateway) -> None:
                self.gateway = gateway

            def charge(self, order: Order, token: str = "tok_test") -> dict[str, object]:
                if order.total_cents <= 0:
                    raise PaymentError(f"nothing to charge for {order.id}")
                return self.gateway.charge(order.total_cents, token)
    ''',
    "services/notifications.py": """
        from __future__ import annotations

        from shopapp.adapters.email import EmailSender
        from shopapp.models import Order


        class Notifier:
            def __init__(self, sender: EmailSender) -> None:
                self.sender = sender

            def order_placed(self, order: Order, email: str) -> dict[str, str]:
                body = f"Thank you! Your total is {order.total_cents / 100:.2f}."
                return self.sender.send(email, f"Order {order.id} confirmed", body)
    """,
    "services/shipping.py": """
        from __future__ import annotations

        RATES = {"domestic": 499, "eu": 899, "world": 1599}


        class ShippingService:
            def quote(self, weight_g: int, zone: str) -> int:
                if weight_g <= 0:
                    raise ValueError("weight must be positive")
                return RATES[zone] + weight_g // 500 * 100
    """,
    "services/loyalty.py": """
        from __future__ import annotations

        MULTIPLIERS = {"standard": 1, "silver": 2, "gold": 3}


        class LoyaltyService:
            def points_for(self, cents: int, tier: str) -> int:
                return cents // 100 * MULTIPLIERS[tier]
    """,
    "services/checkout.py": """
        from __future__ import annotations

        from shopapp import audit
        from shopapp.events import EventBus
        from shopapp.models import LineItem, Order
        from shopapp.repositories.customers import CustomerRepository
        from shopapp.repositories.orders import OrderRepository
        from shopapp.repositories.products import ProductRepository
        from shopapp.services.inventory import InventoryService
        from shopapp.services.notifications import Notifier
        from shopapp.services.payments import PaymentService
        from shopapp.services.pricing import PricingService


        class CheckoutService:
            def __init__(
                self,
                products: ProductRepository,
                orders: OrderRepository,
                customers: CustomerRepository,
                inventory: InventoryService,
                pricing: PricingService,
                payments: PaymentService,
                notifier: Notifier,
                events: EventBus,
            ) -> None:
                self.products = products
                self.orders = orders
                self.customers = customers
                self.inventory = inventory
                self.pricing = pricing
                self.payments = payments
                self.notifier = notifier
                self.events = events

            def place_order(
                self, customer_id: str, quantities: dict[str, int], token: str = "tok_test"
            ) -> Order:
                customer = self.customers.get(customer_id)
                items = [
                    LineItem(sku, quantity, self.products.get(sku).price_cents)
                    for sku, quantity in quantities.items()
                ]
                if not items:
                    raise ValueError("empty basket")
                for item in items:
                    self.inventory.reserve(item.sku, item.quantity)
                order = Order(self.orders.next_id(), customer_id, items)
                order.total_cents = self.pricing.total(items)
                receipt = self.payments.charge(order, token)
                order.status = "paid" if receipt["status"] == "succeeded" else "declined"
                self.orders.save(order)
                if order.status == "paid":
                    self.notifier.order_placed(order, customer.email)
                audit.record("order_placed", order.id)
                self.events.publish("order.placed", order)
                return order
    """,
    "services/refunds.py": """
        from __future__ import annotations

        from shopapp.adapters.payment_gateway import PaymentGateway
        from shopapp.models import Order
        from shopapp.repositories.orders import OrderRepository


        class RefundService:
            def __init__(self, orders: OrderRepository, gateway: PaymentGateway) -> None:
                self.orders = orders
                self.gateway = gateway

            def refund(self, order_id: str) -> Order:
                order = self.orders.get(order_id)
                if order.status != "paid":
                    raise ValueError(f"order {order_id} is {order.status}")
                self.gateway.refund(order.total_cents)
                order.status = "refunded"
                return order
    """,
    "factories.py": '''
        """Wiring: a complete shop with in-memory parts."""

        from __future__ import annotations

        from dataclasses import dataclass, field

        from shopapp.adapters.email import EmailSender
        from shopapp.adapters.payment_gateway import PaymentGateway
        from shopapp.cache import PriceCache
        from shopapp.events import EventBus
        from shopapp.repositories.customers import CustomerRepository
        from shopapp.repositories.inventory import InventoryRepository
        from shopapp.repositories.orders import OrderRepository
        from shopapp.repositories.products import ProductRepository
        from shopapp.services.checkout import CheckoutService
        from shopapp.services.inventory import InventoryService
        from shopapp.services.loyalty import LoyaltyService
        from shopapp.services.notifications import Notifier
        from shopapp.services.payments import PaymentService
        from shopapp.services.pricing import PricingService
        from shopapp.services.refunds import RefundService
        from shopapp.services.shipping import ShippingService


        @dataclass
        class Shop:
            products: ProductRepository = field(default_factory=ProductRepository)
            orders: OrderRepository = field(default_factory=OrderRepository)
            customers: CustomerRepository = field(default_factory=CustomerRepository)
            inventory_repo: InventoryRepository = field(default_factory=InventoryRepository)
            pricing: PricingService = field(default_factory=PricingService)
            gateway: PaymentGateway = field(default_factory=PaymentGateway)
            sender: EmailSender = field(default_factory=EmailSender)
            events: EventBus = field(default_factory=EventBus)
            cache: PriceCache = field(default_factory=PriceCache)
            shipping: ShippingService = field(default_factory=ShippingService)
            loyalty: LoyaltyService = field(default_factory=LoyaltyService)

            def __post_init__(self) -> None:
                self.inventory = InventoryService(self.inventory_repo)
                self.payments = PaymentService(self.gateway)
                self.notifier = Notifier(self.sender)
                self.refunds = RefundService(self.orders, self.gateway)
                self.checkout = CheckoutService(
                    self.products,
                    self.orders,
                    self.customers,
                    self.inventory,
                    self.pricing,
                    self.payments,
                    self.notifier,
                    self.events,
                )


        def build_shop(tax_rate: float | None = None, stock: int = 100) -> Shop:
            return Shop(pricing=PricingService(tax_rate), inventory_repo=InventoryRepository(stock))
    ''',
}


# --------------------------------------------------------------------------------------------
# Test templates
# --------------------------------------------------------------------------------------------


@dataclass
class TestCode:
    """One generated test: what goes around its docstring and in its body."""

    names: tuple[str, ...]
    body: list[str]
    args: list[str] = field(default_factory=list)  # fixtures (after mock arguments)
    decorators: list[str] = field(default_factory=list)
    mock_args: list[str] = field(default_factory=list)  # injected by @patch decorators
    imports: set[str] = field(default_factory=set)
    scope: str = "CheckoutService and the in-memory repositories"
    impact: str = "Customers are charged for what they ordered."
    criteria: tuple[str, ...] = ("The order is stored with the right total.",)


def _basket(rng: random.Random, size: int | None = None) -> dict[str, int]:
    skus = rng.sample(SKUS, size or rng.randint(1, 3))
    return {sku: rng.randint(1, 4) for sku in skus}


def _total(basket: dict[str, int], rate: float = 0.2) -> int:
    subtotal = sum(PRICES[sku] * qty for sku, qty in basket.items())
    return subtotal + _tax(subtotal, rate)


def t_place_order(rng: random.Random) -> TestCode:
    basket = _basket(rng)
    return TestCode(
        names=("test_place_order_charges_total", "test_order_is_paid_and_stored"),
        args=["shop", "customer_id"],
        body=[
            f"order = shop.checkout.place_order(customer_id, {basket!r})",
            'assert order.status == "paid"',
            f"assert order.total_cents == {_total(basket)}",
            "assert shop.orders.get(order.id) is order",
            'assert shop.sender.outbox[-1]["to"] == f"{customer_id}@example.com"',
        ],
        scope="CheckoutService, PricingService, PaymentService, Notifier, real repositories",
        impact="A wrong total charges customers the wrong amount.",
        criteria=("The order is paid and stored.", "The total includes tax."),
    )


def t_pricing_param(rng: random.Random) -> TestCode:
    cases = [(sku, rng.randint(1, 9)) for sku in rng.sample(SKUS, rng.randint(2, 4))]
    rows = ", ".join(f'("{sku}", {qty}, {PRICES[sku] * qty})' for sku, qty in cases)
    return TestCode(
        names=("test_subtotal_per_line", "test_line_subtotal_matches_catalogue"),
        decorators=[f'@pytest.mark.parametrize(("sku", "quantity", "expected"), [{rows}])'],
        args=["shop", "sku", "quantity", "expected"],
        body=[
            "product = shop.products.get(sku)",
            "items = [LineItem(sku, quantity, product.price_cents)]",
            "subtotal = shop.pricing.subtotal(items)",
            "assert subtotal == expected",
            "assert shop.pricing.total(items) == subtotal + shop.pricing.tax(subtotal)",
        ],
        imports={"from shopapp.models import LineItem"},
        scope="ProductRepository and PricingService",
        impact="Line totals feed every invoice.",
        criteria=("Subtotal is price times quantity.",),
    )


def t_discount_param(rng: random.Random) -> TestCode:
    percents = sorted(rng.sample(range(0, 101, 5), rng.randint(2, 5)))
    rows = ", ".join(f"({p}, {1000 - round(10 * p)})" for p in percents)
    return TestCode(
        names=("test_discount_percent", "test_discount_is_applied"),
        decorators=[f'@pytest.mark.parametrize(("percent", "expected"), [{rows}])'],
        args=["percent", "expected"],
        body=["assert PricingService().discount(1000, percent) == expected"],
        imports={"from shopapp.services.pricing import PricingService"},
        scope="PricingService discount rules",
        impact="Promotions must never give away more than advertised.",
        criteria=("Discounted price matches the percentage.",),
    )


def t_internal_mock_decorator(rng: random.Random) -> TestCode:
    basket = _basket(rng, 1)
    return TestCode(
        names=("test_checkout_calls_payment", "test_payment_is_requested_once"),
        decorators=['@patch("shopapp.services.payments.PaymentService.charge")'],
        mock_args=["mock_charge"],
        args=["shop", "customer_id"],
        body=[
            'mock_charge.return_value = {"id": "ch_mock", "amount": 0, "status": "succeeded"}',
            f"shop.checkout.place_order(customer_id, {basket!r})",
            "mock_charge.assert_called_once()",
        ],
        imports={"from unittest.mock import patch"},
        scope="CheckoutService with PaymentService replaced",
        impact="An unpaid order must never ship.",
        criteria=("The payment service is called once.",),
    )


def t_internal_mock_context(rng: random.Random) -> TestCode:
    basket = _basket(rng, 1)
    return TestCode(
        names=("test_confirmation_is_sent", "test_notifier_runs_after_payment"),
        args=["shop", "customer_id"],
        body=[
            'with patch("shopapp.services.notifications.Notifier.order_placed") as notify:',
            f"    order = shop.checkout.place_order(customer_id, {basket!r})",
            'assert order.status == "paid"',
            "assert notify.call_count == 1",
        ],
        imports={"from unittest.mock import patch"},
        scope="CheckoutService, Notifier (mocked)",
        impact="Customers expect a confirmation for every paid order.",
        criteria=("Exactly one confirmation is requested.",),
    )


def t_gateway_declined(rng: random.Random) -> TestCode:
    basket = _basket(rng, 1)
    return TestCode(
        names=("test_declined_payment_sends_nothing", "test_decline_leaves_outbox_empty"),
        args=["shop", "customer_id"],
        body=[
            'declined = {"id": None, "amount": 1, "status": "declined"}',
            "with patch(",
            '    "shopapp.adapters.payment_gateway.PaymentGateway.charge", return_value=declined',
            "):",
            f"    order = shop.checkout.place_order(customer_id, {basket!r})",
            'assert order.status == "declined"',
            "assert shop.sender.outbox == []",
        ],
        imports={"from unittest.mock import patch"},
        scope="CheckoutService, PaymentGateway adapter, Notifier",
        impact="Declined customers must not receive a confirmation.",
        criteria=("Order is declined.", "No e-mail is sent."),
    )


def t_declined_token(rng: random.Random) -> TestCode:
    basket = _basket(rng)
    return TestCode(
        names=("test_declined_token", "test_declined_card_is_recorded"),
        args=["shop", "customer_id"],
        body=[
            f'order = shop.checkout.place_order(customer_id, {basket!r}, token="tok_declined")',
            'assert order.status == "declined"',
            "assert shop.gateway.charges == []",
        ],
        scope="CheckoutService, PaymentService and the real PaymentGateway",
        impact="Declined cards must not be charged.",
        criteria=("No charge is recorded.",),
    )


def t_cache_serializer(rng: random.Random) -> TestCode:
    sku = rng.choice(SKUS)
    return TestCode(
        names=("test_cache_serialises_values", "test_cache_uses_serializer"),
        args=["cache"],
        body=[
            'with patch("shopapp.cache.serializer.dumps", return_value=\'"stub"\') as dumps:',
            f'    cache.set("{sku}", {PRICES[sku]})',
            f'assert cache.get("{sku}") == "stub"',
            f"dumps.assert_called_once_with({PRICES[sku]})",
        ],
        imports={"from unittest.mock import patch"},
        scope="PriceCache and its serializer",
        impact="Cached prices must round-trip exactly.",
        criteria=("The serializer is used on write.",),
    )


def t_cache_ttl(rng: random.Random) -> TestCode:
    sku = rng.choice(SKUS)
    ttl = rng.choice((30, 60, 90))
    return TestCode(
        names=("test_cache_entry_expires", "test_stale_price_is_dropped"),
        body=[
            f"cache = PriceCache(ttl_seconds={ttl})",
            f'with patch("shopapp.cache.time.monotonic", side_effect=[0.0, {ttl * 2}.0]):',
            f'    cache.set("{sku}", {PRICES[sku]})',
            f'    assert cache.get("{sku}") is None',
            "assert cache.misses == 1",
            "assert len(cache) == 0",
        ],
        imports={"from unittest.mock import patch", "from shopapp.cache import PriceCache"},
        scope="PriceCache with the real clock replaced",
        impact="Stale prices would be shown after a price change.",
        criteria=("Entries older than the TTL are misses.",),
    )


def t_cache_roundtrip(rng: random.Random) -> TestCode:
    sku = rng.choice(SKUS)
    return TestCode(
        names=("test_cache_roundtrip", "test_cache_hit_counts"),
        args=["cache"],
        body=[
            f'value = cache.get_or_load("{sku}", lambda key: {PRICES[sku]})',
            f"assert value == {PRICES[sku]}",
            f'assert cache.get("{sku}") == {PRICES[sku]}',
            "assert cache.hits == 1",
        ],
        scope="PriceCache and a loader",
        impact="Loading prices on every request overloads the catalogue.",
        criteria=("Second read is a hit.",),
    )


def t_retry_sleep(rng: random.Random) -> TestCode:
    value = rng.randint(1, 99)
    return TestCode(
        names=("test_retry_recovers", "test_transient_failure_is_retried"),
        body=[
            f"outcomes = iter([TransientError(), {value}])",
            "",
            "def flaky():",
            "    outcome = next(outcomes)",
            "    if isinstance(outcome, Exception):",
            "        raise outcome",
            "    return outcome",
            "",
            'with patch("time.sleep") as sleep:',
            f"    assert with_retry(flaky) == {value}",
            "sleep.assert_called_once_with(0.1)",
        ],
        imports={
            "from unittest.mock import patch",
            "from shopapp.retry import TransientError, with_retry",
        },
        scope="with_retry and the clock (sleep faked)",
        impact="Transient provider errors must not fail orders.",
        criteria=("The call succeeds on the second attempt.",),
    )


def t_setenv(rng: random.Random) -> TestCode:
    currency = rng.choice(("USD", "GBP", "CHF", "SEK"))
    rate = rng.choice((0.1, 0.25, 0.05))
    return TestCode(
        names=("test_settings_from_env", "test_currency_override"),
        args=["monkeypatch"],
        body=[
            f'monkeypatch.setenv("SHOPAPP_CURRENCY", "{currency}")',
            f'monkeypatch.setenv("SHOPAPP_TAX_RATE", "{rate}")',
            "settings = Settings.from_env()",
            f'assert settings.currency == "{currency}"',
            f"assert PricingService(settings.tax_rate).tax(1000) == {round(1000 * rate)}",
        ],
        imports={
            "from shopapp.config import Settings",
            "from shopapp.services.pricing import PricingService",
        },
        scope="Settings and PricingService",
        impact="Regional shops must charge in their own currency.",
        criteria=("Environment overrides the defaults.",),
    )


def t_env_direct(rng: random.Random) -> TestCode:
    region = rng.choice(("us-east-1", "ap-south-1", "eu-west-2"))
    return TestCode(
        names=("test_region_from_env", "test_region_setting"),
        body=[
            f'os.environ["SHOPAPP_REGION"] = "{region}"',
            f'assert Settings.from_env().region == "{region}"',
        ],
        imports={"import os", "from shopapp.config import Settings"},
        scope="Settings read from the process environment",
        impact="Orders are routed to the wrong warehouse otherwise.",
        criteria=("The region setting follows the environment.",),
    )


def t_env_update(rng: random.Random) -> TestCode:
    return TestCode(
        names=("test_debug_flag", "test_debug_mode_from_env"),
        body=[
            'os.environ.update({"SHOPAPP_DEBUG": "1"})',
            "assert Settings.from_env().debug is True",
        ],
        imports={"import os", "from shopapp.config import Settings"},
        scope="Settings read from the process environment",
        impact="Debug output must be switchable in production incidents.",
        criteria=("debug is on when SHOPAPP_DEBUG=1.",),
    )


def t_patch_dict_env(rng: random.Random) -> TestCode:
    currency = rng.choice(("NOK", "DKK", "PLN"))
    return TestCode(
        names=("test_currency_patch_dict", "test_env_patched_for_block"),
        body=[
            f'with patch.dict(os.environ, {{"SHOPAPP_CURRENCY": "{currency}"}}):',
            f'    assert Settings.from_env().currency == "{currency}"',
        ],
        imports={
            "import os",
            "from unittest.mock import patch",
            "from shopapp.config import Settings",
        },
        scope="Settings and the environment",
        impact="Currencies are configured per deployment.",
        criteria=("The setting follows the environment inside the block.",),
    )


def t_setattr_module(rng: random.Random) -> TestCode:
    return TestCode(
        names=("test_default_tax_rate_override", "test_tax_rate_module_default"),
        args=["monkeypatch"],
        body=[
            'monkeypatch.setattr(pricing_module, "DEFAULT_TAX_RATE", 0.1)',
            "assert PricingService().tax(1000) == 100",
        ],
        imports={
            "from shopapp.services import pricing as pricing_module",
            "from shopapp.services.pricing import PricingService",
        },
        scope="PricingService defaults",
        impact="Tax changes must take effect without a deploy.",
        criteria=("The default rate is read at construction.",),
    )


def t_setattr_clock(rng: random.Random) -> TestCode:
    day = rng.randint(1, 28)
    return TestCode(
        names=("test_cache_stamp_uses_clock", "test_stamp_is_iso"),
        args=["monkeypatch", "cache"],
        body=[
            f"fixed = datetime(2024, 3, {day}, 12, 0, tzinfo=timezone.utc)",
            'monkeypatch.setattr("shopapp.clock.now", lambda: fixed)',
            "assert cache.stamp() == fixed.isoformat()",
        ],
        imports={"from datetime import datetime, timezone"},
        scope="PriceCache and the clock module",
        impact="Audit stamps must be in UTC.",
        criteria=("The stamp is the clock's time.",),
    )


def t_patch_start_stop(rng: random.Random) -> TestCode:
    basket = _basket(rng, 1)
    return TestCode(
        names=("test_email_send_is_called", "test_sender_receives_confirmation"),
        args=["shop", "customer_id"],
        body=[
            'patcher = patch("shopapp.adapters.email.EmailSender.send", return_value={})',
            "send = patcher.start()",
            "try:",
            f"    order = shop.checkout.place_order(customer_id, {basket!r})",
            "finally:",
            "    patcher.stop()",
            'assert order.status == "paid"',
            "assert send.called",
        ],
        imports={"from unittest.mock import patch"},
        scope="CheckoutService, Notifier, EmailSender (patched)",
        impact="A missing confirmation generates support tickets.",
        criteria=("send is called for a paid order.",),
    )


def t_patch_start_no_stop(rng: random.Random) -> TestCode:
    basket = _basket(rng, 1)
    return TestCode(
        names=("test_audit_is_written", "test_order_is_audited"),
        args=["shop", "customer_id"],
        body=[
            'recorder = patch("shopapp.audit.record").start()',
            f"order = shop.checkout.place_order(customer_id, {basket!r})",
            'assert order.id.startswith("ord-")',
            'recorder.assert_called_once_with("order_placed", order.id)',
        ],
        imports={"from unittest.mock import patch"},
        scope="CheckoutService and the audit trail (patched)",
        impact="Every order must be traceable.",
        criteria=("One audit entry per order.",),
    )


def t_patch_object(rng: random.Random) -> TestCode:
    return TestCode(
        names=("test_tax_can_be_zeroed", "test_tax_free_order"),
        args=["shop", "customer_id"],
        body=[
            'with patch.object(PricingService, "tax", return_value=0) as tax:',
            '    order = shop.checkout.place_order(customer_id, {"kiwi": 2})',
            "assert order.total_cents == 120",
            "tax.assert_called_once_with(120)",
        ],
        imports={
            "from unittest.mock import patch",
            "from shopapp.services.pricing import PricingService",
        },
        scope="CheckoutService with PricingService.tax replaced",
        impact="Tax-exempt customers must not pay tax.",
        criteria=("The total equals the subtotal.",),
    )


def t_dynamic_target(rng: random.Random) -> TestCode:
    name = rng.choice(("subtotal", "tax"))
    return TestCode(
        names=("test_dynamic_patch_target", "test_patch_by_name"),
        args=["shop"],
        body=[
            f'attribute = "{name}"',
            'with patch(f"shopapp.services.pricing.PricingService.{attribute}", return_value=7):',
            f"    assert shop.pricing.{name}([]) == 7",
        ],
        imports={"from unittest.mock import patch"},
        scope="PricingService (patched by name)",
        impact="Pricing hooks are configurable.",
        criteria=("The patched attribute answers.",),
    )


def t_magicmock_sender(rng: random.Random) -> TestCode:
    return TestCode(
        names=("test_notifier_with_fake_sender", "test_notifier_builds_subject"),
        body=[
            "sender = MagicMock()",
            "notifier = Notifier(sender)",
            'order = Order("ord-9", "cust-1", [], total_cents=1234)',
            'notifier.order_placed(order, "cust-1@example.com")',
            "sender.send.assert_called_once()",
            'assert sender.send.call_args.args[1] == "Order ord-9 confirmed"',
        ],
        imports={
            "from unittest.mock import MagicMock",
            "from shopapp.models import Order",
            "from shopapp.services.notifications import Notifier",
        },
        scope="Notifier with a fake EmailSender",
        impact="Subjects are how customers find their orders.",
        criteria=("The subject names the order.",),
    )


def t_no_assert(rng: random.Random) -> TestCode:
    sku = rng.choice(SKUS)
    qty = rng.randint(1, 5)
    return TestCode(
        names=("test_reserve_and_release", "test_inventory_roundtrip"),
        args=["shop"],
        body=[
            f'shop.inventory.reserve("{sku}", {qty})',
            f'shop.inventory.release("{sku}", {qty})',
        ],
        scope="InventoryService and InventoryRepository",
        impact="Stock must not drift.",
        criteria=("Nothing raises.",),
    )


def t_no_assert_order(rng: random.Random) -> TestCode:
    basket = _basket(rng)
    return TestCode(
        names=("test_order_smoke", "test_checkout_smoke"),
        args=["shop", "customer_id"],
        body=[f"shop.checkout.place_order(customer_id, {basket!r})"],
        scope="The whole checkout",
        impact="Checkout must not crash.",
        criteria=("No exception.",),
    )


def t_raises_unknown(rng: random.Random) -> TestCode:
    return TestCode(
        names=("test_unknown_sku_is_rejected", "test_unknown_product"),
        args=["shop", "customer_id"],
        body=[
            "with pytest.raises(KeyError):",
            '    shop.checkout.place_order(customer_id, {"durian": 1})',
            "assert shop.orders.count() == 0",
        ],
        scope="CheckoutService and ProductRepository",
        impact="Orders for products we do not sell must not be stored.",
        criteria=("KeyError, nothing stored.",),
    )


def t_out_of_stock(rng: random.Random) -> TestCode:
    sku = rng.choice(SKUS)
    return TestCode(
        names=("test_out_of_stock", "test_insufficient_stock_is_rejected"),
        args=["shop", "customer_id"],
        body=[
            f'shop.inventory_repo.set_stock("{sku}", 1)',
            "with pytest.raises(OutOfStock):",
            f'    shop.checkout.place_order(customer_id, {{"{sku}": 5}})',
            f'assert shop.inventory.available("{sku}") == 1',
        ],
        imports={"from shopapp.repositories.inventory import OutOfStock"},
        scope="CheckoutService, InventoryService, InventoryRepository",
        impact="Overselling disappoints customers.",
        criteria=("OutOfStock and stock unchanged.",),
    )


def t_private_attr(rng: random.Random) -> TestCode:
    sku = rng.choice(SKUS)
    return TestCode(
        names=("test_cache_keeps_entry", "test_cache_store_has_key"),
        args=["cache"],
        body=[f'cache.set("{sku}", {PRICES[sku]})', f'assert "{sku}" in cache._store'],
        scope="PriceCache internals",
        impact="Cache warm-up must fill the store.",
        criteria=("The key is stored.",),
    )


def t_shipping_param(rng: random.Random) -> TestCode:
    cases = [(rng.randint(50, 3000), rng.choice(tuple(RATES))) for _ in range(rng.randint(2, 4))]
    rows = ", ".join(f'({w}, "{z}", {RATES[z] + w // 500 * 100})' for w, z in cases)
    return TestCode(
        names=("test_shipping_quote", "test_quote_per_zone"),
        decorators=[f'@pytest.mark.parametrize(("weight", "zone", "expected"), [{rows}])'],
        args=["shop", "weight", "zone", "expected"],
        body=["assert shop.shipping.quote(weight, zone) == expected"],
        scope="ShippingService rate table",
        impact="Under-quoting shipping loses money on every parcel.",
        criteria=("Quote is base rate plus weight steps.",),
    )


def t_loyalty_param(rng: random.Random) -> TestCode:
    cents = rng.randint(100, 10000)
    rows = ", ".join(f'("{t}", {cents // 100 * m})' for t, m in MULTIPLIERS.items())
    return TestCode(
        names=("test_loyalty_points", "test_points_per_tier"),
        decorators=[f'@pytest.mark.parametrize(("tier", "expected"), [{rows}])'],
        args=["shop", "tier", "expected"],
        body=[f"assert shop.loyalty.points_for({cents}, tier) == expected"],
        scope="LoyaltyService tiers",
        impact="Gold customers notice missing points.",
        criteria=("Points scale with the tier.",),
    )


def t_refund(rng: random.Random) -> TestCode:
    basket = _basket(rng)
    return TestCode(
        names=("test_refund_paid_order", "test_refund_returns_money"),
        args=["shop", "customer_id"],
        body=[
            f"order = shop.checkout.place_order(customer_id, {basket!r})",
            "refunded = shop.refunds.refund(order.id)",
            'assert refunded.status == "refunded"',
            f"assert shop.gateway.refunds == [{_total(basket)}]",
        ],
        scope="CheckoutService, RefundService and PaymentGateway",
        impact="Refunds must return exactly what was charged.",
        criteria=("The refund equals the charge.",),
    )


def t_events(rng: random.Random) -> TestCode:
    basket = _basket(rng, 1)
    return TestCode(
        names=("test_order_event_published", "test_subscribers_see_orders"),
        args=["shop", "customer_id"],
        body=[
            "received = []",
            'shop.events.subscribe("order.placed", received.append)',
            f"order = shop.checkout.place_order(customer_id, {basket!r})",
            "assert received == [order]",
        ],
        scope="CheckoutService and EventBus",
        impact="Fulfilment listens to order events.",
        criteria=("Subscribers get the order.",),
    )


def t_table(rng: random.Random) -> TestCode:
    return TestCode(
        names=("test_price_table", "test_table_subtotals"),
        args=["shop"],
        body=[
            "for row in PRICE_TABLE:",
            "    items = _items_from_row(shop, row)",
            '    assert shop.pricing.subtotal(items) == row["expected_subtotal"], row["name"]',
        ],
        scope="PricingService over the module's price table",
        impact="Catalogue prices must add up for common baskets.",
        criteria=("Every row's subtotal matches.",),
    )


def t_helper_check(rng: random.Random) -> TestCode:
    basket = _basket(rng)
    return TestCode(
        names=("test_order_is_consistent", "test_order_consistency"),
        args=["shop", "customer_id"],
        body=[
            f"order = shop.checkout.place_order(customer_id, {basket!r})",
            "check_order_consistent(shop, order)",
        ],
        scope="CheckoutService and the repositories",
        impact="Inconsistent orders break accounting.",
        criteria=("Stored order equals returned order.",),
    )


def t_basket_fixture(rng: random.Random) -> TestCode:
    return TestCode(
        names=("test_basket_fixture_order", "test_module_basket"),
        args=["shop", "customer_id", "basket"],
        body=[
            "order = shop.checkout.place_order(customer_id, basket)",
            "assert order.total_cents == shop.pricing.total(order.items)",
            "assert len(order.items) == len(basket)",
        ],
        scope="CheckoutService with the module's basket",
        impact="Common baskets must always go through.",
        criteria=("Total equals the pricing service's total.",),
    )


# (template, weight in integration modules, weight in unit modules)
TEMPLATES: tuple[tuple[Callable[[random.Random], TestCode], int, int], ...] = (
    (t_place_order, 10, 2),
    (t_pricing_param, 10, 8),
    (t_discount_param, 6, 8),
    (t_internal_mock_decorator, 3, 3),
    (t_internal_mock_context, 3, 2),
    (t_gateway_declined, 3, 1),
    (t_declined_token, 3, 1),
    (t_cache_serializer, 3, 3),
    (t_cache_ttl, 3, 4),
    (t_cache_roundtrip, 3, 5),
    (t_retry_sleep, 3, 4),
    (t_setenv, 4, 4),
    (t_env_direct, 1, 1),
    (t_env_update, 1, 1),
    (t_patch_dict_env, 2, 2),
    (t_setattr_module, 2, 3),
    (t_setattr_clock, 2, 3),
    (t_patch_start_stop, 2, 1),
    (t_patch_start_no_stop, 1, 1),
    (t_patch_object, 2, 2),
    (t_dynamic_target, 1, 1),
    (t_magicmock_sender, 2, 3),
    (t_no_assert, 2, 2),
    (t_no_assert_order, 2, 1),
    (t_raises_unknown, 4, 3),
    (t_out_of_stock, 4, 2),
    (t_private_attr, 2, 2),
    (t_shipping_param, 6, 6),
    (t_loyalty_param, 6, 6),
    (t_refund, 5, 2),
    (t_events, 4, 2),
    (t_table, 3, 3),
    (t_helper_check, 4, 2),
    (t_basket_fixture, 4, 2),
)

SUMMARIES = (
    "{what} works end to end.",
    "{what} behaves as documented.",
    "{what} keeps its guarantees under realistic input.",
    "Regression: {what} used to break here.",
    "{what} for the common case.",
)
STRATEGY_STEPS = (
    "Build a fresh shop from the factory",
    "Use the real repositories and services",
    "Drive the flow through the public API",
    "Inspect what the collaborators recorded",
    "Compare against values computed by hand",
)


def _docstring(rng: random.Random, code: TestCode, name: str, integration: bool) -> list[str]:
    """Docstring lines (without indentation) or [] for none."""
    what = name.removeprefix("test_").replace("_", " ").capitalize()
    summary = rng.choice(SUMMARIES).format(what=what)
    if not integration:
        roll = rng.random()
        if roll < 0.25:
            return []
        if roll < 0.85:
            return [f'"""{summary}"""']
        return [f'"""{summary}', "", f"{code.impact}", '"""']
    roll = rng.random()
    if roll < 0.05:
        return []
    if roll < 0.09:
        return [f'"""{summary}"""']
    if roll < 0.14:  # unfilled template
        return [
            '"""Test [specific behavior] across [components].',
            "",
            "Integration Scope:",
            "    [List components being integrated]",
            "",
            "Business Impact:",
            "    [Why this integration matters]",
            "",
            "Success Criteria:",
            "    - [Observable outcome 1]",
            '"""',
        ]
    sections = {
        "Integration Scope": code.scope,
        "Business Impact": code.impact,
        "Success Criteria": " ".join(code.criteria),
    }
    if roll < 0.22:  # one section missing
        del sections[rng.choice(tuple(sections))]
    elif roll < 0.25:  # one section empty
        sections[rng.choice(tuple(sections))] = ""
    elif roll < 0.28:  # a TODO placeholder
        sections["Business Impact"] = "TODO"
    lines = [f'"""{summary}', ""]
    if rng.random() < 0.8:  # compact form
        lines += [f"{key}: {value}".rstrip() for key, value in sections.items()]
    else:  # long form with a strategy section
        for key, value in sections.items():
            lines.append(f"{key}:")
            if key == "Success Criteria" and value:
                lines += [f"    - {criterion}" for criterion in code.criteria]
            elif value:
                lines += textwrap.wrap(value, 80, initial_indent="    ", subsequent_indent="    ")
            lines.append("")
            if key == "Business Impact":
                lines.append("Test Strategy:")
                lines += [f"    - {step}" for step in rng.sample(STRATEGY_STEPS, 2)]
                lines.append("")
        if lines[-1] == "":
            lines.pop()
    lines.append('"""')
    return lines


def _render_test(
    rng: random.Random, code: TestCode, name: str, integration: bool, method: bool, indent: str
) -> list[str]:
    out = [indent + decorator for decorator in code.decorators]
    if integration and rng.random() < 0.08:
        out.append(indent + "@pytest.mark.integration")
    params = (["self"] if method else []) + code.mock_args + code.args
    out.append(f"{indent}def {name}({', '.join(params)}):")
    inner = indent + "    "
    out += [inner + line if line else "" for line in _docstring(rng, code, name, integration)]
    out += [inner + line if line else "" for line in code.body]
    return out


def _price_table(rng: random.Random) -> list[str]:
    lines = ["PRICE_TABLE = ["]
    for index in range(rng.randint(4, 10)):
        basket = _basket(rng)
        subtotal = sum(PRICES[sku] * qty for sku, qty in basket.items())
        lines.append(
            f'    {{"name": "row-{index}", "basket": {basket!r}, "expected_subtotal": {subtotal}}},'
        )
    lines.append("]")
    return lines


HELPERS = '''
def _items_from_row(shop, row):
    """Line items for one PRICE_TABLE row, priced from the catalogue."""
    items = []
    for sku, quantity in sorted(row["basket"].items()):
        product = shop.products.get(sku)
        items.append(LineItem(sku, quantity, product.price_cents))
    return items


def check_order_consistent(shop, order):
    """Shared checks on a placed order."""
    stored = shop.orders.get(order.id)
    assert stored is order
    assert stored.total_cents == shop.pricing.total(stored.items)
    assert all(item.quantity > 0 for item in stored.items)
    if stored.status == "paid":
        assert shop.gateway.charges[-1] == stored.total_cents


def _describe(order):
    """A human-readable one-liner, used in assertion messages."""
    parts = [f"{item.quantity}x{item.sku}" for item in order.items]
    return f"{order.id} ({order.status}): " + ", ".join(parts)
'''.strip("\n").splitlines()


def _cases(code: TestCode) -> int:
    cases = 1
    for decorator in code.decorators:
        if "parametrize" in decorator:
            cases *= decorator.count("), (") + 1
    return cases


def _module(rng: random.Random, area: str, topic: str, integration: bool) -> tuple[str, int]:
    """Source of one test module and its number of test items."""
    weights = [w_int if integration else w_unit for _, w_int, w_unit in TEMPLATES]
    templates = [t for t, _, _ in TEMPLATES]
    target = rng.randint(8, 15)  # collected tests (parametrized cases count one each)
    codes: list[TestCode] = []
    items = 0
    while items < target:
        code = rng.choices(templates, weights=weights)[0](rng)
        cases = _cases(code)
        if items + cases > 15:
            continue
        codes.append(code)
        items += cases
    used: set[str] = set()
    named: list[tuple[str, TestCode]] = []
    for code in codes:
        base = rng.choice(code.names)
        name, suffix = base, 2
        while name in used:
            name, suffix = f"{base}_{suffix}", suffix + 1
        used.add(name)
        named.append((name, code))

    imports = {"import pytest", "from shopapp.models import LineItem"}
    for code in codes:
        imports |= code.imports
    std = sorted(i for i in imports if not i.startswith(("import pytest", "from shopapp")))
    first_party = sorted(i for i in imports if i.startswith("from shopapp"))

    kind = "Integration" if integration else "Unit"
    lines = [f'"""{kind} tests for the {area} area: {topic.replace("_", " ")}.']
    if integration:
        lines += [
            "",
            f"Seam Under Test: {area} flows through the real services and repositories.",
            "Critical Paths: placing, paying for and refunding orders.",
        ]
    lines += ['"""', "", "from __future__ import annotations", ""]
    lines += [*std, "", "import pytest", "", *first_party, "", ""]
    needs_table = any(code.body[0].startswith("for row in PRICE_TABLE") for code in codes)
    needs_check = any("check_order_consistent" in line for code in codes for line in code.body)
    if needs_table or needs_check or rng.random() < 0.25:
        lines += [*_price_table(rng), "", ""]
        lines += [*HELPERS, "", ""]
    lines += [
        "@pytest.fixture",
        "def basket():",
        '    """A typical basket for this module."""',
        f"    return {_basket(rng, 2)!r}",
        "",
        "",
    ]
    if rng.random() < 0.3 and "PRICE_TABLE = [" in lines:
        lines += [
            '@pytest.fixture(scope="module")',
            "def module_prices():",
            '    """Catalogue prices, read once per module."""',
            "    return {row['name']: row['expected_subtotal'] for row in PRICE_TABLE}",
            "",
            "",
        ]
    # Split the tests into 1-3 classes and some module-level functions.
    position = 0
    for class_index in range(rng.randint(1, 3)):
        take = min(rng.randint(2, 5), len(named) - position - 1)
        if take <= 0:
            break
        class_name = f"Test{area.title()}{topic.title().replace('_', '')}{class_index + 1}"
        lines.append(f"class {class_name}:")
        if integration and rng.random() < 0.5:
            lines += [
                f'    """{area.title()} seams exercised with real collaborators.',
                "",
                "    Seam Under Test:",
                f"        {area} service -> repositories -> adapters",
                "",
                "    Critical Paths:",
                "        - The happy path",
                "        - Failure is visible to the caller",
                '    """',
            ]
        elif integration:
            lines.append(f'    """{area.title()} seams exercised with real collaborators."""')
        else:
            lines.append(f'    """Unit tests of {area}."""')
        for name, code in named[position : position + take]:
            lines.append("")
            lines += _render_test(rng, code, name, integration, True, "    ")
        lines += ["", ""]
        position += take
    for name, code in named[position:]:
        lines += _render_test(rng, code, name, integration, False, "")
        lines += ["", ""]
    while lines and lines[-1] == "":
        lines.pop()
    return "\n".join(lines) + "\n", items


def _conftest(rng: random.Random, area: str, integration: bool) -> str:
    customer = rng.choice(CUSTOMERS)
    kind = "integration" if integration else "unit"
    lines = [
        f'"""Fixtures for the {area} {kind} tests."""',
        "",
        "from __future__ import annotations",
        "",
        "import os",
        "",
        "import pytest",
        "",
        "from shopapp.catalog import CATALOG",
        "from shopapp.factories import build_shop",
        "",
        f'AREA = "{area}"',
        "",
        "",
        '@pytest.fixture(scope="session")',
        "def area_skus():",
        '    """The SKUs this area works with (read-only)."""',
        "    return tuple(sorted(CATALOG))",
        "",
        "",
        "@pytest.fixture",
        "def customer_id():",
        '    """The customer most tests in this area buy as."""',
        f'    return "{customer}"',
        "",
        "",
        "@pytest.fixture",
        "def low_stock_shop():",
        '    """A shop with only a couple of units of everything."""',
        "    return build_shop(stock=2)",
        "",
        "",
        "@pytest.fixture",
        "def regional_settings(monkeypatch):",
        '    """Settings as a regional deployment sees them."""',
        '    monkeypatch.setenv("SHOPAPP_CURRENCY", "EUR")',
        '    monkeypatch.setenv("SHOPAPP_REGION", "eu-central")',
        "    return dict(os.environ)",
    ]
    if rng.random() < 0.2:  # a session fixture that writes the environment directly
        lines += [
            "",
            "",
            '@pytest.fixture(scope="session", autouse=True)',
            "def feature_flags():",
            '    """Flags for the whole run (written directly, never undone)."""',
            f'    os.environ.setdefault("SHOPAPP_FEATURES", "{area}")',
            '    return os.environ["SHOPAPP_FEATURES"]',
        ]
    return "\n".join(lines) + "\n"


ROOT_CONFTEST = '''
"""Fixtures shared by the whole suite."""

from __future__ import annotations

from unittest.mock import patch

import pytest

from shopapp.cache import PriceCache
from shopapp.catalog import CATALOG
from shopapp.factories import build_shop


@pytest.fixture(scope="session")
def catalog_data():
    """The catalogue, read once per session."""
    return dict(CATALOG)


@pytest.fixture
def shop():
    """A fresh, fully wired shop with in-memory parts."""
    return build_shop()


@pytest.fixture
def cache():
    """An empty price cache."""
    return PriceCache(ttl_seconds=60)


@pytest.fixture(autouse=True)
def _stop_leaked_patches():
    """Undo patchers that a test started and forgot to stop."""
    yield
    patch.stopall()
'''.lstrip()


PYPROJECT = """
[project]
name = "shopapp"
version = "1.0.0"
requires-python = ">=3.10"

[tool.pytest.ini_options]
testpaths = ["tests"]
pythonpath = ["src"]
markers = [
    "integration: an integration test",
]
""".lstrip()


def generate(target: Path, modules: int = 1000, seed: int = 0) -> dict[str, int]:
    """Write the synthetic project into ``target`` (emptied first) and return its counts."""
    rng = random.Random(seed)
    target = Path(target)
    if target.exists():
        for child in target.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child)
            else:
                child.unlink()
    target.mkdir(parents=True, exist_ok=True)
    (target / "pyproject.toml").write_text(PYPROJECT)
    package = target / "src" / "shopapp"
    for name, text in PACKAGE.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"))

    tests = target / "tests"
    tests.mkdir()
    (tests / "conftest.py").write_text(ROOT_CONFTEST)
    counts = {
        "modules": 0,
        "integration_modules": 0,
        "unit_modules": 0,
        "conftests": 1,
        "package_modules": len(PACKAGE),
        "test_lines": ROOT_CONFTEST.count("\n"),
        "test_items": 0,
    }
    conftests: set[Path] = set()
    integration_count = round(modules * INTEGRATION_SHARE)
    for index in range(modules):
        integration = index < integration_count
        area = AREAS[index % len(AREAS)]
        topic = TOPICS[(index // len(AREAS)) % len(TOPICS)]
        directory = tests / ("integration" if integration else "unit") / area
        if directory not in conftests:
            directory.mkdir(parents=True, exist_ok=True)
            text = _conftest(rng, area, integration)
            (directory / "conftest.py").write_text(text)
            conftests.add(directory)
            counts["conftests"] += 1
            counts["test_lines"] += text.count("\n")
        stem = f"test_{area}_{topic}_{index:04d}"
        filename = f"{stem}_integration.py" if integration else f"{stem}.py"
        source, items = _module(rng, area, topic, integration)
        (directory / filename).write_text(source)
        counts["modules"] += 1
        counts["integration_modules" if integration else "unit_modules"] += 1
        counts["test_lines"] += source.count("\n")
        counts["test_items"] += items
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("target", type=Path)
    parser.add_argument("--modules", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    print(json.dumps(generate(args.target, args.modules, args.seed), indent=2))


if __name__ == "__main__":
    main()
