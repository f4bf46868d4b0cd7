"""Encrypted cache values."""


def test_encrypted_round_trip():
    """
    Test that values are stored as ciphertext and read back as plaintext.

    Integration Scope:
        EncryptedCacheLayer → GenericRedisCache (fakeredis)
    """
    assert True


def test_wrong_key_fails_closed():
    """
    Test that decrypting with another key yields a miss.

    Where values are encrypted before they reach the shared store: a wrong
    key must produce a miss, never plaintext or garbage.
    """
    assert True


def test_key_rotation_reencrypts_secrets():
    """
    Test that the rotation job writes a new key version.

    Integration Scope:
        KeyRotationJob → SecretsManager (localstack)
    """
    assert True
