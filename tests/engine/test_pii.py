import base64
import hashlib
import hmac
import json
import os
import re
import stat

import pytest
from engine.exceptions import EngineError
from engine.pii import Keyring, aad_for
from hypothesis import given, settings
from hypothesis import strategies as st

AAD = aad_for("res.partner", 42, "loan_id_number")
TOKEN = re.compile(r"v1\.(k[0-9]+)\.([A-Za-z0-9_=-]+)")


@pytest.fixture(scope="module")
def keyring():
    return Keyring.generate()


def error(function, *args):
    with pytest.raises(EngineError) as info:
        function(*args)
    return info.value.code, info.value.params


def test_aad_for():
    assert AAD == "res.partner:42:loan_id_number"


# ------------------------------------------------------------------ keyring file
def test_generate_and_to_dict():
    keyring = Keyring.generate()
    data = keyring.to_dict()
    json.dumps(data)  # JSON-able
    assert data["version"] == 1
    assert data["active"] == "k1"
    assert list(data["keys"]) == ["k1"]
    assert len(base64.urlsafe_b64decode(data["keys"]["k1"])) == 32
    assert len(base64.urlsafe_b64decode(data["index_key"])) == 32
    assert data["keys"]["k1"] != data["index_key"]
    assert Keyring.generate().to_dict()["keys"] != data["keys"]


def test_repr_hides_keys(keyring):
    text = repr(keyring)
    assert "k1" in text
    assert keyring.to_dict()["keys"]["k1"] not in text


@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"version": 2, "active": "k1", "keys": {}, "index_key": ""},
        {"version": 1, "active": "k2", "keys": {"k1": "AAAA"}, "index_key": "AAAA"},
        {"version": 1, "active": "k1", "keys": {"k1": "not base64!"}, "index_key": "AAAA"},
        {"version": 1, "active": "k1", "keys": {"k1": "AAAA"}, "index_key": "AAAA"},
        {"version": 1, "active": "k1", "keys": ["k1"], "index_key": "AAAA"},
    ],
)
def test_from_dict_invalid(data):
    assert error(Keyring.from_dict, data)[0] == "key_file_invalid"


def test_from_dict_rejects_bad_key_ids(keyring):
    data = keyring.to_dict()
    data["keys"]["main"] = data["keys"]["k1"]
    assert error(Keyring.from_dict, data)[0] == "key_file_invalid"


def test_save_and_load(tmp_path, keyring):
    path = tmp_path / "keys.json"
    keyring.save(str(path))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert Keyring.load(str(path)).to_dict() == keyring.to_dict()
    # Saving again replaces the file atomically and leaves no temporary file behind.
    other = Keyring.generate()
    other.save(str(path))
    assert Keyring.load(str(path)).to_dict() == other.to_dict()
    assert os.listdir(tmp_path) == ["keys.json"]


def test_save_tightens_an_existing_file(tmp_path, keyring):
    path = tmp_path / "keys.json"
    path.write_text("{}")
    path.chmod(0o644)
    keyring.save(str(path))
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_load_missing(tmp_path):
    path = str(tmp_path / "nope.json")
    assert error(Keyring.load, path) == ("key_file_missing", {"path": path})


@pytest.mark.parametrize(
    "content", ["", "not json", "[]", '{"version": 1}', b"\xff\xfe".decode("latin-1")]
)
def test_load_invalid(tmp_path, content):
    path = tmp_path / "keys.json"
    path.write_text(content, encoding="latin-1")
    code, params = error(Keyring.load, str(path))
    assert code == "key_file_invalid"
    assert params["path"] == str(path)
    assert params["reason"]


def test_load_directory(tmp_path):
    assert error(Keyring.load, str(tmp_path))[0] == "key_file_invalid"


# ------------------------------------------------------------------ encryption
def test_encrypt_token_format(keyring):
    token = keyring.encrypt("079090001234", AAD)
    match = TOKEN.fullmatch(token)
    assert match and match.group(1) == "k1"
    raw = base64.urlsafe_b64decode(match.group(2))
    assert len(raw) == 12 + len("079090001234") + 16  # nonce + ciphertext + GCM tag
    assert "079090001234" not in token
    assert keyring.decrypt(token, AAD) == "079090001234"


def test_decrypt_refuses_another_record_or_field(keyring):
    token = keyring.encrypt("+84901234678", aad_for("loan.partner.phone", 1, "number"))
    for aad in (
        aad_for("loan.partner.phone", 2, "number"),
        aad_for("loan.partner.phone", 1, "other"),
        aad_for("res.partner", 1, "number"),
    ):
        assert error(keyring.decrypt, token, aad) == ("decrypt_failed", {})


def test_decrypt_refuses_tampering(keyring):
    token = keyring.encrypt("secret", AAD)
    prefix, payload = token.rsplit(".", 1)
    raw = bytearray(base64.urlsafe_b64decode(payload))
    raw[-1] ^= 1
    forged = f"{prefix}.{base64.urlsafe_b64encode(bytes(raw)).decode()}"
    assert error(keyring.decrypt, forged, AAD) == ("decrypt_failed", {})


@pytest.mark.parametrize(
    "token", ["", "garbage", "v2.k1.AAAA", "v1.k1", "v1.k1.!!!", "v1.k1.AAAA", "v1.k1.a.b", None]
)
def test_decrypt_malformed(keyring, token):
    assert error(keyring.decrypt, token, AAD)[0] == "decrypt_failed"


def test_decrypt_unknown_key(keyring):
    assert error(keyring.decrypt, "v1.k9.AAAA", AAD) == ("key_unknown", {"kid": "k9"})


def test_key_rotation():
    keyring = Keyring.generate()
    old_token = keyring.encrypt("001301001234", AAD)
    old_only = Keyring.from_dict(keyring.to_dict())

    assert keyring.add_key() == "k2"
    assert keyring.active == "k2"
    assert keyring.needs_rotation(old_token)
    assert keyring.decrypt(old_token, AAD) == "001301001234"  # old keys still decrypt

    new_token = keyring.encrypt(keyring.decrypt(old_token, AAD), AAD)
    assert new_token.startswith("v1.k2.")
    assert not keyring.needs_rotation(new_token)
    assert error(old_only.decrypt, new_token, AAD) == ("key_unknown", {"kid": "k2"})

    keyring.remove_key("k1")
    assert sorted(keyring.keys) == ["k2"]
    assert error(keyring.decrypt, old_token, AAD) == ("key_unknown", {"kid": "k1"})
    assert keyring.decrypt(new_token, AAD) == "001301001234"
    assert keyring.add_key() == "k3"


def test_remove_key_errors():
    keyring = Keyring.generate()
    assert error(keyring.remove_key, "k1") == ("key_active", {"kid": "k1"})
    assert error(keyring.remove_key, "k7") == ("key_unknown", {"kid": "k7"})


def test_rotation_survives_save_and_load(tmp_path):
    keyring = Keyring.generate()
    keyring.add_key()
    path = str(tmp_path / "keys.json")
    keyring.save(path)
    loaded = Keyring.load(path)
    assert loaded.active == "k2"
    assert sorted(loaded.keys) == ["k1", "k2"]


# ------------------------------------------------------------------ blind index
def test_blind_index(keyring):
    index = keyring.blind_index("+84901234678", "phone")
    expected = hmac.new(keyring.index_key, b"phone\x00+84901234678", hashlib.sha256).hexdigest()
    assert index == expected
    assert index != keyring.blind_index("+84901234678", "identity")
    assert index != keyring.blind_index("+84901234679", "phone")
    assert index != Keyring.generate().blind_index("+84901234678", "phone")


def test_blind_index_is_stable_across_rotation():
    keyring = Keyring.generate()
    before = keyring.blind_index("079090001234", "identity")
    keyring.add_key()
    keyring.remove_key("k1")
    assert keyring.blind_index("079090001234", "identity") == before


@pytest.mark.parametrize("purpose", ["", None, "pho\x00ne"])
def test_blind_index_purpose(keyring, purpose):
    assert error(keyring.blind_index, "x", purpose)[0] == "invalid_purpose"


# ------------------------------------------------------------------ properties
@settings(max_examples=200)
@given(plain=st.text(), res_id=st.integers(min_value=1, max_value=2**31))
def test_round_trip(keyring, plain, res_id):
    aad = aad_for("res.partner", res_id, "loan_bank_account")
    token = keyring.encrypt(plain, aad)
    assert TOKEN.fullmatch(token)
    assert keyring.decrypt(token, aad) == plain


@given(plain=st.text(), aad=st.text(), other=st.text())
def test_wrong_aad_fails(keyring, plain, aad, other):
    token = keyring.encrypt(plain, aad)
    if other == aad:
        assert keyring.decrypt(token, other) == plain
    else:
        assert error(keyring.decrypt, token, other)[0] == "decrypt_failed"
