"""The linkage key: the secret every agency hashes identities with, and the index never holds.

It comes from ``MESH_LINKAGE_KEY`` (hex) or from ``<data_dir>/linkage.key``, which is created
with 32 random bytes, readable by its owner only, the first time it is needed. Changing the key
changes every token and record reference: the next ``mesh link`` then starts afresh (mesh ids
cannot be carried over, because no record is recognised).
"""

from __future__ import annotations

import hmac
import os
import secrets
import stat
from pathlib import Path

ENV_VAR = "MESH_LINKAGE_KEY"
KEY_FILE = "linkage.key"
MIN_KEY_BYTES = 16


class LinkageKeyError(RuntimeError):
    """The key is missing, malformed or stored where others can read it. Never shows the key."""


def _parse(text: str, source: str) -> bytes:
    try:
        key = bytes.fromhex(text.strip())
    except ValueError:
        raise LinkageKeyError(f"{source} is not hexadecimal") from None
    if len(key) < MIN_KEY_BYTES:
        raise LinkageKeyError(f"{source} holds {len(key)} bytes; at least {MIN_KEY_BYTES} needed")
    return key


def key_check(key: bytes) -> str:
    """A keyed fingerprint of the key (an HMAC of a fixed text, 16 hex digits): agencies send it
    with their tokens and a linkage model records it, so tokens or a model made with another key
    are recognised without anyone learning anything about the key itself."""
    return hmac.digest(key, b"civic-mesh:linkage-key-check", "sha256").hex()[:16]


def key_path(data_dir: Path) -> Path:
    return data_dir / KEY_FILE


def load_linkage_key(data_dir: Path, environ: dict[str, str] | None = None) -> bytes:
    """The key from the environment, else from the key file (created when missing)."""
    env = os.environ if environ is None else environ
    if env.get(ENV_VAR):
        return _parse(env[ENV_VAR], ENV_VAR)
    path = key_path(data_dir)
    if not path.exists():
        return create_key_file(path)
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise LinkageKeyError(
            f"{path} can be read by others (mode {stat.S_IMODE(mode):o}); run chmod 600 on it"
        )
    return _parse(path.read_text(encoding="ascii"), str(path))


def create_key_file(path: Path) -> bytes:
    """Write a new random key (hex, mode 0600); refuses to overwrite an existing file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(key.hex() + "\n")
    return key
