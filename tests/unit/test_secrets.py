"""The secrets-at-rest primitives (db/secrets.py): Fernet with key rotation."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from podium.db.secrets import (
    KEYS_SETTING,
    PREFIX,
    SecretKeyError,
    decrypt,
    encrypt,
    encryption_enabled,
    new_key,
    parse_keys,
    use_keys,
)

OLD, NEW = new_key(), new_key()


@pytest.fixture(autouse=True)
def _no_keys_after() -> Iterator[None]:
    yield
    use_keys(())


def test_a_secret_is_stored_encrypted_and_reads_back_as_it_was() -> None:
    use_keys([OLD])
    stored = encrypt("shpat_0123456789")
    assert stored.startswith(PREFIX)
    assert "shpat_0123456789" not in stored
    assert decrypt(stored) == "shpat_0123456789"
    assert encrypt(stored) == stored  # already encrypted: written as it is


def test_without_keys_secrets_stay_plaintext_and_plaintext_always_reads() -> None:
    use_keys(())
    assert not encryption_enabled()
    assert encrypt("token") == "token"
    use_keys([NEW])
    assert decrypt("token") == "token"  # stored before encryption was configured


def test_an_old_key_after_the_new_one_still_decrypts_and_the_new_one_encrypts() -> None:
    use_keys([OLD])
    by_old = encrypt("secret")
    use_keys([NEW, OLD])
    assert decrypt(by_old) == "secret"
    by_new = encrypt("secret")
    use_keys([NEW])
    assert decrypt(by_new) == "secret"


def test_a_wrong_key_is_an_error_naming_the_setting_never_garbage() -> None:
    use_keys([OLD])
    stored = encrypt("secret")
    use_keys([NEW])
    with pytest.raises(SecretKeyError) as caught:
        decrypt(stored)
    assert KEYS_SETTING in caught.value.message
    assert caught.value.code == "encryption_key_mismatch"
    assert caught.value.details == {"setting": KEYS_SETTING}


def test_encrypted_secrets_without_any_key_are_an_error_naming_the_setting() -> None:
    use_keys([OLD])
    stored = encrypt("secret")
    use_keys(())
    with pytest.raises(SecretKeyError, match=KEYS_SETTING):
        decrypt(stored)


def test_a_malformed_key_is_refused_by_position_without_echoing_it() -> None:
    with pytest.raises(ValueError, match="key 2 is not a Fernet key") as caught:
        parse_keys(f"{OLD}, not-a-key-at-all")
    assert "not-a-key-at-all" not in str(caught.value)
    assert parse_keys(f" {NEW} ,{OLD},") == (NEW, OLD)
