"""Bidirectional embedding, override and isolate controls, taken out of served text."""

from __future__ import annotations

import re
from typing import Any

BIDI_CONTROLS = "[\u202a-\u202e\u2066-\u2069]"
"""Embeddings, overrides and isolates: a name carrying them can display as another text
("\u202egnp.exe" reads "exe.png"); they are served stripped, like formula cells neutralised."""

_CONTROLS = re.compile(BIDI_CONTROLS)


def without_bidi(value: Any) -> Any:
    """``value`` with ``BIDI_CONTROLS`` taken out of its strings, in dicts and lists too."""
    if isinstance(value, str):
        return _CONTROLS.sub("", value)
    if isinstance(value, dict):
        return {without_bidi(k): without_bidi(v) for k, v in value.items()}
    if isinstance(value, list):
        return [without_bidi(v) for v in value]
    return value
