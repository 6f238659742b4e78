"""Encryption of personal fields at rest, and keyed search tokens for names.

Each value is sealed with AES-256-GCM (authenticated: a changed byte fails to open, it does not
decrypt to something else). The associated data names the column, so a value copied into another
column does not open either. A sealed value is

    version (1 byte) | key id (4 bytes) | nonce (12 bytes) | ciphertext and tag

The key id tells which key sealed a value, so `key rotate` can skip values that already use the
new key and simply be run again after an interruption.

DATA_KEY is 32 random bytes, URL-safe base64. Two keys are derived from it with HKDF: one seals
values, one makes search tokens (HMAC-SHA256 of a normalised name), so finding "Sanne" needs no
decryption of every pupil and the database holds no name in the clear.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_VERSION = b"\x01"
_KID_SIZE = 4
_NONCE_SIZE = 12
_HEADER = len(_VERSION) + _KID_SIZE + _NONCE_SIZE
TOKEN_LENGTH = 32  # hex characters of a search token (128 bits)


class DataKeyError(Exception):
    """A key is missing or malformed, or a value cannot be opened with the keys at hand.

    Messages never contain values or keys.
    """


def generate_key() -> str:
    """A new random DATA_KEY, as URL-safe base64."""
    return base64.urlsafe_b64encode(os.urandom(32)).decode("ascii")


def parse_key(text: str) -> bytes:
    """The 32 key bytes from their base64 form; DataKeyError if it is not such a key."""
    try:
        raw = base64.urlsafe_b64decode(text.strip().encode("ascii"))
    except (binascii.Error, ValueError, UnicodeEncodeError):
        raise DataKeyError("not URL-safe base64") from None
    if len(raw) != 32:
        raise DataKeyError("a data key is 32 bytes (44 characters of base64)")
    return raw


def _derive(master: bytes, purpose: bytes, length: int = 32) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=None, info=purpose).derive(master)


def fold_name(text: str) -> str:
    """A name as searched: case, accents and spacing do not matter ("Ève  de Vries" = "eve de
    vries")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


@dataclass(frozen=True)
class _Key:
    kid: bytes
    aead: AESGCM
    index_key: bytes

    @classmethod
    def from_master(cls, master: bytes) -> _Key:
        return cls(
            kid=_derive(master, b"thuiszitbot key id v1", _KID_SIZE),
            aead=AESGCM(_derive(master, b"thuiszitbot field encryption v1")),
            index_key=_derive(master, b"thuiszitbot search tokens v1"),
        )

    def token(self, text: str) -> str:
        digest = hmac.new(self.index_key, fold_name(text).encode("utf-8"), hashlib.sha256)
        return digest.hexdigest()[:TOKEN_LENGTH]


class KeyRing:
    """The current key (seals everything new) and older keys (only open values, during and
    before a rotation)."""

    def __init__(self, current: bytes, old: Sequence[bytes] = ()) -> None:
        self._current = _Key.from_master(current)
        self._by_kid = {self._current.kid: self._current}
        for master in old:
            key = _Key.from_master(master)
            self._by_kid.setdefault(key.kid, key)

    @classmethod
    def from_text(cls, current: str, old: Sequence[str] = ()) -> KeyRing:
        """A ring from DATA_KEY and the DATA_KEYS_OLD list."""
        return cls(parse_key(current), [parse_key(k) for k in old if k.strip()])

    @property
    def fingerprint(self) -> str:
        """The current key's fingerprint: its key id, which every value it seals carries in the
        clear anyway, so it tells which key a copy needs without saying anything of the key."""
        return self._current.kid.hex()

    @property
    def fingerprints(self) -> frozenset[str]:
        """The fingerprints of every key in the ring (the current and the old ones)."""
        return frozenset(kid.hex() for kid in self._by_kid)

    @property
    def key_count(self) -> int:
        """How many distinct keys the ring holds."""
        return len(self._by_kid)

    def seal(self, plaintext: bytes, context: str) -> bytes:
        """Encrypt `plaintext` for the column named `context` with the current key."""
        nonce = os.urandom(_NONCE_SIZE)
        sealed = self._current.aead.encrypt(nonce, plaintext, context.encode("ascii"))
        return _VERSION + self._current.kid + nonce + sealed

    def open(self, blob: bytes, context: str) -> bytes:
        """Decrypt a value sealed for `context`; DataKeyError when no key here opens it."""
        if len(blob) < _HEADER or blob[:1] != _VERSION:
            raise DataKeyError(f"{context}: not a sealed value")
        key = self._by_kid.get(bytes(blob[1 : 1 + _KID_SIZE]))
        if key is None:
            raise DataKeyError(f"{context}: sealed with a key that is not configured")
        nonce = bytes(blob[1 + _KID_SIZE : _HEADER])
        try:
            return key.aead.decrypt(nonce, bytes(blob[_HEADER:]), context.encode("ascii"))
        except InvalidTag:
            raise DataKeyError(f"{context}: does not open (tampered, or a wrong key)") from None

    def is_current(self, blob: bytes) -> bool:
        """Whether `blob` was sealed with the current key (so rotation can skip it)."""
        return bytes(blob[1 : 1 + _KID_SIZE]) == self._current.kid

    def token(self, text: str) -> str:
        """The search token of a name under the current key."""
        return self._current.token(text)

    def tokens(self, text: str) -> list[str]:
        """The search tokens of a name under every key, so search works mid-rotation."""
        return [key.token(text) for key in self._by_kid.values()]


_active: KeyRing | None = None


def install(ring: KeyRing | None) -> None:
    """Make `ring` the one the database columns use (once at start; tests swap it)."""
    global _active
    _active = ring


def active() -> KeyRing:
    """The installed key ring; DataKeyError when the bot was started without DATA_KEY."""
    if _active is None:
        raise DataKeyError("no data key is installed (DATA_KEY)")
    return _active
