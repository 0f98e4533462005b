"""The files the parties keep and exchange: the secret, encodings, PSI messages and state.

Encodings are JSON lines: a header with the encoding's settings and the secret's
fingerprint, then one line per account with its own id, the fields it holds and its
filters in base64; no name, domain or other value of the list.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any

import numpy as np

from overlap.errors import ConfigError
from overlap.private.bloom import FIELDS, Encoded, Encoding
from overlap.private.psi import Message, Party

FORMAT = "overlap-clk-v3"  # v2: independent hash positions; v3: a counted words filter
MIN_SECRET = 16  # bytes: a shorter secret can be guessed, and the key hides the tokens


def read_secret(path: Path) -> bytes:
    """The shared secret: the file's bytes, without surrounding white space."""
    secret = Path(path).read_bytes().strip()
    if len(secret) < MIN_SECRET:
        raise ConfigError(
            f"{path}: the secret has {len(secret)} bytes; use {MIN_SECRET} or more random bytes "
            "(e.g. `openssl rand -hex 32`), exchanged with the other party out of band"
        )
    return secret


def write_encodings(encoded: Encoded, path: Path) -> None:
    """Write ``encoded`` as JSON lines (see the module's docstring)."""
    names = [f.name for f in encoded.encoding.fields]
    header = {"format": FORMAT, "encoding": encoded.encoding.describe(), "key": encoded.key}
    with Path(path).open("w", encoding="utf-8") as out:
        out.write(json.dumps(header) + "\n")
        for account, present, bits in zip(
            encoded.ids, encoded.present, encoded.filters, strict=True
        ):
            fields = [n for n, p in zip(names, present, strict=True) if p]
            clk = base64.b64encode(bits.tobytes()).decode("ascii")
            out.write(json.dumps({"id": account, "fields": fields, "clk": clk}) + "\n")


def _encoding(described: dict[str, Any], path: Path) -> Encoding:
    known = {f.name: f for f in FIELDS}
    try:
        fields = tuple(known[name] for name, _, _ in described["fields"])
        encoding = Encoding(fields, described["salt"], described["balanced"], described["flip"])
    except (KeyError, TypeError, ValueError) as error:
        raise ConfigError(f"{path.name}: unknown encoding settings ({error})") from error
    if encoding.describe() != described:
        raise ConfigError(f"{path.name}: encoded with field settings this version does not know")
    return encoding


def read_encodings(path: Path) -> Encoded:
    """Encodings written by ``write_encodings``."""
    path = Path(path)
    with path.open(encoding="utf-8") as lines:
        try:
            header = json.loads(next(lines))
            if header.get("format") != FORMAT:
                raise ConfigError(f"{path.name}: not an encodings file ({FORMAT})")
            encoding = _encoding(header["encoding"], path)
            rows = [json.loads(line) for line in lines if line.strip()]
        except (StopIteration, ValueError, AttributeError, KeyError, TypeError) as error:
            raise ConfigError(f"{path.name}: not an encodings file ({error})") from error
    names = [f.name for f in encoding.fields]
    width = sum(encoding.widths()) // 8
    try:
        filters = np.frombuffer(
            b"".join(base64.b64decode(r["clk"], validate=True) for r in rows), dtype=np.uint8
        ).reshape(len(rows), width)
        present = np.array([[n in r["fields"] for n in names] for r in rows], dtype=bool)
        ids = [str(r["id"]) for r in rows]
    except (KeyError, TypeError, ValueError) as error:
        raise ConfigError(f"{path.name}: an encoding line is malformed ({error})") from error
    return Encoded(ids, present.reshape(len(rows), len(names)), filters, encoding, header["key"])


def write_state(party: Party, path: Path) -> None:
    """Keep this party's PSI state between steps; it holds the secret: never send it."""
    Path(path).unlink(missing_ok=True)
    with os.fdopen(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as out:
        out.write(json.dumps(party.to_dict()))


def read_state(path: Path) -> Party:
    try:
        return Party.from_dict(json.loads(Path(path).read_text()))
    except (KeyError, TypeError, ValueError) as error:
        raise ConfigError(f"{path.name}: not a PSI state file ({error})") from error


def read_message(path: Path, *, step: str) -> Message:
    return Message.from_json(Path(path).read_text(), step=step)


def write_message(message: Message, path: Path) -> None:
    Path(path).write_text(message.to_json())
