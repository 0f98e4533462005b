"""The files the parties keep and exchange: the secret, encodings, PSI messages and state.

Encodings are JSON lines: a header with the encoding's settings and the secret's
fingerprint, then one line per account with its own id, the fields it holds, its
filters and its keyed words (``word_keys``) in base64, and how many words of its name it
holds back as generic or common; no name, domain or other value of the list.
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
from overlap.private.word_keys import SLOTS

FORMAT = "overlap-clk-v4"  # v3: a counted words filter; v4: keyed words, the street apart
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
        for account, present, bits, words, held in zip(
            encoded.ids,
            encoded.present,
            encoded.filters,
            encoded.words,
            encoded.held_back.tolist(),
            strict=True,
        ):
            fields = [n for n, p in zip(names, present, strict=True) if p]
            line = {
                "id": account,
                "fields": fields,
                "clk": _base64(bits),
                "words": _base64(words),
                "held_back": held,
            }
            out.write(json.dumps(line) + "\n")


def _base64(values: np.ndarray) -> str:
    """``values`` as little-endian bytes in base64, whatever the machine's byte order."""
    return base64.b64encode(values.astype(values.dtype.newbyteorder("<")).tobytes()).decode()


def _decoded(rows: list[dict[str, Any]], column: str, dtype: str, width: int) -> np.ndarray:
    raw = b"".join(base64.b64decode(r[column], validate=True) for r in rows)
    return np.frombuffer(raw, dtype=dtype).reshape(len(rows), width)


def _encoding(described: dict[str, Any], path: Path) -> Encoding:
    known = {f.name: f for f in FIELDS}
    try:
        fields = tuple(known[name] for name, _, _ in described["fields"])
        encoding = Encoding(
            fields,
            described["salt"],
            described["balanced"],
            described["flip"],
            described["max_holders"],
        )
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
            written = header.get("format")
            if (
                isinstance(written, str)
                and written.startswith("overlap-clk-")
                and written != FORMAT
            ):
                raise ConfigError(
                    f"{path.name}: encoded by another version of overlap ({written}, this one "
                    f"reads {FORMAT}); encode the list again with this version"
                )
            if written != FORMAT:
                raise ConfigError(f"{path.name}: not an encodings file ({FORMAT})")
            encoding = _encoding(header["encoding"], path)
            rows = [json.loads(line) for line in lines if line.strip()]
        except (StopIteration, ValueError, AttributeError, KeyError, TypeError) as error:
            raise ConfigError(f"{path.name}: not an encodings file ({error})") from error
    names = [f.name for f in encoding.fields]
    width = sum(encoding.widths()) // 8
    try:
        filters = _decoded(rows, "clk", "u1", width)
        words = _decoded(rows, "words", "<u4", SLOTS).astype(np.uint32)
        held_back = np.array([r["held_back"] for r in rows], dtype=np.uint8).reshape(-1, 2)
        present = np.array([[n in r["fields"] for n in names] for r in rows], dtype=bool)
        ids = [str(r["id"]) for r in rows]
    except (KeyError, TypeError, ValueError) as error:
        raise ConfigError(f"{path.name}: an encoding line is malformed ({error})") from error
    present = present.reshape(len(rows), len(names))
    return Encoded(ids, present, filters, words, held_back, encoding, header["key"])


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
