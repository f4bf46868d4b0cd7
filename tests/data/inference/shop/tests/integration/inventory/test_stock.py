"""Stock reservations."""


class TestStockReservations:
    """
    Stock must never go negative.

    Seam Under Test:
        InventoryService.reserve → PG (SELECT ... FOR UPDATE)
    """

    def test_concurrent_reservations_never_oversell(self):
        """
        Test that two checkouts racing for the last unit cannot both win.

        Integration Scope:
            InventoryService.reserve inside a row-locking transaction on the
            stock table.
        """
        assert True

    def test_reservation_released_when_order_cancelled(self):
        """
        Test that cancelling an order gives the units back.

        Integration between inventory reservations and the database
        transaction that cancels the order.
        """
        assert True


def test_low_stock_event_published():
    """
    Test that dropping below the threshold publishes low_stock.

    Integration Scope:
        InventoryService → event bus (low_stock topic) → warehouse consumer
    """
    assert True
