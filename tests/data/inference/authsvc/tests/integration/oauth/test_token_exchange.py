"""Authorization code flow."""


def test_code_exchanged_for_tokens():
    """
    Test that a valid code yields access and ID tokens.

    Seam Under Test:
        /oauth/token ← authorization code grant (AuthCodeStore)
    """
    assert True


def test_code_reuse_rejected():
    """
    Test that a code cannot be used twice.

    Where a one-time authorization code is traded for tokens: the second
    trade must fail and revoke the tokens from the first.
    """
    assert True


def test_pkce_mismatch_rejected():
    """
    Test that a wrong code_verifier is refused.

    Integration Scope:
        code_verifier S256 check in the authorization server
    """
    assert True


def test_pkce_plain_method_refused():
    """
    Test that code_challenge_method=plain is refused.

    Seam Under Test:
        PKCE verifier → authorization server (plain method)
    """
    assert True


def test_client_credentials_grant():
    """
    Test the machine-to-machine grant.

    Integration Scope:
        /oauth/token with grant_type=client_credentials → ClientRegistry
    """
    assert True
