"""Session store behaviour."""


def test_session_ttl_slides_on_activity():
    """
    Test that each authenticated request extends the session TTL.

    Integration Scope:
        Session Store (Redis) — TTL slides on every authenticated request
    """
    assert True


def test_tokens_unusable_after_session_deleted():
    """
    Test that deleting a session makes its tokens unusable.

    Integration Scope:
        Session store → token checks; once the session key is gone, both the
        refresh token and the access token are refused
    """
    assert True
