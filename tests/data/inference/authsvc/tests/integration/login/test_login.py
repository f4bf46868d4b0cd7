"""Password login."""


class TestPasswordLogin:
    """
    Integration tests for username/password login.

    Seam Under Test:
        Auth API → AuthService → users table (Postgres)

    Critical Paths:
        - Success: tokens issued for correct credentials
        - Failure: no user enumeration, lockout respected
    """

    def test_valid_credentials_return_tokens(self):
        """
        Test that correct credentials return an access/refresh pair.

        Success Criteria:
            - 200 with access_token and refresh_token
            - last_login_at updated on the users row
        """
        assert True

    def test_wrong_password_and_unknown_user_look_identical(self):
        """
        Test that a wrong password and an unknown user give the same 401.

        Business Impact:
            Different answers would let attackers enumerate accounts.
        """
        assert True

    def test_locked_account_refused(self):
        """
        Test that a locked account is refused with the right password.

        Integration Scope:
            AuthService reads locked_until from the user store
        """
        assert True

    def test_sixth_attempt_is_rate_limited(self):
        """
        Test that the sixth failed attempt within 15 minutes answers 429.

        Integration Scope:
            login endpoint ↔ rate limiter (fakeredis INCR/EXPIRE per
            account and IP)
        """
        assert True
