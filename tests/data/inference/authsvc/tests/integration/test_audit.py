"""Audit and admin."""


def test_login_events_written_to_audit_log():
    """
    Test that successful and failed logins are audited.

    Integration Scope:
        AuthService → AuditLogger → audit_events table
    """
    assert True


def test_admin_impersonation_requires_mfa():
    """
    Test that impersonating a user requires a fresh MFA code.

    Integration Scope:
        Admin API → MFA verifier → Login API session
    """
    assert True
