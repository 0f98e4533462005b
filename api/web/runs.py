"""Match runs: start one, watch its progress (the page polls a fragment), cancel it."""

from __future__ import annotations

from fastapi import APIRouter, BackgroundTasks, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from overlap.api.deps import ServiceDep
from overlap.api.routers import runs
from overlap.api.web.bridge import call
from overlap.api.web.render import render
from overlap.api.web.session import SessionDep
from overlap.schema import RunStatus

router = APIRouter()

LIVE = frozenset({RunStatus.QUEUED, RunStatus.RUNNING})


@router.get("/app/runs", response_class=HTMLResponse)
async def run_list(request: Request, service: ServiceDep, session: SessionDep) -> Response:
    found = await call(
        runs.list_runs, session.principal, service=service, status=None, limit=20, offset=0
    )
    return render(request, "runs.html", session, title="Match runs", runs=found)


@router.post("/app/runs")
async def start(service: ServiceDep, session: SessionDep) -> Response:
    """Start a run over the latest lists, in the background as the API does, and watch it."""
    background = BackgroundTasks()
    run = await call(runs.start_run, session.principal, service=service, background=background)
    return RedirectResponse(f"/app/runs/{run.run_id}", status_code=303, background=background)


@router.post("/app/runs/{run_id}/cancel")
async def cancel(service: ServiceDep, session: SessionDep, run_id: str) -> Response:
    """Cancel a live run, as the API does; its page then shows it cancelled."""
    await call(runs.cancel_run, session.principal, service=service, run_id=run_id)
    return RedirectResponse(f"/app/runs/{run_id}", status_code=303)


async def _run(request: Request, service: ServiceDep, session: SessionDep, run_id: str) -> dict:
    run = await call(runs.get_run, session.principal, service=service, run_id=run_id)
    return {"run": run, "live": run.status in LIVE}


@router.get("/app/runs/{run_id}", response_class=HTMLResponse)
async def run_page(
    request: Request, service: ServiceDep, session: SessionDep, run_id: str
) -> Response:
    found = await _run(request, service, session, run_id)
    return render(request, "run.html", session, title=f"Run {run_id}", **found)


@router.get("/app/runs/{run_id}/progress", response_class=HTMLResponse)
async def progress(
    request: Request, service: ServiceDep, session: SessionDep, run_id: str
) -> Response:
    """The progress fragment; it asks to be polled again while the run is live."""
    found = await _run(request, service, session, run_id)
    return render(request, "_progress.html", session, **found)
