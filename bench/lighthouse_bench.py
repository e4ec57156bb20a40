"""Lighthouse (mobile) benchmark: performance and accessibility of home, a lesson and a simulator (`make bench`).

Run as `.venv/bin/python bench/lighthouse_bench.py`. Targets, per page: Lighthouse accessibility 100 and
performance >= 95, with Lighthouse's default mobile settings (Moto G Power screen emulation, simulated slow 4G
and 4x CPU slowdown). It writes the section "Lighthouse (mobile)" of bench/RESULTS.md (only that section: every
other byte of the file stays as it was), raw reports and logs under bench/out/lighthouse/.

1. **Stack.** As bench/run.py (bench/harness/stack.py): database `oefenplein_bench_lighthouse` dropped and created, Redis
   db 7 flushed (its own, so it never drops another bench's data), `migrate`, `collectstatic` with
   STATIC_MANIFEST=true (hashed names, gzip and brotli copies) into a temp dir, `load_demo --no-users`,
   gunicorn as in run.py on 127.0.0.1.
2. **Pages** (Dutch, anonymous): the home page, the text lesson run.py measures (first Dutch lesson in tree
   order without figure or video blocks) and the train simulator (`/nl/oefenen/train/`).
3. **Lighthouse** from npm (`node_modules/.bin/lighthouse`, pinned in package.json) against Debian's Chromium:
   `--chrome-path=/usr/bin/chromium --chrome-flags="--headless=new --no-sandbox ..."
   --only-categories=performance,accessibility --form-factor=mobile --output=json`, 3 runs per page. The run
   with the median performance score is reported (Lighthouse's own advice for its variance), with the
   scores of all 3 beside it. Figures: performance and accessibility score, LCP, TBT, CLS, total bytes
   transferred (the `total-byte-weight` audit, which sums the transfer size of every request), request count.
4. **Only 127.0.0.1.** The `network-requests` audit of every report lists each request: any URL outside
   http://127.0.0.1:<port> fails the run.

Knobs: BENCH_LIGHTHOUSE_DB (oefenplein_bench_lighthouse), BENCH_LIGHTHOUSE_REDIS_URL
(redis://127.0.0.1:6379/7), BENCH_LIGHTHOUSE_RUNS (3), BENCH_PG_URL / CHROMIUM as run.py.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from urllib.parse import urlsplit

from harness import stack
from harness.browser import CHROMIUM
from harness.frame import ROOT, BenchError, log
from harness.http_client import http_get
from harness.results import RESULTS_MD, write_section

STACK = stack.own_stack("LIGHTHOUSE", "oefenplein_bench_lighthouse", redis_db=7, out="lighthouse")
OUT_DIR = STACK.out_dir
SECTION_HEADING = "## Lighthouse (mobile)"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
RUNS = int(os.environ.get("BENCH_LIGHTHOUSE_RUNS", "3"))
TARGET_ACCESSIBILITY = 100
TARGET_PERFORMANCE = 95
CHROME_FLAGS = "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run " + (
    "--disable-background-networking --disable-component-update --disable-sync"
)

PAGE_FACTS = r"""
import json
from django.urls import reverse
from django.utils.translation import override
from wagtail.models import Locale
from lessons.models import HomePage
home = HomePage.objects.live().get(locale=Locale.objects.get(language_code="nl"))
with override("nl"):
    simulator = reverse("sandboxes:play", args=["train"])
print("LH_PAGES=" + json.dumps({"home": home.get_url(), "simulator": simulator}))
"""


def page_paths(env: dict) -> dict:
    targets = stack.find_targets(STACK, env)
    facts = STACK.manage_json("page-facts", PAGE_FACTS, env, "LH_PAGES")
    return {
        "home": (facts["home"], "Dutch home page"),
        "lesson": (targets["lesson_url"], f"Dutch text lesson \u201c{targets['lesson_title']}\u201d"),
        "simulator": (facts["simulator"], "Dutch simulator (train)"),
    }


def lighthouse_version() -> str:
    return subprocess.run([str(LIGHTHOUSE), "--version"], capture_output=True, text=True, timeout=60).stdout.strip()


def lighthouse_run(url: str, name: str, number: int, attempts: int = 3) -> dict:
    """One Lighthouse run; a run Lighthouse itself gives up on (e.g. NO_NAVSTART: no trace) is tried again."""
    for attempt in range(1, attempts + 1):
        try:
            return lighthouse_attempt(url, name, number)
        except BenchError as error:
            if attempt == attempts:
                raise
            log(f"{name} run {number}, attempt {attempt}: {str(error).splitlines()[-1][:200]}; trying again")
    raise AssertionError("unreachable")


def lighthouse_attempt(url: str, name: str, number: int) -> dict:
    """One Lighthouse run; returns the figures and the path of the JSON report."""
    report_path = OUT_DIR / f"{name}-{number}.json"
    args = [
        str(LIGHTHOUSE),
        url,
        f"--chrome-path={CHROMIUM}",
        f"--chrome-flags={CHROME_FLAGS}",
        "--only-categories=performance,accessibility",
        "--form-factor=mobile",
        "--output=json",
        f"--output-path={report_path}",
        "--quiet",
    ]
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HTTP_PROXY", "HTTPS_PROXY", "http_", "https_"))}
    env["CHROME_PATH"] = str(CHROMIUM)
    started = time.perf_counter()
    report_path.unlink(missing_ok=True)
    proc = stack.run_logged(args, env, OUT_DIR / f"{name}-{number}.log", timeout=240)
    if proc.returncode != 0 or not report_path.exists():
        tail = "\n".join((proc.stdout + proc.stderr).splitlines()[-20:])
        raise BenchError(f"lighthouse {name} run {number} failed (exit {proc.returncode})\n{tail}")
    report = json.loads(report_path.read_text())
    figures = report_figures(report, url)
    figures["seconds"] = time.perf_counter() - started
    figures["report"] = str(report_path.relative_to(ROOT))
    return figures


def report_figures(report: dict, url: str) -> dict:
    audits = report["audits"]
    categories = report["categories"]
    if report.get("runtimeError"):
        raise BenchError(f"lighthouse runtime error on {url}: {report['runtimeError']}")

    def numeric(audit_id: str) -> float | None:
        return audits.get(audit_id, {}).get("numericValue")

    requests = (audits.get("network-requests", {}).get("details") or {}).get("items", [])
    origin = f"{urlsplit(url).scheme}://{urlsplit(url).netloc}"
    foreign = sorted({item["url"] for item in requests if not item["url"].startswith((origin + "/", "data:"))})

    def failing(category: str) -> list[dict]:
        """The audits of a category that lose points (weight > 0, score < 1), with what Lighthouse says."""
        rows = []
        for ref in categories[category]["auditRefs"]:
            audit = audits.get(ref["id"], {})
            if ref.get("weight", 0) > 0 and audit.get("score") is not None and audit["score"] < 1:
                items = (audit.get("details") or {}).get("items", [])
                rows.append(
                    {
                        "id": ref["id"],
                        "title": audit.get("title", ""),
                        "score": audit["score"],
                        "weight": ref["weight"],
                        "display": audit.get("displayValue", ""),
                        "items": [
                            (item.get("node") or {}).get("snippet") or item.get("url") or str(item)[:200]
                            for item in items[:5]
                        ],
                    }
                )
        return rows

    opportunities = []
    for audit_id, audit in audits.items():
        details = audit.get("details") or {}
        saving = details.get("overallSavingsMs") or 0
        if audit.get("score") is not None and audit["score"] < 0.9 and saving >= 50:
            opportunities.append({"id": audit_id, "title": audit.get("title", ""), "savings_ms": round(saving)})
    return {
        "performance": round(categories["performance"]["score"] * 100),
        "accessibility": round(categories["accessibility"]["score"] * 100),
        "lcp_ms": numeric("largest-contentful-paint"),
        "fcp_ms": numeric("first-contentful-paint"),
        "tbt_ms": numeric("total-blocking-time"),
        "cls": numeric("cumulative-layout-shift"),
        "speed_index_ms": numeric("speed-index"),
        "total_bytes": numeric("total-byte-weight"),
        "requests": len(requests),
        "foreign_requests": foreign,
        "final_url": report.get("finalDisplayedUrl") or report.get("finalUrl"),
        "lighthouse": report.get("lighthouseVersion"),
        "user_agent": report.get("environment", {}).get("hostUserAgent", ""),
        "failing_performance": failing("performance"),
        "failing_accessibility": failing("accessibility"),
        "opportunities": sorted(opportunities, key=lambda row: -row["savings_ms"]),
    }


def median_run(runs: list[dict]) -> dict:
    """The run whose performance score is the median (ties: the one with the median LCP)."""
    ordered = sorted(runs, key=lambda run: (run["performance"], -(run["lcp_ms"] or 0)))
    return ordered[len(ordered) // 2]


# --- RESULTS.md: only this section (harness.results.write_section) ---------------------------------------


def passes(row: dict) -> bool:
    return row["accessibility"] >= TARGET_ACCESSIBILITY and row["performance"] >= TARGET_PERFORMANCE


def section_lines(data: dict) -> list[str]:
    m = data["machine"]
    pages = data["pages"]
    lines = [
        SECTION_HEADING,
        "",
        f"Run on {data['date']} by `bench/lighthouse_bench.py` (step of `make bench`). Lighthouse "
        f"{data['lighthouse']} from npm (pinned in package.json), Node {data['node']}, against Debian's "
        f"{data['browser']}; machine: {m.get('nproc', '?')} cores, {m.get('cpu', '?')}. Stack as run.py: gunicorn "
        f"(2 gthread workers), PostgreSQL `{data['db']}`, Redis {data['redis']}, static files as in production "
        "(hashed names, precompressed, WhiteNoise). Anonymous visitor, Dutch.",
        "",
        "Lighthouse's default mobile settings: Moto G Power screen (412 x 823, DPR 1.75), simulated throttling "
        "(slow 4G: 150 ms RTT, 1.6 Mbit/s down; 4x CPU slowdown). "
        f"{data['runs']} runs per page; the run with the median performance score is reported. Targets: "
        f"accessibility {TARGET_ACCESSIBILITY}, performance >= {TARGET_PERFORMANCE}.",
        "",
        "| page | performance | accessibility | LCP | TBT | CLS | bytes transferred | requests | verdict |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for page in pages.values():
        row = page["median"]
        all_perf = ", ".join(str(run["performance"]) for run in page["runs"])
        lines.append(
            f"| {page['label']} (`{page['path']}`) | {row['performance']} ({all_perf}) | {row['accessibility']} | "
            f"{row['lcp_ms'] / 1000:.2f} s | {row['tbt_ms']:.0f} ms | {row['cls']:.3f} | "
            f"{row['total_bytes']:,.0f} | {row['requests']} | {'PASS' if passes(row) else 'FAIL'} |"
        )
    all_pass = all(passes(page["median"]) for page in pages.values())
    foreign = sorted({url for page in pages.values() for run in page["runs"] for url in run["foreign_requests"]})
    lines += [
        "",
        f"**Verdict: {'PASS' if all_pass else 'FAIL'}** (accessibility {TARGET_ACCESSIBILITY} and performance >= "
        f"{TARGET_PERFORMANCE} on every page).",
        "",
        "Requests outside 127.0.0.1 (the `network-requests` audit of all "
        f"{sum(len(page['runs']) for page in pages.values())} reports): "
        + ("none." if not foreign else ", ".join(f"`{url}`" for url in foreign) + " **(FAIL)**"),
        "",
        "Bytes transferred: Lighthouse's `total-byte-weight` (transfer sizes, compressed as sent, headers included, "
        "images and fonts included; Lighthouse's Chromium loads with an empty cache).",
    ]
    notes = []
    for page in pages.values():
        row = page["median"]
        for audit in row["failing_accessibility"]:
            notes.append(f"- {page['label']}: accessibility audit `{audit['id']}` ({audit['title']}) fails: "
                         + "; ".join(f"`{item[:120]}`" for item in audit["items"]))  # fmt: skip
        for audit in row["failing_performance"]:
            if audit["score"] < 0.9:
                notes.append(
                    f"- {page['label']}: `{audit['id']}` {audit['display']} (score {audit['score']:.2f}, "
                    f"weight {audit['weight']})"
                )
        for opportunity in row["opportunities"][:3]:
            notes.append(
                f"- {page['label']}: opportunity `{opportunity['id']}` ({opportunity['title']}), "
                f"about {opportunity['savings_ms']} ms"
            )
    if notes:
        lines += ["", "What costs points (median runs):", "", *notes]
    lines += [
        "",
        "Raw reports: `bench/out/lighthouse/<page>-<run>.json` (ignored by git).",
    ]
    return lines


def main() -> int:
    return STACK.main(bench_run)


def bench_run(cleanup) -> int:
    """The whole run; gunicorn, its log and the temp dir are registered on `cleanup` (harness.frame.guarded)."""
    if not CHROMIUM.exists():
        raise BenchError(f"{CHROMIUM} not found: Lighthouse needs a browser")
    if not LIGHTHOUSE.exists():
        raise BenchError(f"{LIGHTHOUSE} not found: run `npm ci`")
    env, _temp = STACK.temp_env(cleanup, "oefenplein-lighthouse-bench-")
    STACK.setup(env)
    paths = page_paths(env)

    port = stack.free_port()
    server, health = STACK.start_server(env, port, cleanup)

    version = lighthouse_version()
    pages = {}
    for name, (path, label) in paths.items():
        url = f"http://127.0.0.1:{port}{path}"
        http_get(port, path, {"Accept-Encoding": "gzip, br", "Accept-Language": "nl"})  # fill the cache
        runs = []
        for number in range(1, RUNS + 1):
            figures = lighthouse_run(url, name, number)
            runs.append(figures)
            log(
                f"{name} run {number}: performance {figures['performance']}, accessibility "
                f"{figures['accessibility']}, LCP {figures['lcp_ms']:.0f} ms, TBT {figures['tbt_ms']:.0f} ms, "
                f"CLS {figures['cls']:.3f}, {figures['total_bytes']:.0f} bytes in {figures['requests']} requests"
                + (f", FOREIGN {figures['foreign_requests']}" if figures["foreign_requests"] else "")
            )
        pages[name] = {"path": path, "label": label, "runs": runs, "median": median_run(runs)}
    STACK.stop_server(server)
    node = subprocess.run(["node", "--version"], capture_output=True, text=True, timeout=30).stdout.strip()
    data = {
        "date": time.strftime("%Y-%m-%d %H:%M %Z"),
        "machine": STACK.machine_facts(health),
        "db": STACK.db_name,
        "redis": STACK.redis_url,
        "lighthouse": version,
        "node": node.lstrip("v"),
        "browser": subprocess.run(
            [str(CHROMIUM), "--version"], capture_output=True, text=True, timeout=30
        ).stdout.strip(),
        "runs": RUNS,
        "pages": pages,
    }
    (OUT_DIR / "results.json").write_text(json.dumps(data, indent=2, default=str))
    write_section(RESULTS_MD, "\n".join(section_lines(data)))
    log(f"wrote the section {SECTION_HEADING[3:]!r} of {RESULTS_MD.relative_to(ROOT)}")
    print()
    for name, page in pages.items():
        row = page["median"]
        print(
            f"{name:10} performance {row['performance']:3} (runs {[run['performance'] for run in page['runs']]}) "
            f"accessibility {row['accessibility']:3}  LCP {row['lcp_ms'] / 1000:.2f} s  TBT {row['tbt_ms']:.0f} ms"
            f"  CLS {row['cls']:.3f}  {row['total_bytes']:,.0f} bytes  {'PASS' if passes(row) else 'FAIL'}"
        )
    foreign = [url for page in pages.values() for run in page["runs"] for url in run["foreign_requests"]]
    if foreign:
        log(f"FAILED: requests outside 127.0.0.1: {sorted(set(foreign))}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
