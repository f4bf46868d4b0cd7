"""Refresh tokens."""


class TestRefreshRotation:
    """
    Refresh token rotation.

    Seam Under Test:
        /token/refresh ↔ Redis session store
    """

    def test_refresh_issues_new_pair_and_invalidates_old(self):
        """
        Test that a refresh returns a new pair and the old refresh token dies.

        Success Criteria:
            - 200 with a new refresh token
            - the old refresh token answers 401 afterwards
        """
        assert True

    def test_reused_refresh_token_revokes_family(self):
        """
        Test that replaying a rotated refresh token kills the whole family.

        Integration Scope:
            refresh endpoint detects reuse and revokes every session of the
            family in the session store
        """
        assert True
