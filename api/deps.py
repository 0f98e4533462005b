"""Dependencies of the routes, as ``Annotated`` aliases: ``def route(service: ServiceDep)``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.applications import Starlette

from overlap.api.problems import Problem
from overlap.api.security import FailureThrottle, Principal, authenticate
from overlap.api.service import Service, View
from overlap.api.settings import Settings, get_settings
from overlap.schema import Role

bearer = HTTPBearer(auto_error=False, description="An API key: `Bearer ovl_<id>_<secret>`")


# The dependencies are coroutines so that a request does not hop to the thread pool
# for each of them; they only do dictionary look-ups once the view is built.


async def get_service(request: Request) -> Service:
    service: Service = request.app.state.service
    return service


ServiceDep = Annotated[Service, Depends(get_service)]
SettingsDep = Annotated[Settings, Depends(get_settings)]


async def get_view(service: ServiceDep) -> View:
    view = service.current_view()
    return view if view is not None else await run_in_threadpool(service.view)


ViewDep = Annotated[View, Depends(get_view)]

T = TypeVar("T")


async def built(view: View, *parts: str) -> None:
    """Build the named parts of ``view`` in a worker thread unless they are built already.

    The first request after a write waits for them, as it must; the event loop, and the
    requests that do not need them, do not.
    """
    if not view.has(*parts):
        await run_in_threadpool(view.build, *parts)


async def shared(view: View, key: tuple[Any, ...], build: Callable[[], T]) -> T:
    """``view.shared(key, build)``, built in a worker thread the first time."""
    if view.has_shared(key):
        return view.shared(key, build)
    return await run_in_threadpool(view.shared, key, build)


def failure_throttle(app: Starlette, settings: Settings) -> FailureThrottle:
    """The app's one ``FailureThrottle``, made from the settings on first use."""
    state = app.state
    if not hasattr(state, "failure_throttle"):
        state.failure_throttle = FailureThrottle(
            limit=settings.auth_failure_limit,
            window=settings.auth_failure_window_seconds,
            clients=settings.auth_failure_clients,
        )
    throttle: FailureThrottle = state.failure_throttle
    return throttle


def throttled(throttle: FailureThrottle, client: str) -> Problem | None:
    """The 429 for a client address refused for its failed keys, or None.

    A refused client is refused even with a good key: else its guesses would still be told
    apart, 429 for a wrong key and 200 for the right one.
    """
    wait = throttle.retry_after(client)
    if wait is None:
        return None
    return Problem(
        429,
        "too-many-requests",
        f"too many failed authentications from this address; try again in {wait} s",
        headers={"Retry-After": str(wait)},
    )


async def identify(service: Service, token: str) -> Principal | None:
    """The principal of a bearer token, or None: the service's cached answer, else the store's."""
    principal = service.authenticate(token)
    if principal is None:
        principal = await run_in_threadpool(authenticate, service.store, token)
        service.remember(token, principal)
    return principal


async def get_principal(
    request: Request,
    service: ServiceDep,
    settings: SettingsDep,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)],
) -> Principal:
    throttle = failure_throttle(request.app, settings)
    client = request.client.host if request.client is not None else ""
    refusal = throttled(throttle, client)
    if refusal is not None:
        raise refusal
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise Problem(401, "unauthorized", "an API key is required: Authorization: Bearer <key>")
    principal = await identify(service, credentials.credentials)
    if principal is None:
        throttle.failed(client)
        raise Problem(401, "unauthorized", "the API key is unknown or revoked")
    return principal


class Require:
    """A dependency that lets through only keys of ``roles``.

    The web pages call the JSON routes' functions with the principal of their session:
    they check it with the route's own ``Require`` (``allow``), so both ask the same.
    """

    def __init__(self, *roles: Role) -> None:
        self.roles = roles

    def allow(self, principal: Principal) -> Principal:
        """``principal`` if its role is one of ``roles``, else a 403."""
        if principal.role not in self.roles:
            raise Problem(
                403,
                "forbidden",
                f"a {principal.role} key cannot do this; roles: {', '.join(self.roles)}",
            )
        return principal

    async def __call__(self, principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
        return self.allow(principal)


def require(*roles: Role) -> Require:
    """A dependency that lets through only keys of ``roles``."""
    return Require(*roles)


def own_partner(principal: Principal, partner_id: str) -> None:
    """Raise 403 when a partner key asks about another partner."""
    if principal.role == Role.PARTNER and principal.partner_id != partner_id:
        raise Problem(403, "forbidden", "a partner key can only see its own partner's data")


Admin = Annotated[Principal, Depends(require(Role.ADMIN))]
Staff = Annotated[Principal, Depends(require(Role.ADMIN, Role.ECOSYSTEM))]
Internal = Annotated[Principal, Depends(require(Role.ADMIN, Role.ECOSYSTEM, Role.SALES))]
StaffOrPartner = Annotated[Principal, Depends(require(Role.ADMIN, Role.ECOSYSTEM, Role.PARTNER))]
Anyone = Annotated[Principal, Depends(require(*Role))]

Limit = Annotated[int, Query(ge=1, le=1000, description="Rows per page")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Rows to skip")]
