"""Pages call the JSON routes' functions: with the role check each route declares.

A route's ``principal`` parameter is ``Annotated[Principal, Depends(Require(...))]``;
``call`` finds that ``Require`` and asks it about the session's principal before it
calls the route, so a page can show no more than the route would answer the same key.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from functools import cache
from typing import Any, TypeVar, get_args

from fastapi.concurrency import run_in_threadpool

from overlap.api.deps import Require
from overlap.api.problems import Problem
from overlap.api.security import Principal
from overlap.api.store import StoreError
from overlap.errors import OverlapError

T = TypeVar("T")


class PageProblem(Exception):
    """A route's ``Problem``, shown as a page rather than as problem+json."""

    def __init__(self, problem: Problem) -> None:
        self.problem = problem
        super().__init__(problem.detail)


@cache
def requirement(route: Callable[..., Any]) -> Require:
    """The ``Require`` dependency of ``route``'s ``principal`` parameter."""
    annotation = inspect.signature(route, eval_str=True).parameters["principal"].annotation
    for meta in get_args(annotation)[1:]:
        dependency = getattr(meta, "dependency", None)
        if isinstance(dependency, Require):
            return dependency
    raise TypeError(f"route {route.__name__} declares no Require on its principal")


def allow(route: Callable[..., Any], principal: Principal) -> None:
    """Raise ``PageProblem`` (403) unless ``route`` lets ``principal``'s role through."""
    try:
        requirement(route).allow(principal)
    except Problem as problem:
        raise PageProblem(problem) from problem


def allows(route: Callable[..., Any], principal: Principal) -> bool:
    """Whether ``route`` lets ``principal``'s role through (to show a link or not)."""
    return principal.role in requirement(route).roles


async def call(
    route: Callable[..., Any],
    principal: Principal,
    /,
    *,
    via: Callable[..., Any] | None = None,
    **arguments: Any,
) -> Any:
    """``route(principal=principal, **arguments)`` if the route allows the principal.

    ``via``: a function the route hands its work to, called instead with the same
    check (a page that needs the frame the route pages or downloads). A synchronous
    function runs in a worker thread, as FastAPI would run it; errors become
    ``PageProblem`` as the API would turn them into problem+json.
    """
    allow(route, principal)
    function = via or route
    try:
        if inspect.iscoroutinefunction(function):
            return await function(principal=principal, **arguments)
        return await run_in_threadpool(function, principal=principal, **arguments)
    except Problem as problem:
        raise PageProblem(problem) from problem
    except StoreError as error:
        raise PageProblem(Problem(409, "conflict", str(error))) from error
    except OverlapError as error:
        raise PageProblem(Problem(422, "invalid-input", str(error))) from error
