"""The commands of the web service: ``serve`` and ``create-key`` (they need the [api] extra)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from overlap.cli.output import EXIT_INPUT_ERROR, console, err_console
from overlap.schema import Role

WEB_MODULES = {
    "fastapi": "fastapi",
    "uvicorn": "uvicorn",
    "pydantic_settings": "pydantic-settings",
    "python_multipart": "python-multipart",
    "jinja2": "jinja2",
}
"""The modules of the [api] extra, and the distributions they come from."""


def _web() -> None:
    """Check that the web stack of the [api] extra is installed, else say how to get it."""
    import importlib.util

    missing = [dist for module, dist in WEB_MODULES.items() if not importlib.util.find_spec(module)]
    if missing:
        # printed here rather than raised: the "[api]" would be read as rich markup
        err_console.print(
            f"error: the web service needs the [api] extra ({', '.join(missing)} missing): "
            "pip install 'overlap[api]'",
            style="red",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        raise typer.Exit(EXIT_INPUT_ERROR)


def serve(
    host: Annotated[str, typer.Option(help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on.")] = 8000,
    db: Annotated[Path, typer.Option(help="DuckDB file of the store.")] = Path("overlap.duckdb"),
    samples: Annotated[
        Path | None,
        typer.Option(help="Folder like data/samples, loaded (and matched) if the store is empty."),
    ] = None,
) -> None:
    """Start the web service; on first start print an admin key, once, and an example."""
    _web()
    from urllib.parse import quote

    import uvicorn

    from overlap.api.main import create_app
    from overlap.api.security import create_sign_in_link, first_admin_key, split_token
    from overlap.api.service import load_directory
    from overlap.api.store import Store

    db.parent.mkdir(parents=True, exist_ok=True)
    store = Store.open(db)
    try:
        if samples is not None and store.is_empty():
            with console.status(f"loading and matching {samples}"):
                load_directory(store, samples)
        token = first_admin_key(store)
        url = f"http://{host}:{port}"
        parts = split_token(token) if token is not None else None
        if parts is not None:
            link = url + create_sign_in_link(store, parts[0])
            console.print(
                f"web app: {url}/ (sign in as admin, once, within 15 minutes: {link})",
                highlight=False,
                soft_wrap=True,
            )
        else:
            console.print(f"web app: {url}/ (sign in with a key)", highlight=False, soft_wrap=True)
        if token is not None:
            console.print(
                f"admin key (shown once, keep it): {token}", highlight=False, soft_wrap=True
            )
        account = store.example_account()
        example = (
            f"{url}/accounts/{quote(account, safe='')}/partners?k=3"
            if account is not None
            else f"{url}/partners"
        )
        console.print(f"serving {db} on {url} (docs: {url}/docs)", highlight=False, soft_wrap=True)
        console.print(
            f"try: curl -H 'Authorization: Bearer {token or '<your key>'}' '{example}'",
            highlight=False,
            soft_wrap=True,
        )
        uvicorn.run(create_app(store=store), host=host, port=port, log_level="warning")
    finally:
        store.close()


*_OTHER_ROLES, _LAST_ROLE = Role
ROLES_HELP = f"{', '.join(_OTHER_ROLES)} or {_LAST_ROLE}."


def create_key_command(
    role: Annotated[str, typer.Option(help=ROLES_HELP)] = Role.ADMIN.value,
    partner_id: Annotated[str | None, typer.Option(help="The partner of a partner key.")] = None,
    db: Annotated[Path, typer.Option(help="DuckDB file of the store.")] = Path("overlap.duckdb"),
    link: Annotated[
        bool, typer.Option(help="Also print a one-time web sign-in link for the key.")
    ] = False,
    url: Annotated[
        str, typer.Option(help="Where the web app is served, for the link.")
    ] = "http://127.0.0.1:8000",
) -> None:
    """Create an API key in the store (stop `overlap serve` first) and print it once."""
    _web()
    from overlap.api.security import create_key, create_sign_in_link
    from overlap.api.store import Store

    store = Store.open(db)
    try:
        key_id, token = create_key(store, role=role, partner_id=partner_id)
        path = create_sign_in_link(store, key_id) if link else None
    finally:
        store.close()
    console.print(f"{role} key {key_id} (shown once): {token}", highlight=False, soft_wrap=True)
    if path is not None:
        console.print(
            f"sign-in link (once, within 15 minutes): {url.rstrip('/')}{path}",
            highlight=False,
            soft_wrap=True,
        )
