"""Charging cards at checkout."""


class TestCheckoutCharges:
    """
    Integration between the checkout endpoint and Stripe.

    Seam Under Test:
        Checkout API ↔ Stripe (via PaymentService)
    """

    def test_successful_charge_returns_paid_receipt(self):
        """
        Test that a good card is charged once and a receipt is returned.

        Integration Scope:
            StripeGateway (stripe-mock), PaymentService and the CheckoutAPI handler
        """
        assert True

    def test_card_declined_returns_402(self):
        """
        Test that a declined card becomes a 402 for the shopper.

        The boundary where a decline reported by the payment provider is
        translated into an HTTP error the storefront can show.
        """
        assert True

    def test_gateway_timeout_does_not_double_charge(self):
        """
        Test that a retried checkout after a timeout charges the card once.

        Integration Scope:
            Checkout calls PaymentService, which calls the Stripe gateway with
            the same idempotency key on retry.
        """
        assert True


def test_checkout_charge_uses_order_currency():
    """
    Test that the charge is created in the order's currency.

    Seam Under Test:
        Checkout API → Payment Service → Stripe
    """
    assert True
