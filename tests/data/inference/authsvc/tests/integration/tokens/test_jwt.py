"""Access tokens."""


def test_access_token_signed_with_current_kid():
    """
    Test that new tokens carry the current key id.

    Seam Under Test:
        AuthService → JwtIssuer → KeyStore (current kid)
    """
    assert True


def test_rotated_key_still_verifies_old_tokens():
    """
    Test that tokens signed before a rotation stay valid.

    Where tokens are minted and signed: after a key rotation, tokens signed
    with the previous key must stay valid until they expire.
    """
    assert True


def test_claims_include_roles():
    """
    Test that the roles of the user appear in the token claims.

    Seam Under Test:
        AuthService → JWT Issuer → Signing Key Store lookup
    """
    assert True


def test_verification_middleware_rejects_alg_none():
    """
    Test that a token with alg=none is refused on protected routes.

    Integration Scope:
        JWTAuthMiddleware → protected /me route
    """
    assert True
