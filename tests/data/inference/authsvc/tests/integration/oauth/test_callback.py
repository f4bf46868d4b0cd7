"""Social sign-in callback."""


def test_first_google_login_creates_user():
    """
    Test that a first Google sign-in creates a user.

    Seam Under Test:
        OAuth callback → Google IdP (fake) → users table
    """
    assert True


def test_returning_user_matched_by_subject():
    """
    Test that a returning user is found by (provider, sub).

    Integration Scope:
        OAuth callback handler, identity provider userinfo, user store lookup
        by provider subject
    """
    assert True


def test_existing_email_account_gets_identity_attached():
    """
    Test that a local account with the same verified email is not duplicated.

    Integration Scope:
        OAuth callback → UserStore; the local account with the same verified
        email gets the provider identity attached
    """
    assert True


def test_unverified_provider_email_handled():
    """
    Test sign-in when the provider reports email_verified=false.

    Integration Scope:
        OAuth callback → UserStore with an unverified email from the provider
    """
    assert True
