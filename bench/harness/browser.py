"""Debian's Chromium as the benchmarks drive it: its path and flags, the bytes it really transferred
(`CdpRecorder`, from the DevTools protocol) and what each response is (`kind_of`)."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
FONT_EXT = (".woff2", ".woff", ".ttf", ".otf", ".eot")
IMAGE_EXT = (".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".svg", ".ico")


@contextlib.contextmanager
def launched(extra_args: tuple[str, ...] = ()) -> Iterator:
    """Headless Debian Chromium through Playwright with CHROMIUM_ARGS (and `extra_args`), closed afterwards."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=[*CHROMIUM_ARGS, *extra_args], headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


class CdpRecorder:
    """Every network request of one page, from the DevTools protocol (all frames the page's renderer runs).

    Per request id: url, type, frame, status, mime, encoding (Content-Encoding), cache_control, encoded
    (`encodedDataLength` of Network.loadingFinished: the body as received, still compressed, plus the
    response headers), failed, accept_encoding (as sent), memory_cache. The HTTP cache is disabled first, so
    every load starts empty.
    """

    def __init__(self, context, page):
        self.requests: dict[str, dict] = {}
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
        cdp.on("Network.requestWillBeSent", self._on_request)
        cdp.on("Network.responseReceived", self._on_response)
        cdp.on("Network.loadingFinished", self._on_finished)
        cdp.on("Network.loadingFailed", self._on_failed)
        cdp.on("Network.requestServedFromCache", self._on_cached)
        cdp.on("Network.requestWillBeSentExtraInfo", self._on_extra)

    def _entry(self, event: dict) -> dict:
        return self.requests.setdefault(event["requestId"], {})

    def _on_request(self, event: dict) -> None:
        self._entry(event).update(
            url=event["request"]["url"], type=event.get("type", "Other"), frame=event.get("frameId")
        )

    def _on_response(self, event: dict) -> None:
        entry = self._entry(event)
        headers = {k.lower(): v for k, v in event["response"]["headers"].items()}
        entry.update(
            type=event.get("type", entry.get("type", "Other")),
            status=event["response"]["status"],
            mime=event["response"].get("mimeType", ""),
            encoding=headers.get("content-encoding", "identity"),
            cache_control=headers.get("cache-control", ""),
        )

    def _on_finished(self, event: dict) -> None:
        self._entry(event)["encoded"] = int(event["encodedDataLength"])

    def _on_failed(self, event: dict) -> None:
        self._entry(event)["failed"] = event.get("errorText", "failed")

    def _on_extra(self, event: dict) -> None:  # the headers as sent, Accept-Encoding included
        headers = {k.lower(): v for k, v in event.get("headers", {}).items()}
        self._entry(event)["accept_encoding"] = headers.get("accept-encoding", "")

    def _on_cached(self, event: dict) -> None:  # answered from Blink's memory cache, which setCacheDisabled leaves on
        self._entry(event)["memory_cache"] = True

    @staticmethod
    def response(entry: dict) -> dict:
        """The response facts of one recorded request, as the reports list them."""
        return {
            "type": entry.get("type", "Other"),
            "mime": entry.get("mime", ""),
            "status": entry.get("status", entry.get("failed", "?")),
            "encoding": entry.get("encoding", ""),
            "cache_control": entry.get("cache_control", ""),
            "encoded": entry.get("encoded", 0),
        }

    def http(self) -> list[dict]:
        """The requests over http(s), in the order they were sent (data: URLs and the like left out)."""
        return [entry for entry in self.requests.values() if entry.get("url", "").startswith("http")]

    def accept_encoding(self, default: str) -> str:
        """The Accept-Encoding Chromium sent (the first request that shows it), or `default`."""
        return next((r["accept_encoding"] for r in self.requests.values() if r.get("accept_encoding")), default)


def kind_of(row: dict) -> str:
    """What a recorded response is (HTML, JS, CSS, fonts, JSON, media, other), from its type, MIME and path."""
    mime = row.get("mime", "")
    path = urlsplit(row["url"]).path.lower()
    if row["type"] == "Document" or "html" in mime:
        return "HTML"
    if row["type"] == "Script" or "javascript" in mime:
        return "JS"
    if row["type"] == "Stylesheet" or "css" in mime:
        return "CSS"
    if row["type"] == "Font" or path.endswith(FONT_EXT):
        return "fonts"
    if "json" in mime or path.endswith(".json"):
        return "JSON"
    if row["type"] in ("Image", "Media") or mime.startswith(("image/", "video/", "audio/")):
        return "media"
    return "other"
