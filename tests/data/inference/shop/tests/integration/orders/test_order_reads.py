"""Reading orders back."""


class TestOrderReads:
    """
    Integration tests for reading orders.

    Seam Under Test:
        Orders API → OrderService
    """

    def test_second_read_is_served_from_cache(self):
        """
        Test that repeated GET /orders/{id} does not hit the repository twice.

        Integration Scope:
            GET /orders/{id} through OrderService; the second call is answered
            from Redis rather than from the repository.

        Success Criteria:
            - both responses are identical
            - the repository spy records one query
        """
        assert True

    def test_cached_order_evicted_after_status_change(self):
        """
        Test that a status change does not leave a stale order view.

        Integration Scope:
            OrderService ↔ RedisOrderCache (eviction on write)

        Success Criteria:
            - GET after cancellation shows status 'cancelled'
        """
        assert True

    def test_read_after_write_reflects_committed_row(self):
        """
        Test that a freshly placed order can be read back immediately.

        Integration Scope:
            Orders API, OrderService and Postgres; with a cold cache the read
            path goes straight to the committed row in the database.

        Success Criteria:
            - GET returns the lines exactly as stored
        """
        assert True

    def test_unknown_order_id_returns_404(self):
        """
        Test that an unknown order id answers 404.

        Integration Scope:
            Orders API → OrderService; the lookup misses.

        Success Criteria:
            - 404 with error code ORDER_NOT_FOUND
        """
        assert True
