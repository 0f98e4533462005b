"""Dependencies of the routes, as ``Annotated`` aliases: ``def route(service: ServiceDep)``."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.routing import iter_route_contexts
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.applications import Starlette
from starlette.routing import compile_path
from starlette.types import Scope

from overlap.api.problems import Problem
from overlap.api.security import FailureThrottle, Principal, authenticate
from overlap.api.service import Service, View, ViewUnavailable
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
    """The installed view; only before the first is there one to wait for."""
    view = service.current_view()
    if view is not None:
        return view
    try:
        return await run_in_threadpool(service.view)
    except ViewUnavailable as error:
        raise Problem(503, "not-ready", str(error), headers={"Retry-After": "30"}) from error


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
    ``roles`` is also read by ``refused_before_body``.
    """

    def __init__(self, *roles: Role) -> None:
        self.roles = roles

    def allow(self, principal: Principal) -> Principal:
        """``principal`` if its role is one of ``roles``, else a 403."""
        refusal = refused_role(principal, self.roles)
        if refusal is not None:
            raise refusal
        return principal

    async def __call__(self, principal: Annotated[Principal, Depends(get_principal)]) -> Principal:
        return self.allow(principal)


def require(*roles: Role) -> Require:
    """A dependency that lets through only keys of ``roles``."""
    return Require(*roles)


def refused_role(principal: Principal, roles: Collection[Role]) -> Problem | None:
    """The 403 for a key whose role is not among ``roles``, or None."""
    if principal.role in roles:
        return None
    return Problem(
        403, "forbidden", f"a {principal.role} key cannot do this; roles: {', '.join(roles)}"
    )


def refused_before_body(app: Starlette, scope: Scope, principal: Principal) -> Problem | None:
    """The 403 the route of ``scope`` would answer ``principal`` for its role (its
    ``require``) or for another partner's path (``own_partner``), or None.

    For ``api.limits`` to refuse such a key before a byte of the body is read.
    """
    for route in iter_route_contexts(app.router.routes):
        found = None if route.path is None else compile_path(route.path)[0].match(scope["path"])
        if found is None or scope["method"] not in (route.methods or ()):
            continue
        pending = list(route.dependant.dependencies)
        while pending:
            dependant = pending.pop()
            roles = getattr(dependant.call, "roles", None)
            if roles is not None and (refusal := refused_role(principal, roles)) is not None:
                return refusal
            pending.extend(dependant.dependencies)
        params = found.groupdict()
        owner = params.get("owner", params.get("partner_id"))
        return None if owner is None else not_own(principal, owner)
    return None


def own_partner(principal: Principal, partner_id: str) -> None:
    """Raise 403 when a partner key asks about another partner."""
    refusal = not_own(principal, partner_id)
    if refusal is not None:
        raise refusal


def not_own(principal: Principal, partner_id: str) -> Problem | None:
    """The 403 for a partner key asking about another partner (or the vendor), or None."""
    if principal.role == Role.PARTNER and principal.partner_id != partner_id:
        return Problem(403, "forbidden", "a partner key can only see its own partner's data")
    return None


Admin = Annotated[Principal, Depends(require(Role.ADMIN))]
Staff = Annotated[Principal, Depends(require(Role.ADMIN, Role.ECOSYSTEM))]
Internal = Annotated[Principal, Depends(require(Role.ADMIN, Role.ECOSYSTEM, Role.SALES))]
StaffOrPartner = Annotated[Principal, Depends(require(Role.ADMIN, Role.ECOSYSTEM, Role.PARTNER))]
Anyone = Annotated[Principal, Depends(require(*Role))]

Limit = Annotated[int, Query(ge=1, le=1000, description="Rows per page")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Rows to skip")]
