"""Frames as JSON pages or as CSV downloads with formula cells neutralised."""

from __future__ import annotations

import math
from typing import Any, Literal

import polars as pl
from fastapi import Query
from fastapi.responses import Response

from overlap.api.bidi import BIDI_CONTROLS
from overlap.api.models import Page
from overlap.export import neutralised

Format = Literal["json", "csv"]
FormatQuery = Query(description="`csv` downloads every row, formulas neutralised")


def _clean(value: Any) -> Any:
    """JSON cannot carry NaN or infinities: they become null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


def without_bidi_controls(frame: pl.DataFrame) -> pl.DataFrame:
    """``frame`` with the ``BIDI_CONTROLS`` taken out of its text columns."""
    return frame.with_columns(pl.col(pl.String).str.replace_all(BIDI_CONTROLS, ""))


def records(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return [_clean(row) for row in without_bidi_controls(frame).to_dicts()]


def page(
    frame: pl.DataFrame, *, limit: int, offset: int, counts: pl.DataFrame | None = None
) -> Page:
    """One page of ``frame``, bidi controls stripped; ``Page`` serves NaN and infinities as null."""
    return Page(
        total=frame.height,
        limit=limit,
        offset=offset,
        items=without_bidi_controls(frame.slice(offset, limit)).to_dicts(),
        counts=[] if counts is None else counts.to_dicts(),  # type: ignore[arg-type]
    )


def csv_response(frame: pl.DataFrame, filename: str) -> Response:
    """Every row of ``frame`` as a CSV download, formulas neutralised, bidi controls stripped."""
    flat = without_bidi_controls(frame).select(
        pl.col(c).list.eval(pl.element().cast(pl.String)).list.join(";")
        if isinstance(t, pl.List)
        else pl.col(c)
        for c, t in frame.schema.items()
        if not isinstance(t, pl.Struct) and not (isinstance(t, pl.List) and t.inner.is_nested())
    )
    return Response(
        neutralised(flat).write_csv(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
