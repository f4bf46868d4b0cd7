"""Password hashing."""


def test_argon2_hash_verifies():
    """hash_password() output verifies with verify_password() and not with a wrong one."""
    assert True


def test_legacy_bcrypt_hash_rehashed_on_login():
    """
    Test that a successful login upgrades a bcrypt hash to argon2.

    Integration Scope:
        Login endpoint → AuthService → UserStore.update_hash (hash upgraded
        in place after verification)
    """
    assert True
