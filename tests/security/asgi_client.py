"""Call the app as an ASGI server does, one body chunk at a time, counting what it reads.

A test client sends the whole body at once; here the body is a lazy stream of chunks, so a
test can tell how much of it the app pulled before it answered.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from starlette.types import ASGIApp, Message

from overlap.api.settings import Settings

CHUNK = 64 * 1024


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes
    read: int  # body bytes the app pulled from the server

    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Server:
    app: ASGIApp
    limits: Settings  # the app's settings
    admin: str  # an admin's bearer token

    def call(
        self,
        method: str,
        path: str,
        body: Iterable[bytes] = (),
        *,
        headers: dict[str, str] | None = None,
    ) -> Answer:
        """The app's answer to ``method path`` with ``headers``, its body sent in chunks."""
        return asyncio.run(self._call(method, path, iter(body), headers or {}))

    def bearer(self) -> dict[str, str]:
        return {"authorization": f"Bearer {self.admin}"}

    async def _call(
        self, method: str, path: str, body: Iterator[bytes], headers: dict[str, str]
    ) -> Answer:
        read = 0
        ended = False
        sent: list[Message] = []

        async def receive() -> Message:
            nonlocal read, ended
            if ended:  # the whole body was read: what comes next is the client leaving
                return {"type": "http.disconnect"}
            chunk = next(body, None)
            if chunk is None:
                ended = True
                return {"type": "http.request", "body": b"", "more_body": False}
            read += len(chunk)
            return {"type": "http.request", "body": chunk, "more_body": True}

        async def send(message: Message) -> None:
            sent.append(message)

        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode(),
            "query_string": b"",
            "root_path": "",
            "headers": [(k.lower().encode(), v.encode("latin-1")) for k, v in headers.items()],
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 8000),
        }
        await self.app(scope, receive, send)
        start = next(m for m in sent if m["type"] == "http.response.start")
        return Answer(
            status=start["status"],
            headers={k.decode(): v.decode("latin-1") for k, v in start["headers"]},
            body=b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body"),
            read=read,
        )


def chunks(total: int, *, head: bytes = b"", fill: bytes = b"a") -> Iterator[bytes]:
    """``head`` and then ``fill`` repeated to ``total`` bytes, in ``CHUNK``-byte chunks."""
    yield head
    block = (fill * (CHUNK // len(fill) + 1))[:CHUNK]
    for _ in range((total - len(head)) // CHUNK):
        yield block


def multipart(file_name: str, content: Iterable[bytes]) -> tuple[str, Iterator[bytes]]:
    """The content type and the chunks of a form with one file part."""
    boundary = "overlap-test-boundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"'
        "\r\nContent-Type: text/csv\r\n\r\n"
    ).encode()

    def parts() -> Iterator[bytes]:
        yield head
        yield from content
        yield f"\r\n--{boundary}--\r\n".encode()

    return f"multipart/form-data; boundary={boundary}", parts()
