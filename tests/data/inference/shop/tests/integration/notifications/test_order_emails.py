"""Order emails."""


class TestConfirmationEmails:
    """
    Order confirmation emails are sent asynchronously.

    Integration Scope:
        OrderService enqueues send_order_email on Celery; the worker renders
        the template and hands it to the SMTP backend.
    """

    def test_confirmation_email_sent_after_order_placed(self):
        """A placed order produces exactly one confirmation email."""
        assert True

    def test_smtp_failure_is_retried_by_worker(self):
        """
        Test that a transient SMTP error is retried.

        Integration Scope:
            Celery task retry ↔ EmailBackend
        """
        assert True


def test_shipping_email_contains_tracking_link():
    """
    Test that the shipping notification carries the carrier link.

    Seam Under Test:
        OrderService → Celery worker → shipping email notification sent
    """
    assert True


def test_newsletter_signup_sends_welcome_email():
    """
    Test that newsletter sign-up sends a welcome email.

    Integration Scope:
        Newsletter API → MailchimpClient (sandbox list)
    """
    assert True
