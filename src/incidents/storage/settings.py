"""How the events are kept at rest, whatever the backend: encrypted and compressed, or not.

Both are the library's own mechanisms (a ``Cipher`` and a ``Compressor`` in its ``Mapper``),
switched on by ``INCIDENTS_CIPHER_KEY`` and ``INCIDENTS_COMPRESS`` and turned here into the
library's settings (``CIPHER_TOPIC``, ``CIPHER_KEY``, ``COMPRESSOR_TOPIC``). The library looks
for its own settings under the application's name first (``INCIDENTS_CIPHER_KEY`` for
``CIPHER_KEY``): the variables were named so that the two agree. See docs/architecture.md,
"Storage safety".
"""

from __future__ import annotations

import binascii
from base64 import b64decode
from collections.abc import Mapping

from incidents.storage.errors import StoreSettingsError

CIPHER_KEY_VARIABLE = "INCIDENTS_CIPHER_KEY"
COMPRESS_VARIABLE = "INCIDENTS_COMPRESS"

# AES-GCM from the `cryptography` package. Its ciphertext (nonce, tag, data) is the same as
# the pycryptodome cipher's (eventsourcing.cipher:AESCipher), so either can read the other's.
CIPHER_TOPIC = "eventsourcing.cryptography:AESCipher"
CIPHER_KEY_SIZES = (16, 24, 32)
COMPRESSORS = {"zlib": "eventsourcing.compressor:ZlibCompressor"}
NO_COMPRESSION = ("", "none", "no", "off")


def at_rest_env(settings: Mapping[str, str]) -> dict[str, str]:
    """The library's cipher and compressor settings, from ``INCIDENTS_CIPHER_KEY`` and
    ``INCIDENTS_COMPRESS``; nothing when neither is set."""
    env: dict[str, str] = {}
    key = settings.get(CIPHER_KEY_VARIABLE, "").strip()
    if key:
        env["CIPHER_TOPIC"] = CIPHER_TOPIC
        env["CIPHER_KEY"] = check_cipher_key(key)
    compress = settings.get(COMPRESS_VARIABLE, "").strip().lower()
    if compress not in NO_COMPRESSION:
        if compress not in COMPRESSORS:
            raise StoreSettingsError(
                f"{COMPRESS_VARIABLE}={compress!r} is not a compressor: use "
                f"{' or '.join(COMPRESSORS)}, or leave it unset for none"
            )
        env["COMPRESSOR_TOPIC"] = COMPRESSORS[compress]
    return env


def encrypted(settings: Mapping[str, str]) -> bool:
    """Whether the settings encrypt the store (``INCIDENTS_CIPHER_KEY`` is set)."""
    return bool(settings.get(CIPHER_KEY_VARIABLE, "").strip())


def check_cipher_key(key: str) -> str:
    """The key, if it is a base64 AES key of 16, 24 or 32 bytes; else a message that says how to
    make one."""
    try:
        size = len(b64decode(key.encode("ascii"), validate=True))
    except (binascii.Error, UnicodeEncodeError):
        size = -1
    if size not in CIPHER_KEY_SIZES:
        raise StoreSettingsError(
            f"{CIPHER_KEY_VARIABLE} is not a valid key: expected {'/'.join(map(str, CIPHER_KEY_SIZES))} "
            "bytes in base64 (make one with `incidents keygen`)"
        )
    return key
