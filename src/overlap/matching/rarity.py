"""How common each word of company names is in a real background list of names.

A list of thirty names cannot tell that "group" is a common word and "sony" is not; the
background can. It counts, for each word, the distinct names holding it among every SEC
EDGAR registrant's title (a US government work, in the public domain), read as matching
reads names (core tokens in the singular). ``spelling.token_frequencies`` adds it to the
counts of the lists at hand, so the words generic in company names at large and the words
generic in these lists are both known as generic, without a hand-written list. The file
and how it is built: ``bench/word_rarity.py``.
"""

from __future__ import annotations

from functools import cache
from importlib import resources
from pathlib import Path

import polars as pl

ALL_NAMES = "*"  # the token of the file's first row, whose count is the number of names
BACKGROUND_FILE = Path(str(resources.files("overlap.matching").joinpath("word_rarity.csv")))


@cache
def background() -> tuple[pl.DataFrame, int]:
    """``token`` and ``names`` (how many background names hold it), and how many names
    the background holds."""
    table = pl.read_csv(BACKGROUND_FILE, schema={"token": pl.String, "names": pl.Int64})
    total = table.filter(pl.col("token") == ALL_NAMES)["names"]
    return table.filter(pl.col("token") != ALL_NAMES), int(total[0])
