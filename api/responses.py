"""Frames as JSON pages or as CSV downloads with formula cells neutralised."""

from __future__ import annotations

import math
from typing import Any, Literal

import polars as pl
from fastapi import Query
from fastapi.responses import Response

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


def records(frame: pl.DataFrame) -> list[dict[str, Any]]:
    return [_clean(row) for row in frame.to_dicts()]


def page(
    frame: pl.DataFrame, *, limit: int, offset: int, counts: pl.DataFrame | None = None
) -> Page:
    """One page of ``frame``; NaN and infinities are served as null by ``Page`` itself."""
    return Page(
        total=frame.height,
        limit=limit,
        offset=offset,
        items=frame.slice(offset, limit).to_dicts(),
        counts=[] if counts is None else counts.to_dicts(),  # type: ignore[arg-type]
    )


def csv_response(frame: pl.DataFrame, filename: str) -> Response:
    """Every row of ``frame`` as a CSV download, spreadsheet formulas neutralised."""
    flat = frame.select(
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
