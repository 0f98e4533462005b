"""Build the background word frequencies of company names shipped with overlap.

    .venv/bin/python bench/word_rarity.py

Source: every SEC EDGAR registrant's title ("AMAZON COM INC", "BANK OF AMERICA CORP /DE/"),
the partner side of the committed US benchmark (bench/real/us_sp500_sec_*_partner.csv, dev
and test together: the whole list, about 7,800 registrants). A work of the US government,
in the public domain. Only the titles are read, never the benchmark's truth: the table says
how many registrants' names hold each word, nothing of which names are one company.

Names are read as matching reads them (``normalise``, ``name_tokens``, in the singular), and
each word is counted once per distinct name. Words held by fewer than ``MIN_NAMES`` names are
left out: the file is small, and a word that rare is rare wherever it is missing.
Written to src/overlap/matching/word_rarity.csv (``token``, ``names``), the first row
holding the number of names under the token ``*``.
"""

from __future__ import annotations

from pathlib import Path

import polars as pl

from overlap import schema
from overlap.ingest import read_accounts
from overlap.matching.rarity import ALL_NAMES, BACKGROUND_FILE
from overlap.matching.spelling import name_tokens, singular
from overlap.normalise import normalise

BENCH = Path(__file__).resolve().parent
SOURCES = sorted((BENCH / "real").glob("us_sp500_sec_*_partner.csv"))
MIN_NAMES = 3


def background(files: list[Path]) -> pl.DataFrame:
    """``token`` and ``names``: how many distinct names of ``files`` hold each word."""
    accounts = pl.concat([read_accounts(file).accounts for file in files])
    words = (
        normalise(accounts)
        .select(name_tokens(pl.col(schema.NAME_CORE)).list.eval(singular(pl.element())))
        .unique()
        .select(pl.col(schema.NAME_CORE).list.unique().alias("token"))
    )
    total = pl.DataFrame({"token": [ALL_NAMES], "names": [len(words)]})
    counts = (
        words.explode("token")
        .drop_nulls()
        .group_by("token")
        .agg(pl.len().alias("names"))
        .filter(pl.col("names") >= MIN_NAMES)
        .sort("names", "token", descending=[True, False])
    )
    return pl.concat([total.cast(counts.schema), counts])


def main() -> None:
    table = background(SOURCES)
    table.write_csv(BACKGROUND_FILE)
    print(f"{table['names'][0]} names, {len(table) - 1} words -> {BACKGROUND_FILE}")
    print(table.head(25))


if __name__ == "__main__":
    main()
