"""Attacks on the web service's memory: each attack's status and the server's peak RSS growth.

Starts a real uvicorn server (default settings) over a fresh store on 127.0.0.1 and sends,
one at a time: a 400 MB chunked JSON body without a key and with one, a 500 MB chunked
multipart upload, 10 MB of headers, a Parquet file of 30M rows, a Parquet file whose one
10 KB value is repeated by 2M rows, an xlsx of 3M rows declaring false sizes, a zip bomb
(1 GB of zeros) inside an xlsx, a CSV of 10M lines, the largest CSV the limits take, then
four dictionary bombs in parallel. The server's RSS is sampled every 10 ms; growth is the peak
over the RSS before the attack, "with children" counts the processes it reads uploads in,
and "kept" is what the server still holds once the answer is in.

    .venv/bin/python bench/abuse.py
    .venv/bin/python bench/abuse.py --only "at the limit"    # the attacks whose name has it
Target (issue 21): growth < 512 MB for any single attack, < 1 GB for four bombs at once.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import polars as pl
import psutil
import pyarrow as pa
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from overlap.api.security import create_key  # noqa: E402
from overlap.api.store import Store  # noqa: E402

MB = 1024 * 1024
CHUNK = 256 * 1024
SHEET = "xl/worksheets/sheet1.xml"


def chunks(total: int, fill: bytes = b"a") -> Iterator[bytes]:
    block = (fill * (CHUNK // len(fill) + 1))[:CHUNK]
    for _ in range(total // CHUNK):
        yield block


class Endless(io.RawIOBase):
    """``size`` bytes of ``fill`` read as a file of unknown length: httpx sends it chunked."""

    def __init__(self, size: int, fill: bytes) -> None:
        self.left = size
        self.block = (fill * (CHUNK // len(fill) + 1))[:CHUNK]

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        n = min(len(buffer), len(self.block), self.left)
        buffer[:n] = self.block[:n]
        self.left -= n
        return n


def parquet_rows() -> bytes:
    out = io.BytesIO()
    pl.select(pl.repeat("Acme Corp", 30_000_000).alias("name")).write_parquet(
        out, compression="zstd"
    )
    return out.getvalue()


def parquet_dictionary() -> bytes:
    values = pa.DictionaryArray.from_arrays(
        pa.array([0] * 2_000_000, pa.int32()), pa.array(["Acme " * 2_000])
    )
    out = io.BytesIO()
    pq.write_table(pa.table({"name": values}), out, compression="zstd")
    return out.getvalue()


def _lying_workbook(sheet: Iterator[bytes]) -> bytes:
    """A workbook whose sheet is ``sheet``, its sizes declared as 100 bytes."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open(SHEET, "w", force_zip64=False) as entry:
            for part in sheet:
                entry.write(part)
    data = bytearray(out.getvalue())
    info = zipfile.ZipFile(io.BytesIO(bytes(data))).getinfo(SHEET)
    struct.pack_into("<I", data, info.header_offset + 22, 100)
    struct.pack_into("<I", data, data.rindex(SHEET.encode()) - 46 + 24, 100)
    return bytes(data)


def xlsx_rows() -> bytes:
    def sheet() -> Iterator[bytes]:
        yield b'<worksheet><sheetData><row r="1"><c t="inlineStr"><is><t>Company</t></is></c></row>'
        for start in range(2, 3_000_002, 100_000):
            yield b"".join(
                b'<row r="%d"><c t="inlineStr"><is><t>Acme %d</t></is></c></row>' % (i, i)
                for i in range(start, start + 100_000)
            )
        yield b"</sheetData></worksheet>"

    return _lying_workbook(sheet())


def xlsx_zeros() -> bytes:
    def sheet() -> Iterator[bytes]:
        yield b"<worksheet><sheetData>"
        for _ in range(1024):
            yield b" " * MB
        yield b"</sheetData></worksheet>"

    return _lying_workbook(sheet())


def csv_lines() -> bytes:
    return b"Company\n" + b"a\n" * 10_000_000


def csv_at_limit() -> bytes:
    return b"Company\n" + b"".join(b"Co %06d\n" % (i % 1_000_000) for i in range(2_000_000))


def tree_rss(process: psutil.Process) -> int:
    """RSS of ``process`` and the memory only its children hold (USS: the pages a child
    forked from the fork server shares with it are counted once, in the fork server's)."""
    total = process.memory_info().rss
    for child in process.children(recursive=True):
        with contextlib.suppress(psutil.NoSuchProcess):  # ended meanwhile
            total += child.memory_full_info().uss
    return total


class Peak:
    """The peak RSS of a process, and of it with its children, while the block runs and
    until the process is idle again, sampled every 10 ms.

    An upload is answered once stored and the view of the new list is built after the
    answer: the work an attack causes ends when the server stops using CPU, not when it
    answers.
    """

    def __init__(self, process: psutil.Process) -> None:
        self.process = process
        self.peak = self.tree_peak = 0
        self._stop = threading.Event()

    def __enter__(self) -> Peak:
        self.before = self.process.memory_info().rss
        self.peak = self.tree_peak = self.before
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, self.process.memory_info().rss)
            self.tree_peak = max(self.tree_peak, tree_rss(self.process))
            time.sleep(0.01)

    def __exit__(self, *exc: object) -> None:
        idle(self.process)
        self._stop.set()
        self._thread.join()

    @property
    def growth(self) -> int:
        return self.peak - self.before

    @property
    def tree_growth(self) -> int:
        """Growth counting children: a child's whole RSS is growth, it was not there before."""
        return self.tree_peak - self.before

    @property
    def after(self) -> int:
        """What the server kept: its RSS once the answer is in, over the RSS before."""
        return self.process.memory_info().rss - self.before


def idle(process: psutil.Process, *, quiet: float = 1.0, longest: float = 300.0) -> None:
    """Wait until ``process`` and its children have used no CPU for ``quiet`` seconds (at
    most ``longest`` seconds)."""

    def used() -> float:
        total = 0.0
        for one in (process, *process.children(recursive=True)):
            with contextlib.suppress(psutil.NoSuchProcess):  # ended meanwhile
                times = one.cpu_times()
                total += times.user + times.system
        return total

    deadline = time.monotonic() + longest
    before = used()
    while time.monotonic() < deadline:
        time.sleep(quiet)
        now = used()
        if 0 <= now - before < 0.02 * quiet:  # lower: a child ended meanwhile, busy
            return
        before = now


def outcome(call: Callable[[], httpx.Response]) -> str:
    try:
        response = call()
    except httpx.HTTPError as error:  # the server closed the connection mid-body
        return type(error).__name__
    return str(response.status_code)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", default="", help="run only the attacks whose name has this")
    only = parser.parse_args().only
    print("building the payloads ...", flush=True)
    payloads = {
        "parquet 30M rows": ("bomb.parquet", parquet_rows()),
        "parquet 2M x 10 KB dict": ("dict.parquet", parquet_dictionary()),
        "xlsx 3M rows, false sizes": ("rows.xlsx", xlsx_rows()),
        "xlsx 1 GB spaces, false sizes": ("zeros.xlsx", xlsx_zeros()),
        "csv 10M lines": ("lines.csv", csv_lines()),
        "csv 2M rows (at the limit)": ("limit.csv", csv_at_limit()),
    }
    with tempfile.TemporaryDirectory(prefix="overlap-abuse-") as directory:
        db = Path(directory) / "abuse.duckdb"
        store = Store.open(db)
        store.put_partner({"partner_id": "PRT-001", "name": "Partner", "sharing": None})
        admin = create_key(store, role="admin")[1]
        partner = create_key(store, role="partner", partner_id="PRT-001")[1]
        store.close()
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        server = subprocess.Popen(
            [
                *(sys.executable, "-m", "uvicorn", "--factory", "overlap.api.main:create_app"),
                *("--host", "127.0.0.1", "--port", str(port), "--log-level", "critical"),
            ],
            cwd=ROOT,
            env={**os.environ, "OVERLAP_DB": str(db)},
        )
        try:
            base = f"http://127.0.0.1:{port}"
            run(psutil.Process(server.pid), base, admin, partner, payloads, only=only)
        finally:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:  # a rebuild under way (the Ranker's fit) holds it
                server.kill()
                server.wait()


def run(
    process: psutil.Process,
    base: str,
    admin: str,
    partner: str,
    payloads: dict[str, tuple[str, bytes]],
    *,
    only: str = "",
) -> None:
    client = httpx.Client(base_url=base, timeout=600)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if client.get("/ready").status_code == 200:
                break
        except httpx.TransportError:
            time.sleep(0.2)
    as_partner = {"Authorization": f"Bearer {partner}"}
    json = {"Content-Type": "application/json"}

    def upload(name: str, content: bytes) -> httpx.Response:
        files = {"file": (name, content)}
        return client.post("/lists/PRT-001", files=files, headers=as_partner)

    stream = Endless(500 * MB, b"Acme Corp\n")
    attacks: dict[str, Callable[[], httpx.Response]] = {
        "400 MB chunked JSON, no key": lambda: client.post(
            "/keys", content=chunks(400 * MB), headers=json
        ),
        "400 MB chunked JSON, admin key": lambda: client.post(
            "/keys", content=chunks(400 * MB), headers={**json, "Authorization": f"Bearer {admin}"}
        ),
        "500 MB chunked multipart": lambda: client.post(
            "/lists/PRT-001", files={"file": ("big.csv", stream)}, headers=as_partner
        ),
        "10 MB of headers": lambda: client.get(
            "/partners", headers={"Authorization": "Bearer " + "a" * (10 * MB)}
        ),
        **{
            label: (lambda name=name, content=content: upload(name, content))
            for label, (name, content) in payloads.items()
        },
    }
    print(
        f"\n{'attack':<34} {'bytes sent':>12} {'status':>22} {'peak RSS growth':>16}"
        f" {'with children':>14} {'kept':>8}"
    )
    for label, attack in attacks.items():
        if only not in label:
            continue
        size = len(payloads[label][1]) if label in payloads else 0
        with Peak(process) as peak:
            status = outcome(attack)
        sent = f"{size / MB:,.1f} MB" if size else "streamed"
        print(
            f"{label:<34} {sent:>12} {status:>22} {peak.growth / MB:>13,.0f} MB"
            f" {peak.tree_growth / MB:>11,.0f} MB {peak.after / MB:>5,.0f} MB",
            flush=True,
        )
    bomb = payloads["parquet 2M x 10 KB dict"]
    if only and only not in "four dictionary bombs at once":
        return
    with Peak(process) as peak, ThreadPoolExecutor(4) as pool:
        statuses = list(pool.map(lambda _: outcome(lambda: upload(*bomb)), range(4)))
    print(
        f"{'four dictionary bombs at once':<34} {'':>12} {' '.join(statuses):>22} "
        f"{peak.growth / MB:>13,.0f} MB {peak.tree_growth / MB:>11,.0f} MB"
        f" {peak.after / MB:>5,.0f} MB"
    )
    print("target: < 512 MB for one attack, < 1,024 MB for four at once")


if __name__ == "__main__":
    main()
