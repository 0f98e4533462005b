"""Encodings of tiny account lists under one test secret, their bit flips seeded."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import polars as pl

from overlap.private.bloom import Encoded, Encoding, encode
from overlap.private.keys import normalised

Accounts = Callable[[list[dict[str, Any]]], pl.DataFrame]
SECRET = b"a secret of thirty-two bytes!!!!"


def encode_rows(accounts: Accounts, rows: list[dict[str, Any]], **settings: Any) -> Encoded:
    """The encodings of ``rows`` (made by the ``accounts`` fixture) under ``settings``."""
    return encode(
        normalised(accounts(rows)),
        SECRET,
        encoding=Encoding(**settings),
        rng=np.random.default_rng(0),
    )
