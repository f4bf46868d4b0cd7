"""Receipts: serialises an order with the standard library's json (a third-party boundary)."""

import json


def receipt(total_cents: int) -> str:
    return json.dumps({"total": total_cents})
