"""Provider profiles."""


def test_github_profile_mapped_to_claims():
    """
    Test that GitHub profile fields end up in the ID token.

    Integration Scope:
        GitHub provider adapter → ProfileMapper → ID token claims
    """
    assert True


def test_display_name_trimmed():
    """truncate_display_name() cuts names to 64 characters."""
    assert True


def test_consent_remembered_per_scope():
    """
    Test that approved scopes are not asked for again.

    Seam Under Test:
        consent page ↔ granted-scopes store
    """
    assert True
