"""Encryption of personal data at rest (AES-256-GCM) and blind indexes for exact search.

A :class:`Keyring` holds the encryption keys by id (``k1``, ``k2``...), the id of the
*active* key that encrypts new values, and a separate index key for blind indexes. Keys
rotate by adding a new active key and re-encrypting; the index key never changes, so that
blind indexes stay valid across rotations.

A token is ``v1.<kid>.<urlsafe base64 of nonce (12 bytes) + ciphertext and tag>``. The
associated data (:func:`aad_for`) binds a token to its record and field: a token copied to
another record or field does not decrypt.
"""

import base64
import binascii
import hashlib
import hmac
import json
import os
import re
import tempfile

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from .exceptions import EngineError

VERSION = 1
TOKEN_PREFIX = "v1"
KEY_BYTES = 32
NONCE_BYTES = 12
_KID = re.compile(r"k([1-9][0-9]*)")


def _b64encode(raw):
    return base64.urlsafe_b64encode(raw).decode("ascii")


def _b64decode(text):
    return base64.urlsafe_b64decode(text.encode("ascii"))


def aad_for(model, res_id, field):
    """The associated data binding an encrypted value to its record and field.

    >>> aad_for("res.partner", 42, "loan_id_number")
    'res.partner:42:loan_id_number'
    """
    return f"{model}:{res_id}:{field}"


class Keyring:
    """Encryption keys by id, the active key id and the blind-index key.

    >>> keyring = Keyring.generate()
    >>> keyring.active, sorted(keyring.keys)
    ('k1', ['k1'])
    >>> token = keyring.encrypt("079090001234", aad_for("res.partner", 7, "loan_id_number"))
    >>> token.startswith("v1.k1.")
    True
    >>> keyring.decrypt(token, "res.partner:7:loan_id_number")
    '079090001234'
    >>> keyring
    <Keyring active='k1' keys=['k1']>
    """

    def __init__(self, keys, active, index_key):
        if not keys or active not in keys:
            raise EngineError("key_file_invalid", path="", reason="the active key is missing")
        if any(not _KID.fullmatch(kid) for kid in keys):
            raise EngineError("key_file_invalid", path="", reason="key ids are k1, k2, ...")
        if any(len(key) != KEY_BYTES for key in [*keys.values(), index_key]):
            raise EngineError("key_file_invalid", path="", reason="keys are 32 bytes")
        self.keys = dict(keys)
        self.active = active
        self.index_key = index_key

    def __repr__(self):
        # Never show key material, not even in a traceback.
        return f"<Keyring active={self.active!r} keys={sorted(self.keys)}>"

    @classmethod
    def generate(cls):
        """A new keyring with one random active key ``k1`` and a random index key.

        >>> keyring = Keyring.generate()
        >>> keyring.active, len(keyring.keys["k1"]), len(keyring.index_key)
        ('k1', 32, 32)
        """
        return cls({"k1": AESGCM.generate_key(bit_length=256)}, "k1", os.urandom(KEY_BYTES))

    @classmethod
    def from_dict(cls, data):
        """The keyring described by ``data``, as written by :meth:`to_dict`.

        >>> keyring = Keyring.generate()
        >>> Keyring.from_dict(keyring.to_dict()).to_dict() == keyring.to_dict()
        True
        >>> try:
        ...     Keyring.from_dict({"version": 1, "active": "k1", "keys": {}})
        ... except EngineError as exc:
        ...     print(exc.code, exc.params)
        key_file_invalid {'path': '', 'reason': 'index_key is missing'}
        """
        if not isinstance(data, dict) or data.get("version") != VERSION:
            raise EngineError("key_file_invalid", path="", reason="unknown format version")
        for name, kind in (("active", str), ("keys", dict), ("index_key", str)):
            if not isinstance(data.get(name), kind):
                raise EngineError("key_file_invalid", path="", reason=f"{name} is missing")
        try:
            keys = {kid: _b64decode(text) for kid, text in data["keys"].items()}
            index_key = _b64decode(data["index_key"])
        except (AttributeError, TypeError, UnicodeEncodeError, binascii.Error):
            raise EngineError("key_file_invalid", path="", reason="bad base64") from None
        return cls(keys, data["active"], index_key)

    def to_dict(self):
        """A JSON-able description of the keyring (key material included).

        >>> data = Keyring.generate().to_dict()
        >>> sorted(data), data["version"], data["active"], sorted(data["keys"])
        (['active', 'index_key', 'keys', 'version'], 1, 'k1', ['k1'])
        """
        return {
            "version": VERSION,
            "active": self.active,
            "keys": {kid: _b64encode(key) for kid, key in sorted(self.keys.items())},
            "index_key": _b64encode(self.index_key),
        }

    @classmethod
    def load(cls, path):
        """The keyring stored in the JSON file ``path``.

        >>> try:
        ...     Keyring.load("/nonexistent/keys.json")
        ... except EngineError as exc:
        ...     print(exc.code, exc.params)
        key_file_missing {'path': '/nonexistent/keys.json'}
        """
        try:
            with open(path, encoding="utf-8") as handle:
                data = json.load(handle)
        except FileNotFoundError:
            raise EngineError("key_file_missing", path=path) from None
        except (OSError, ValueError) as exc:
            raise EngineError("key_file_invalid", path=path, reason=str(exc)) from None
        try:
            return cls.from_dict(data)
        except EngineError as exc:
            raise EngineError("key_file_invalid", path=path, reason=exc.params["reason"]) from None

    def save(self, path):
        """Write the keyring to ``path`` atomically, readable by its owner only (mode 0600).

        >>> import os, tempfile
        >>> folder = tempfile.mkdtemp()
        >>> path = os.path.join(folder, "keys.json")
        >>> keyring = Keyring.generate()
        >>> keyring.save(path)
        >>> oct(os.stat(path).st_mode & 0o777)
        '0o600'
        >>> Keyring.load(path).to_dict() == keyring.to_dict()
        True
        """
        folder = os.path.dirname(os.path.abspath(path))
        # mkstemp creates the file with mode 0600; replace() makes the switch atomic.
        handle, temp_path = tempfile.mkstemp(prefix=".keyring-", dir=folder)
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as temp:
                json.dump(self.to_dict(), temp, indent=2)
                temp.flush()
                os.fsync(temp.fileno())
            os.replace(temp_path, path)
        except BaseException:
            if os.path.exists(temp_path):
                os.unlink(temp_path)
            raise

    def add_key(self):
        """Add a new random key, make it the active one and return its id.

        >>> keyring = Keyring.generate()
        >>> keyring.add_key(), keyring.active, sorted(keyring.keys)
        ('k2', 'k2', ['k1', 'k2'])
        """
        kid = "k%d" % (max(int(_KID.fullmatch(kid).group(1)) for kid in self.keys) + 1)
        self.keys[kid] = AESGCM.generate_key(bit_length=256)
        self.active = kid
        return kid

    def remove_key(self, kid):
        """Remove the key ``kid`` (once nothing is encrypted with it any more).

        >>> keyring = Keyring.generate()
        >>> keyring.add_key()
        'k2'
        >>> keyring.remove_key("k1")
        >>> sorted(keyring.keys)
        ['k2']
        >>> try:
        ...     keyring.remove_key("k2")
        ... except EngineError as exc:
        ...     print(exc.code, exc.params)
        key_active {'kid': 'k2'}
        """
        if kid == self.active:
            raise EngineError("key_active", kid=kid)
        if kid not in self.keys:
            raise EngineError("key_unknown", kid=kid)
        del self.keys[kid]

    def encrypt(self, plain, aad):
        """Encrypt ``plain`` with the active key, bound to ``aad`` (see :func:`aad_for`).

        Every call draws a fresh nonce, so equal values give different tokens.

        >>> keyring = Keyring.generate()
        >>> keyring.encrypt("x", "a") != keyring.encrypt("x", "a")
        True
        """
        nonce = os.urandom(NONCE_BYTES)
        sealed = AESGCM(self.keys[self.active]).encrypt(
            nonce, plain.encode("utf-8"), aad.encode("utf-8")
        )
        return f"{TOKEN_PREFIX}.{self.active}.{_b64encode(nonce + sealed)}"

    def _split(self, token):
        parts = token.split(".") if isinstance(token, str) else []
        if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
            raise EngineError("decrypt_failed")
        return parts[1], parts[2]

    def decrypt(self, token, aad):
        """The plain text of ``token``, which must have been encrypted with the same ``aad``.

        >>> keyring = Keyring.generate()
        >>> token = keyring.encrypt("0901234678", "loan.partner.phone:1:number")
        >>> try:
        ...     keyring.decrypt(token, "loan.partner.phone:2:number")
        ... except EngineError as exc:
        ...     print(exc.code, exc.params)
        decrypt_failed {}
        """
        kid, payload = self._split(token)
        if kid not in self.keys:
            raise EngineError("key_unknown", kid=kid)
        try:
            raw = _b64decode(payload)
            plain = AESGCM(self.keys[kid]).decrypt(
                raw[:NONCE_BYTES], raw[NONCE_BYTES:], aad.encode("utf-8")
            )
        except (InvalidTag, ValueError, binascii.Error):
            raise EngineError("decrypt_failed") from None
        return plain.decode("utf-8")

    def needs_rotation(self, token):
        """Whether ``token`` was encrypted with another key than the active one.

        >>> keyring = Keyring.generate()
        >>> token = keyring.encrypt("x", "a")
        >>> keyring.needs_rotation(token)
        False
        >>> _ = keyring.add_key()
        >>> keyring.needs_rotation(token)
        True
        """
        return self._split(token)[0] != self.active

    def blind_index(self, normalised, purpose):
        """A keyed hash of ``normalised`` for exact search without decryption.

        ``purpose`` (``'phone'``, ``'identity'``...) separates indexes, so that equal values
        of different kinds do not share an index value.

        >>> keyring = Keyring.generate()
        >>> index = keyring.blind_index("+84901234678", "phone")
        >>> len(index), index == keyring.blind_index("+84901234678", "phone")
        (64, True)
        >>> index == keyring.blind_index("+84901234678", "identity")
        False
        """
        if not purpose or not isinstance(purpose, str) or "\x00" in purpose:
            raise EngineError("invalid_purpose", purpose=purpose)
        message = f"{purpose}\x00{normalised}".encode()
        return hmac.new(self.index_key, message, hashlib.sha256).hexdigest()
