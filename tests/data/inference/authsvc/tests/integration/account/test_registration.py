"""Sign-up."""


def test_signup_creates_unverified_user_and_sends_email():
    """
    Test that sign-up stores an unverified user and sends the link.

    Seam Under Test:
        Sign-up API → UserStore → verification email
    """
    assert True


def test_verification_link_activates_account():
    """
    Test that following the link marks the user verified.

    Integration between the verification link handler and the user record it
    activates.
    """
    assert True


def test_duplicate_email_rejected():
    """
    Test that signing up twice with one email answers 409.

    Integration Scope:
        Registration API → UserStore unique email index
    """
    assert True


def test_profile_update_changes_display_name():
    """
    Test that PATCH /me changes the display name.

    Integration Scope:
        Profile API → UserStore
    """
    assert True
