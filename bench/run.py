"""Oefenplein benchmark: `make bench` runs this file with the project's virtualenv Python.

It builds a clean, production-like stack on this machine only (PostgreSQL database
`oefenplein_bench`, Redis db 2, gunicorn with 2 workers, static files collected and served by
WhiteNoise), loads the demo content, then measures:

  * throughput and latency of a Dutch text lesson and of the Dutch catalogue, 10 keep-alive
    connections for a fixed time after a warm-up (wrk when installed, else a built-in asyncio
    load generator; BENCH_LOADGEN=wrk|python forces one);
  * the same lesson with the anonymous page cache bypassed (a session cookie), and the unloaded
    latency of one connection, to show what the cache buys;
  * the bytes a browser transfers for the lesson's first load: a standard-library crawl of the
    HTML and every subresource it references, and, when /usr/bin/chromium exists, a real
    headless Chromium load summed from the DevTools protocol;
  * signed-in pages against a bare `wagtail start` page (bench/signed_in_bench.py);
  * last, the learning records (bench/progress_bench.py): statement ingest by 10 signed-in learners,
    and the "My learning" page of a learner with records in 50 modules x 10 lessons.

It writes its own sections of bench/RESULTS.md, "Machine" to "Timings of this run" (through
bench/harness/results.py: the other scripts' sections, and the file's title and introduction once there, stay
as they are), raw data plus logs under bench/out/ (which git ignores), and always stops the gunicorn
it started. Method: bench/README.md. Knobs (environment): BENCH_DURATION (s, 20), BENCH_WARMUP (s, 3),
BENCH_CONNECTIONS (10), BENCH_LOADGEN (auto|wrk|python), BENCH_GUNICORN_EXTRA (more gunicorn options,
to try a change), BENCH_PG_URL (postgres://postgres@127.0.0.1:5432), BENCH_DB_NAME (oefenplein_bench),
BENCH_REDIS_URL (redis://127.0.0.1:6379/2), BENCH_PORT_RANGE (e.g. 8100-8199; default any free port).
"""

from __future__ import annotations

import html.parser
import json
import os
import re
import sys
import time
from dataclasses import asdict
from urllib.parse import urljoin, urlsplit

import progress_bench  # bench/progress_bench.py: statement ingest and "My learning" (same stack, same run)
import signed_in_bench  # bench/signed_in_bench.py: signed-in pages against a bare `wagtail start` page
from harness import browser, load, stack
from harness.cpu import CpuMeter
from harness.frame import OUT_ROOT, ROOT, BenchError, Timings, log
from harness.http_client import BROWSER_HEADERS, decode_body, header_bytes, http_get
from harness.results import RESULTS_MD, cpu_row, kb, shared_machine_warning, verdict, write_sections

STACK = stack.Stack(
    db_name=os.environ.get("BENCH_DB_NAME", "oefenplein_bench"),
    redis_url=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2"),
    out_dir=OUT_ROOT,
)

DURATION = float(os.environ.get("BENCH_DURATION", "20"))
WARMUP = float(os.environ.get("BENCH_WARMUP", "3"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "10"))
BYPASS_DURATION = min(DURATION, 8.0)  # the cache-bypass diagnostic is shorter: it only explains

TARGET_RPS = 300
TARGET_P95_MS = 50
TARGET_KB = 60
BYPASS_COOKIE = "sessionid=bench-cache-bypass"  # any session cookie makes the page cache step aside


def page_cache_entries() -> int:
    """How many whole-page responses the anonymous page cache holds in Redis."""
    import redis

    client = redis.Redis.from_url(STACK.redis_url, socket_connect_timeout=3)
    try:
        return sum(1 for _ in client.scan_iter(match="*cache_page*", count=1000))
    finally:
        client.close()


def sequential_probes(port: int, targets: dict, headers: dict, bypass_headers: dict) -> dict:
    """Unloaded latency of the lesson and the catalogue, from the page cache and with it bypassed."""
    sequential = {
        "lesson_cached": load.sequential_latency(port, targets["lesson_url"], headers),
        "lesson_bypass": load.sequential_latency(port, targets["lesson_url"], bypass_headers, count=40),
        "catalogue_cached": load.sequential_latency(port, targets["catalogue_url"], headers),
        "catalogue_bypass": load.sequential_latency(port, targets["catalogue_url"], bypass_headers, count=40),
    }
    for name, figures in sequential.items():
        log(f"unloaded {name}: p50 {figures['p50_ms']} ms, p95 {figures['p95_ms']} ms")
    return sequential


# --- Transfer size -------------------------------------------------------------------------------


class _AssetParser(html.parser.HTMLParser):
    """Every URL a browser would fetch on load, by kind."""

    LINK_KINDS = {"stylesheet": "stylesheet", "icon": "icon", "shortcut": "icon", "apple-touch-icon": "icon",
                  "manifest": "manifest", "preload": "preload", "modulepreload": "script"}  # fmt: skip

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.assets: list[tuple[str, str]] = []  # (kind, url)
        self.inline_styles = 0
        self.inline_scripts = 0
        self._in_video = False
        self._in_picture = False

    def _srcset(self, value: str | None, kind: str) -> None:
        for candidate in (value or "").split(","):
            url = candidate.strip().split(" ")[0]
            if url:
                self.assets.append((kind, url))

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("href"):
            rels = (a.get("rel") or "").lower().split()
            for rel in rels:
                if rel in self.LINK_KINDS:
                    kind = self.LINK_KINDS[rel]
                    if kind == "preload":
                        kind = {"style": "stylesheet", "script": "script", "font": "font", "image": "image"}.get(
                            a.get("as", ""), "other"
                        )
                    self.assets.append((kind, a["href"]))
                    break
        elif tag == "script":
            if a.get("src"):
                self.assets.append(("script", a["src"]))
            else:
                self.inline_scripts += 1
        elif tag == "style":
            self.inline_styles += 1
        elif tag == "img":
            if a.get("src"):
                self.assets.append(("image", a["src"]))
            self._srcset(a.get("srcset"), "image")
        elif tag == "picture":
            self._in_picture = True
        elif tag == "video":
            self._in_video = True
            if a.get("poster"):
                self.assets.append(("image", a["poster"]))
            if a.get("src"):
                self.assets.append(("media", a["src"]))
        elif tag == "source":
            if self._in_video and a.get("src"):
                self.assets.append(("media", a["src"]))
            self._srcset(a.get("srcset"), "image")
        elif tag == "track" and a.get("src"):
            self.assets.append(("media", a["src"]))
        elif tag in ("iframe", "embed") and a.get("src"):
            self.assets.append(("other", a["src"]))

    def handle_endtag(self, tag):
        if tag == "video":
            self._in_video = False
        elif tag == "picture":
            self._in_picture = False


CSS_URL = re.compile(r"""url\(\s*['"]?([^'")]+)['"]?\s*\)|@import\s+['"]([^'"]+)['"]""")


def crawl_transfer(port: int, path: str) -> dict:
    """Fetch the page and every subresource it references, as a browser with an empty cache would."""
    origin = f"http://127.0.0.1:{port}"
    headers = dict(BROWSER_HEADERS)
    rows: list[dict] = []
    seen: set[str] = set()

    def fetch(kind: str, url: str) -> bytes | None:
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or parts.netloc != f"127.0.0.1:{port}":
            rows.append({"kind": kind, "url": url, "status": "external (not fetched)", "body": 0, "headers": 0})
            return None
        local = parts.path + (f"?{parts.query}" if parts.query else "")
        if local in seen:
            return None
        seen.add(local)
        fetch_headers = dict(headers)
        if kind != "document":
            fetch_headers["Accept"] = "*/*"
        status, response, body = http_get(port, local, fetch_headers)
        rows.append(
            {
                "kind": kind,
                "url": local,
                "status": status,
                "content_type": response.getheader("Content-Type", ""),
                "encoding": response.getheader("Content-Encoding", "identity"),
                "body": len(body),
                "content_length": response.getheader("Content-Length"),
                "headers": header_bytes(response),
                "cache_control": response.getheader("Cache-Control", ""),
            }
        )
        return decode_body(body, response.getheader("Content-Encoding"))

    page_url = urljoin(origin, path)
    document = fetch("document", page_url)
    if document is None:
        raise BenchError("the lesson page could not be fetched")
    parser = _AssetParser()
    parser.feed(document.decode("utf-8", "replace"))
    for kind, url in parser.assets:
        absolute = urljoin(page_url, url)
        content = fetch(kind, absolute)
        if kind == "stylesheet" and content is not None:
            for match in CSS_URL.finditer(content.decode("utf-8", "replace")):
                ref = match.group(1) or match.group(2)
                if ref.startswith("data:"):
                    continue
                ref_kind = (
                    "stylesheet" if match.group(2)
                    else "font" if ref.lower().split("?")[0].endswith(browser.FONT_EXT)
                    else "image (css)" if ref.lower().split("?")[0].endswith(browser.IMAGE_EXT)
                    else "other"
                )  # fmt: skip
                fetch(ref_kind, urljoin(absolute, ref))
    counted = [r for r in rows if isinstance(r["status"], int) and not r["kind"].startswith(("image", "media"))]
    excluded = [r for r in rows if r not in counted]
    return {
        "rows": rows,
        "counted_body_bytes": sum(r["body"] for r in counted),
        "counted_header_bytes": sum(r["headers"] for r in counted),
        "excluded_body_bytes": sum(r["body"] for r in excluded),
        "document_uncompressed_bytes": len(document),
        "inline_styles": parser.inline_styles,
        "inline_scripts": parser.inline_scripts,
    }


def chromium_transfer(port: int, path: str) -> dict:
    """Load the page in headless Chromium with an empty cache; sum encodedDataLength per response."""
    if not browser.CHROMIUM.exists():
        return {"skipped": f"{browser.CHROMIUM} not found"}
    try:
        import playwright.sync_api  # noqa: F401 — only to say why the figure is missing
    except ImportError as error:
        return {"skipped": f"playwright not importable ({error})"}
    url = f"http://127.0.0.1:{port}{path}"
    with browser.launched() as chromium:
        context = chromium.new_context(locale="nl-BE", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        recorder = browser.CdpRecorder(context, page)
        page.goto(url, wait_until="load", timeout=30_000)
        page.wait_for_load_state("networkidle", timeout=15_000)
        page.wait_for_timeout(300)
        version = chromium.version
    rows = [
        {
            "type": r.get("type", "Other"),
            "url": r["url"].replace(f"http://127.0.0.1:{port}", ""),
            "status": r.get("status", r.get("failed", "?")),
            "encoding": r.get("encoding", ""),
            "encoded": r.get("encoded", 0),
        }
        for r in recorder.http()
    ]
    counted = [r for r in rows if r["type"] not in ("Image", "Media")]
    return {
        "browser": f"Chromium {version}",
        "accept_encoding": recorder.accept_encoding(""),
        "rows": rows,
        "counted_bytes": sum(r["encoded"] for r in counted),
        "excluded_bytes": sum(r["encoded"] for r in rows if r not in counted),
    }


# --- The report ----------------------------------------------------------------------------------


def write_results(data: dict) -> None:
    """This run's sections of RESULTS.md (the title and introduction only if the file has none yet)."""
    m = data["machine"]
    t = data["targets"]
    lines = [
        "# Benchmark results",
        "",
        f"Written by `make bench` (bench/run.py) on {m['date']}. Method: [README.md](README.md). "
        "Raw data: `bench/out/results.json` (not committed).",
        "",
        "## Machine",
        "",
        f"- {m['nproc']} cores: {m['cpu']}; {m['memory']} memory; Linux {m['kernel']}",
        f"- Python {m['python']}, PostgreSQL {m['postgresql']}, Redis {m['redis']}",
        f"- Django {m['Django']}, Wagtail {m['wagtail']}, gunicorn {m['gunicorn']}, WhiteNoise {m['whitenoise']}, "
        f"django-redis {m['django-redis']}, psycopg {m['psycopg']}, brotli {m['brotli']}",
        "- Server, database, cache and load generator all share these cores (loopback only).",
        "",
        "## Setup",
        "",
        f"- `{data['gunicorn_cmd']}`",
        f"  - {stack.WORKERS} workers, `{stack.WORKER_CLASS}` with {stack.THREADS} threads each, keep-alive {stack.KEEP_ALIVE} s: "
        "threads let a worker overlap the Redis/PostgreSQL round trips of one request with another's "
        "Python work, and keep-alive spares a TCP handshake per request, as behind a reverse proxy.",
        f"- PostgreSQL database `{STACK.db_name}` (dropped and recreated), Redis `{STACK.redis_url}` (flushed), migrate, "
        "`collectstatic` into `var/bench-static` with the manifest storage (STATIC_MANIFEST=true, as production), "
        "`load_demo --no-users`; DEBUG off, not DJANGO_ENV=production (it would redirect HTTP to HTTPS).",
        f"- Load: {data['loadgen_note']}; {CONNECTIONS} keep-alive connections, {WARMUP:.0f} s warm-up then "
        f"{DURATION:.0f} s measured; every request sends browser-like headers (`Accept-Encoding: gzip, br`, "
        "`Accept-Language: nl`), no cookie.",
        f"- Lesson: `{t['lesson_url']}` ({t['lesson_title']}; blocks: {', '.join(t['lesson_blocks'])}). "
        f"Catalogue: `{t['catalogue_url']}` ({t['catalogue_title']}).",
        "",
        "## Figures against the targets",
        "",
        "| measure | target | result | verdict |",
        "| --- | --- | --- | --- |",
    ]
    lesson = data["load"]["lesson"]
    lines.append(
        f"| lesson page throughput | >= {TARGET_RPS} req/s | {lesson['rps']:.0f} req/s | "
        f"{verdict(lesson['rps'] >= TARGET_RPS and lesson['errors'] == 0)} |"
    )
    lines.append(
        f"| lesson page p95 latency | <= {TARGET_P95_MS} ms | {lesson['p95_ms']:.1f} ms (p50 {lesson['p50_ms']:.1f} ms) "
        f"| {verdict(lesson['p95_ms'] <= TARGET_P95_MS)} |"
    )
    lines.append(
        f"| lesson page errors | 0 | {lesson['errors']} of {lesson['requests']} | {verdict(lesson['errors'] == 0)} |"
    )
    crawl = data["transfer"]["crawl"]
    chromium = data["transfer"]["chromium"]
    lines.append(
        f"| text lesson first load, compressed, images excluded (HTML + subresource bodies) | <= {TARGET_KB} KB "
        f"| {kb(crawl['counted_body_bytes'])} ({kb(crawl['counted_body_bytes'] + crawl['counted_header_bytes'])} "
        f"with response headers) | {verdict(crawl['counted_body_bytes'] <= TARGET_KB * 1000)} |"
    )
    if "counted_bytes" in chromium:
        lines.append(
            f"| same, measured in {chromium['browser']} (encodedDataLength, includes response headers) "
            f"| <= {TARGET_KB} KB | {kb(chromium['counted_bytes'])} | "
            f"{verdict(chromium['counted_bytes'] <= TARGET_KB * 1000)} |"
        )
    lines += [
        "",
        "KB = 1000 bytes (the stricter reading; 60 KiB would be 61 440 bytes).",
        "",
        "## All load figures",
        "",
        "| page | tool | conn. | requests | req/s | p50 ms | p95 ms | p99 ms | max ms | errors | bytes/resp. "
        "| conn. per worker |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for result in data["load"].values():
        lines.append(
            f"| {result['label']} | {result['tool']} | {result['connections']} | {result['requests']} | "
            f"{result['rps']:.0f} | {result['p50_ms']:.1f} | {result['p95_ms']:.1f} | {result['p99_ms']:.1f} | "
            f"{result['max_ms']:.1f} | {result['errors']} | {result['bytes_per_response']} | "
            f"{' / '.join(map(str, result['connections_per_worker'])) or '?'} |"
        )
    lines += [
        "",
        "Bytes/resp. counts headers and body as received (compressed). Conn. per worker: how the open "
        "connections were spread over the gunicorn workers halfway through the window (each worker has "
        f"{stack.THREADS} threads; a connection stays with the worker that accepted it). Where the CPU went during each "
        f"measured window, in % of one core ({m['nproc']} cores = {100 * int(m['nproc'])}%):",
        "",
        "| page | gunicorn | PostgreSQL | Redis | load generator | rest of the machine | machine busy |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for result in data["load"].values():
        lines.append(cpu_row(result["label"], result["cpu"]))
    uneven = [
        f"{r['label']} ({' / '.join(map(str, r['connections_per_worker']))})"
        for r in data["load"].values()
        if len(r["connections_per_worker"]) == stack.WORKERS
        and max(r["connections_per_worker"]) - min(r["connections_per_worker"]) > 2
    ]
    if uneven:
        lines += [
            "",
            f"**Uneven workers.** Connections were spread unevenly over the {stack.WORKERS} workers during: "
            f"{', '.join(uneven)}. A gthread worker keeps every keep-alive connection it accepted, and the "
            "worker awake first often accepts most of a burst, so part of the time one worker (one core, one "
            "GIL) serves nearly all the load while the other idles: throughput then drops to about half. "
            "`--reuse-port` (gunicorn then opens one listening socket per worker and the kernel spreads new "
            "connections over them) avoids it; try it with `BENCH_GUNICORN_EXTRA=--reuse-port make bench`.",
        ]
    idle = data["idle_before"]
    idle_detail = f": {idle['top_others']}" if idle["top_others"] else ""
    lines += [
        "",
        f"Before the load tests, with nothing of the benchmark running, the machine was {idle['machine']:.0f}% "
        f"busy (of {100 * int(m['nproc'])}%){idle_detail}.",
    ]
    lines += shared_machine_warning(
        {r["label"]: r["cpu"] for r in data["load"].values()}, "run again when nothing else runs."
    )
    lines += [
        "",
        "Unloaded latency, one keep-alive connection, one request at a time (what the page cache buys; "
        "a session cookie makes the cache step aside, as for a signed-in learner or the first visitor after "
        "a publish):",
        "",
        "| request | requests | p50 ms | p95 ms | mean ms |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, label in (
        ("lesson_cached", "lesson, anonymous (page cache)"),
        ("lesson_bypass", "lesson, session cookie (page cache bypassed)"),
        ("catalogue_cached", "catalogue, anonymous (page cache)"),
        ("catalogue_bypass", "catalogue, session cookie (page cache bypassed)"),
    ):
        s = data["sequential"][name]
        lines.append(f"| {label} | {s['requests']} | {s['p50_ms']:.2f} | {s['p95_ms']:.2f} | {s['mean_ms']:.2f} |")
    lines += [
        "",
        f"Page cache entries in Redis after the warm-up: {data['page_cache_entries']}.",
        "",
        "## Transfer of a text lesson's first load",
        "",
        f"Standard-library crawl (`Accept-Encoding: gzip, br`, HTML {kb(crawl['document_uncompressed_bytes'])} "
        "uncompressed; CSS `url()`/`@import` references followed):",
        "",
        "| kind | URL | status | encoding | body bytes (compressed) | header bytes | Cache-Control |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in crawl["rows"]:
        lines.append(
            f"| {row['kind']} | `{row['url']}` | {row['status']} | {row.get('encoding', '')} | {row['body']} | "
            f"{row['headers']} | {row.get('cache_control', '')} |"
        )
    lines += [
        "",
        f"Counted (images and media excluded): {crawl['counted_body_bytes']} body bytes + "
        f"{crawl['counted_header_bytes']} header bytes. Excluded images/media: {crawl['excluded_body_bytes']} bytes.",
        "",
    ]
    if "rows" in chromium:
        lines += [
            f"{chromium['browser']}, headless, empty cache (the browser sent `Accept-Encoding: "
            f"{chromium['accept_encoding']}`):",
            "",
            "| type | URL | status | encoding | encodedDataLength |",
            "| --- | --- | --- | --- | --- |",
        ]
        for row in chromium["rows"]:
            lines.append(f"| {row['type']} | `{row['url']}` | {row['status']} | {row['encoding']} | {row['encoded']} |")
        lines += [
            "",
            f"Counted (Image and Media excluded): {chromium['counted_bytes']} bytes; excluded: "
            f"{chromium['excluded_bytes']} bytes.",
            "",
        ]
    else:
        lines += [f"Chromium measurement skipped: {chromium.get('skipped') or chromium.get('error')}.", ""]
    lines += signed_in_bench.results_section(data["signed_in"])
    lines += progress_bench.results_section(data["progress"])
    lines += ["## Timings of this run", ""]
    lines += [f"- {name}: {seconds:.1f} s" for name, seconds in data["timings"].items()]
    lines.append("")
    write_sections(RESULTS_MD, "\n".join(lines))


# --- Main ----------------------------------------------------------------------------------------


def main() -> int:
    return STACK.main(bench_run)


def bench_run(cleanup) -> int:
    """The whole run; gunicorn and its log are registered on `cleanup` (see harness.frame.guarded)."""
    timings = Timings()
    env = STACK.env()
    tool, loadgen_note = load.choose_loadgen()
    log(f"load generator: {tool}")
    with timings.step("setup (database, static, demo content)"):
        STACK.setup(env)
        targets = stack.find_targets(STACK, env)
        log(f"lesson {targets['lesson_url']} ({targets['lesson_title']}), catalogue {targets['catalogue_url']}")

    with timings.step("gunicorn start until /healthz 200"):
        port = stack.free_port()
        server, health = STACK.start_server(env, port, cleanup)

    headers = dict(BROWSER_HEADERS)
    bypass_headers = {**headers, "Cookie": BYPASS_COOKIE}
    for path in (targets["lesson_url"], targets["catalogue_url"]):
        status, _response, _body = http_get(port, path, headers)
        if status != 200:
            raise BenchError(f"{path} answered {status}")

    with timings.step("unloaded latency probes"):
        sequential = sequential_probes(port, targets, headers, bypass_headers)
        entries = page_cache_entries()
        log(f"page cache entries in Redis: {entries}")

    meter = CpuMeter(server.pid, STACK.db_name)
    meter.start()
    time.sleep(1.5)
    idle_before = meter.stop()
    log(f"machine before the load tests: {idle_before['machine']}% busy ({idle_before['top_others'] or 'idle'})")

    with timings.step("load tests"):
        window = {"port": port, "server_pid": server.pid, "tool": tool, "connections": CONNECTIONS}
        loads = {
            "lesson": load.measure(STACK, "lesson (nl)", path=targets["lesson_url"], headers=headers,
                                   duration=DURATION, warmup=WARMUP, **window),
            "catalogue": load.measure(STACK, "catalogue (nl)", path=targets["catalogue_url"], headers=headers,
                                      duration=DURATION, warmup=WARMUP, **window),
            "lesson_bypass": load.measure(STACK, "lesson (nl), page cache bypassed", path=targets["lesson_url"],
                                          headers=bypass_headers, duration=BYPASS_DURATION,
                                          warmup=min(WARMUP, 2), **window),
        }  # fmt: skip

    with timings.step("transfer measurements"):
        crawl = crawl_transfer(port, targets["lesson_url"])
        log(
            f"transfer (crawl): {crawl['counted_body_bytes']} body bytes + {crawl['counted_header_bytes']} header bytes"
        )
        try:
            chromium = chromium_transfer(port, targets["lesson_url"])
        except Exception as error:  # noqa: BLE001 — the browser figure is a bonus; report why it is missing
            chromium = {"error": f"{error.__class__.__name__}: {str(error).splitlines()[0][:200]}"}
        log(f"transfer (chromium): {chromium.get('counted_bytes', chromium.get('skipped') or chromium.get('error'))}")

    with timings.step("signed-in pages and the bare Wagtail yardstick"):
        signed_in = signed_in_bench.measure_signed_in(
            STACK, env, cleanup, port, server.pid, tool, targets["lesson_url"], CONNECTIONS
        )

    # Last, because it adds 550 pages to the Dutch catalogue that the figures above must not see.
    progress = progress_bench.measure_progress(STACK, env, port, server.pid, tool, timings)

    STACK.stop_server(server)
    timings.total()
    data = {
        "machine": STACK.machine_facts(health),
        "targets": targets,
        "gunicorn_cmd": stack.command_shown(STACK.out_dir / "gunicorn.cmd"),
        "loadgen": tool,
        "loadgen_note": loadgen_note,
        "sequential": sequential,
        "page_cache_entries": entries,
        "idle_before": idle_before,
        "load": {name: asdict(result) for name, result in loads.items()},
        "transfer": {"crawl": crawl, "chromium": chromium},
        "progress": progress,
        "signed_in": signed_in,
        "timings": timings,
    }
    (STACK.out_dir / "results.json").write_text(json.dumps(data, indent=2, default=str))
    write_results(data)
    log(f"wrote its sections of {RESULTS_MD.relative_to(ROOT)} in {timings['total']:.0f} s total")
    lesson = loads["lesson"]
    print()
    print(f"lesson:    {lesson.rps:.0f} req/s, p50 {lesson.p50_ms:.1f} ms, p95 {lesson.p95_ms:.1f} ms, "
          f"errors {lesson.errors}   (target >= {TARGET_RPS} req/s, p95 <= {TARGET_P95_MS} ms)")  # fmt: skip
    cat = loads["catalogue"]
    print(f"catalogue: {cat.rps:.0f} req/s, p50 {cat.p50_ms:.1f} ms, p95 {cat.p95_ms:.1f} ms, errors {cat.errors}")
    print(f"transfer:  {crawl['counted_body_bytes']} bytes compressed (crawl, bodies), "
          f"{chromium.get('counted_bytes', 'n/a')} bytes (Chromium)   (target <= {TARGET_KB} KB)")  # fmt: skip
    ingest = progress["ingest"]
    print(f"ingest:    {ingest['statements_per_s']:.0f} statements/s, batch p50 {ingest['p50_ms']:.1f} ms, "
          f"p95 {ingest['p95_ms']:.1f} ms, errors {ingest['errors']}, COUNT(*) "
          f"{'verified' if ingest['count_verified'] else 'MISMATCH'}   "
          f"(target >= {progress_bench.TARGET_STATEMENTS_PER_S} statements/s)")  # fmt: skip
    for key, ratio in signed_in["ratios"].items():
        print(f"{key}: {ratio:.2f} x the bare Wagtail page ({signed_in['yardstick_rps']:.0f} req/s)")
    learning = progress["my_learning"]
    for connections, result in learning["load"].items():
        print(f"my learning ({connections} conn.): {result['rps']:.0f} req/s, p50 {result['p50_ms']:.1f} ms, "
              f"p95 {result['p95_ms']:.1f} ms, errors {result['errors']}   "
              f"(target p95 <= {progress_bench.TARGET_MY_LEARNING_P95_MS} ms)")  # fmt: skip
    print(f"my learning SQL queries: {learning['many']['queries']} ({learning['many']['modules']} modules) vs "
          f"{learning['few']['queries']} ({learning['few']['modules']} modules)")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
