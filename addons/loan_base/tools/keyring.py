"""Where the PII keyring comes from: the key file named in the Odoo configuration file.

The key file is named in the ``[loan_base]`` section of the configuration file
(``pii_key_file = ...``, a relative path is taken from the folder of that file), or by the
``LOAN_PII_KEY_FILE`` environment variable. Keys are never stored in the database.
"""

import configparser
import os
import threading

from odoo.tools import config

from ..engine.pii import Keyring

_lock = threading.Lock()
_cache = {}
_path_cache = {}


def key_file_path():
    """Absolute path of the key file, or None when none is configured."""
    env_path = os.environ.get("LOAN_PII_KEY_FILE")
    rcfile = config.get("config")
    rc_mtime = os.stat(rcfile).st_mtime_ns if rcfile and os.path.exists(rcfile) else None
    key = (env_path, rcfile, rc_mtime)
    cached = _path_cache.get(key)
    if cached is None:
        cached = _path_cache[key] = (_resolve_key_file_path(env_path, rcfile),)
    return cached[0]


def _resolve_key_file_path(path, rcfile):
    if not path and rcfile and os.path.exists(rcfile):
        parser = configparser.ConfigParser(interpolation=None)
        parser.read(rcfile)
        if parser.has_section("loan_base"):
            path = parser["loan_base"].get("pii_key_file")
    if not path:
        return None
    if not os.path.isabs(path):
        base = os.path.dirname(os.path.abspath(rcfile)) if rcfile else os.getcwd()
        path = os.path.join(base, path)
    return os.path.abspath(path)


def get_keyring(path=None):
    """The keyring of ``path`` (default: the configured key file), cached until the file
    changes on disk. Raises the engine's ``key_file_missing`` error when there is none."""
    path = path or key_file_path()
    if not path:
        from ..engine.exceptions import EngineError  # noqa: PLC0415

        raise EngineError("key_file_missing", path="")
    mtime = os.stat(path).st_mtime_ns if os.path.exists(path) else None
    with _lock:
        cached = _cache.get(path)
        if cached and cached[0] == mtime:
            return cached[1]
        keyring = Keyring.load(path)
        _cache[path] = (mtime, keyring)
        return keyring


def clear_cache():
    with _lock:
        _cache.clear()
        _path_cache.clear()
