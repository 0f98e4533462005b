"""Bodies and headers are bounded before they are read: 431, then 401 without a key, then 413.

Issue 21, defect 1: a chunked POST or any PUT was read whole, before the key was checked.
Every body here is a lazy stream of chunks; ``read`` is how much of it the app pulled.
"""

from __future__ import annotations

import json

import pytest
from asgi_client import CHUNK, Answer, Server, chunks, multipart

from overlap.api.limits import MULTIPART_OVERHEAD

MiB = 1024 * 1024
CHUNKED = {"transfer-encoding": "chunked", "content-type": "application/json"}
# JSON routes that take a body: a key, a partner, a decision
JSON_WRITES = [("POST", "/keys"), ("PUT", "/partners/PRT-005"), ("POST", "/feedback")]


def _refused(answer: Answer, status: int, kind: str) -> None:
    assert answer.status == status, answer.body
    assert answer.headers["content-type"] == "application/problem+json"
    assert answer.json()["type"] == f"/problems/{kind}"


def _upload_limit(server: Server) -> int:
    """The most bytes an upload's body may have: the file and the form around it."""
    return server.limits.max_upload_bytes + MULTIPART_OVERHEAD


@pytest.mark.parametrize(("method", "path"), JSON_WRITES)
@pytest.mark.parametrize(
    "authorization", [None, "Bearer ovl_000000000000_not-a-real-secret", "Basic YTpi"]
)
def test_a_chunked_body_without_a_valid_key_is_refused_before_a_byte_of_it_is_read(
    server: Server, method: str, path: str, authorization: str | None
) -> None:
    headers = CHUNKED if authorization is None else {**CHUNKED, "authorization": authorization}
    answer = server.call(method, path, chunks(8 * MiB), headers=headers)
    _refused(answer, 401, "unauthorized")
    assert answer.read == 0


def test_a_chunked_upload_without_a_key_is_refused_before_a_byte_of_it_is_read(
    server: Server,
) -> None:
    content_type, body = multipart("big.csv", chunks(8 * MiB, head=b"Company\n", fill=b"Acme\n"))
    headers = {"content-type": content_type, "transfer-encoding": "chunked"}
    answer = server.call("POST", "/lists/vendor", body, headers=headers)
    _refused(answer, 401, "unauthorized")
    assert answer.read == 0


@pytest.mark.parametrize(("method", "path"), JSON_WRITES)
def test_a_keyed_chunked_json_body_is_cut_off_with_413_once_it_passes_the_body_limit(
    server: Server, method: str, path: str
) -> None:
    answer = server.call(method, path, chunks(8 * MiB), headers={**CHUNKED, **server.bearer()})
    _refused(answer, 413, "too-large")
    assert server.limits.max_body_bytes < answer.read <= server.limits.max_body_bytes + CHUNK


def test_a_keyed_chunked_upload_is_cut_off_with_413_once_it_passes_the_upload_limit(
    server: Server,
) -> None:
    content_type, body = multipart("big.csv", chunks(8 * MiB, head=b"Company\n", fill=b"Acme\n"))
    headers = {"content-type": content_type, "transfer-encoding": "chunked", **server.bearer()}
    answer = server.call("POST", "/lists/vendor", body, headers=headers)
    _refused(answer, 413, "too-large")
    assert _upload_limit(server) < answer.read <= _upload_limit(server) + CHUNK


@pytest.mark.parametrize(("method", "path"), [*JSON_WRITES, ("POST", "/lists/vendor")])
def test_a_keyed_body_whose_content_length_is_over_its_limit_is_413_unread(
    server: Server, method: str, path: str
) -> None:
    limit = _upload_limit(server) if path == "/lists/vendor" else server.limits.max_body_bytes
    headers = {"content-length": str(limit + 1), **server.bearer()}
    answer = server.call(method, path, chunks(limit + 1), headers=headers)
    _refused(answer, 413, "too-large")
    assert "limit" in answer.json()["detail"]
    assert answer.read == 0


def test_a_10_mb_authorization_header_is_refused_with_431(server: Server) -> None:
    answer = server.call("GET", "/health", headers={"authorization": "Bearer " + "a" * 10 * MiB})
    _refused(answer, 431, "headers-too-large")


def test_headers_are_limited_in_total_not_one_by_one(server: Server) -> None:
    many = server.limits.max_header_bytes // 1000 + 1
    answer = server.call("GET", "/health", headers={f"x-{i}": "a" * 1000 for i in range(many)})
    _refused(answer, 431, "headers-too-large")


def test_a_normal_upload_and_normal_json_calls_still_work(server: Server) -> None:
    csv = b"Company,Website,Country,Status\nAcme Widgets,acme.example,US,Customer\n"
    content_type, body = multipart("vendor.csv", [csv])
    parts = list(body)
    form = {"content-type": content_type, "content-length": str(sum(map(len, parts)))}
    assert (
        server.call("POST", "/lists/vendor", parts, headers={**form, **server.bearer()}).status
        == 201
    )

    def send(method: str, path: str, document: object) -> int:
        data = json.dumps(document).encode()
        headers = {"content-type": "application/json", "content-length": str(len(data))}
        return server.call(method, path, [data], headers={**headers, **server.bearer()}).status

    assert send("PUT", "/partners/PRT-005", {"name": "Northwind"}) in (200, 201)
    assert send("POST", "/keys", {"role": "partner", "partner_id": "PRT-005"}) == 201
    assert server.call("GET", "/health").status == 200
    assert server.call("GET", "/partners", headers=server.bearer()).status == 200
