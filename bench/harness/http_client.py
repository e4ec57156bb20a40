"""HTTP as the benchmarks send it: a browser's headers, one GET, sizes as on the wire, waiting for a server."""

from __future__ import annotations

import gzip
import http.client
import subprocess
import time
import zlib

from harness.frame import BenchError

# What a browser sends for a page load; the page cache varies on Accept-Encoding and Cookie.
BROWSER_HEADERS = {
    "User-Agent": "Mozilla/5.0 (X11; Linux x86_64) OefenpleinBench/1.0",
    "Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
    "Accept-Language": "nl-BE,nl;q=0.9",
    "Accept-Encoding": "gzip, br",
}


def http_get(port: int, path: str, headers: dict[str, str], timeout: float = 10):
    """GET over a fresh connection: (status, headers, raw body as received, still compressed)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        body = response.read()
        return response.status, response, body
    finally:
        conn.close()


def header_bytes(response: http.client.HTTPResponse) -> int:
    """Size of the status line and headers as sent on the wire (HTTP/1.1)."""
    size = len(f"HTTP/1.1 {response.status} {response.reason}\r\n")
    size += sum(len(f"{name}: {value}\r\n") for name, value in response.getheaders())
    return size + 2


def decode_body(body: bytes, encoding: str | None) -> bytes:
    encoding = (encoding or "").lower()
    if encoding == "gzip":
        return gzip.decompress(body)
    if encoding == "deflate":
        return zlib.decompress(body)
    if encoding == "br":
        import brotli  # only when the server sent brotli, which needs the brotli package anyway

        return brotli.decompress(body)
    return body


def wait_answer(proc: subprocess.Popen, port: int, path: str, what: str, timeout: float = 60) -> bytes:
    """Poll `path` until it answers 200 and return the body; a BenchError if `proc` exits or time runs out."""
    deadline = time.monotonic() + timeout
    last = "no answer"
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BenchError(f"{what} exited with {proc.returncode}")
        try:
            status, _headers, body = http_get(port, path, {}, timeout=5)
            if status == 200:
                return body
            last = f"HTTP {status}: {body[:200]!r}"
        except OSError as error:
            last = repr(error)
        time.sleep(0.25)
    raise BenchError(f"{what}: {path} did not answer 200 within {timeout:.0f} s ({last})")
