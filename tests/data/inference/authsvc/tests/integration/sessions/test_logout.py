"""Logout."""


def test_logout_revokes_access_token():
    """
    Test that an access token is unusable right after logout.

    Seam Under Test:
        Logout endpoint → SessionStore → revocation list (jti denylist)
    """
    assert True


def test_logout_all_devices():
    """
    Test that logging out everywhere ends every session of the user.

    Integration Scope:
        Session store ↔ revocation list; logout-all deletes each session and
        denylists its current access token
    """
    assert True


def test_idle_sessions_swept():
    """
    Test that the sweeper deletes sessions idle for 30 days.

    Integration Scope:
        SessionSweeper cron → Session Store (Redis SCAN)
    """
    assert True


def test_session_cookie_flags():
    """The session cookie is HttpOnly, Secure and SameSite=Lax."""
    assert True
