"""Simulator benchmark: the bytes a browser downloads to start a scenario (`make bench`, after h5p_bench.py).

Run as `.venv/bin/python bench/simulator_bench.py`. Target: the engine and the scenario data, compressed as
transferred, at most 60 KB (60 000 bytes) for every built-in scenario, in Dutch and in Arabic. It writes the
section "Simulators: bytes to start a scenario" of bench/RESULTS.md (only that section: every other byte of
the file stays as it was), raw data and logs under bench/out/simulator/.

Its stack, gunicorn, HTTP, Chromium (DevTools byte recorder, response classification), machine facts, section
writer and run frame come from bench/harness/ (as for every bench): it sends traffic only to 127.0.0.1 and stops
its gunicorn (process group) also on error or Ctrl+C.

1. **Stack.** Database `oefenplein_bench_simulator` dropped and created, Redis db 5 flushed (its own, so it
   can run beside another bench), `migrate`, `collectstatic`
   with STATIC_MANIFEST=true (hashed names, gzip and brotli copies, as production) into a temp dir,
   `load_demo --no-users` (which loads the built-in scenarios), gunicorn as in run.py.
2. **Loads.** For each scenario (sandboxes/scenarios/*.json) and language, the play page
   (`sandboxes:play`, /<lang>/oefenen/<slug>/) in headless Chromium: a new browser context (empty cache),
   HTTP cache disabled through the DevTools protocol, anonymous. Wait until the engine has drawn the first
   screen (the practice mark and the start screen's title visible in the player), then network idle. Every
   response: URL, type, status, content-encoding and `encodedDataLength` (Network.loadingFinished: the body
   as received, still compressed, plus the response headers).
3. **Figures.** (a) engine and scenario data = the HTML document (it carries the scenario's runtime JSON in
   a json_script) + engine.js + guard.js + simulator.css; (b) the whole first load. Beside them, gzip -6
   sizes: the runtime JSON alone (`json.dumps(sandboxes.runtime.scenario_runtime(data, lang),
   separators=(",", ":"))`), the JSON as the page inlines it, the HTML, and engine.js/guard.js/simulator.css
   as served (fetched uncompressed from gunicorn).

Knobs: BENCH_SIMULATOR_DB (database name, default oefenplein_bench_simulator), BENCH_SIMULATOR_REDIS_URL
(redis://127.0.0.1:6379/5), BENCH_SIMULATOR_LANGUAGES (nl,ar), BENCH_PG_URL / CHROMIUM as run.py.
"""

from __future__ import annotations

import gzip
import json
import os
import re
import sys
import time
from urllib.parse import urlsplit

from harness import browser, stack
from harness.frame import ROOT, BenchError, Timings, log
from harness.http_client import BROWSER_HEADERS, decode_body, http_get
from harness.results import RESULTS_MD, kb, write_section

# A database and Redis db of its own, as training_bench.py: it never drops another bench's data under it.
STACK = stack.own_stack("SIMULATOR", "oefenplein_bench_simulator", redis_db=5, out="simulator")
SECTION_HEADING = "## Simulators: bytes to start a scenario"
TARGET_BYTES = 60_000
LANGUAGES = tuple(os.environ.get("BENCH_SIMULATOR_LANGUAGES", "nl,ar").split(","))
ORDER = ("itsme", "doctor", "train", "privacy")  # the built-in scenarios; any other file comes after them
BROWSER_LOCALE = {"nl": "nl-BE", "fr": "fr-BE", "en": "en-GB", "ar": "ar"}
# The player's own static files (sandboxes/templates/sandboxes/includes/player.html), hashed or not.
ENGINE_FILES = {
    "engine.js": re.compile(r"/static/sandboxes/js/engine(\.[0-9a-f]{8,})?\.js$"),
    "guard.js": re.compile(r"/static/sandboxes/js/guard(\.[0-9a-f]{8,})?\.js$"),
    "simulator.css": re.compile(r"/static/sandboxes/css/simulator(\.[0-9a-f]{8,})?\.css$"),
}
ENGINE_SOURCES = {
    "engine.js": "sandboxes/static/sandboxes/js/engine.js",
    "guard.js": "sandboxes/static/sandboxes/js/guard.js",
    "simulator.css": "sandboxes/static/sandboxes/css/simulator.css",
}
INLINE_JSON = re.compile(r'<script id="(sim-data-[^"]*)" type="application/json">(.*?)</script>', re.S)


def gz(data: bytes) -> int:
    return len(gzip.compress(data, 6))


# --- Scenario facts (a Django child with the bench environment) ----------------------------------

SCENARIO_FACTS = r"""
import gzip, json, os
from django.urls import reverse
from django.utils.translation import override
from sandboxes.runtime import scenario_runtime
from sandboxes.selectors import scenario_for_language
from sandboxes.services import scenario_files
facts = []
for path in scenario_files():
    data = json.loads(path.read_text(encoding="utf-8"))
    for language in os.environ["SIM_LANGUAGES"].split(","):
        runtime = scenario_runtime(data, language)
        compact = json.dumps(runtime, separators=(",", ":")).encode()
        utf8 = json.dumps(runtime, separators=(",", ":"), ensure_ascii=False).encode()
        with override(language):
            url = reverse("sandboxes:play", args=[data["slug"]])
        start = next(screen for screen in runtime["screens"] if screen["id"] == runtime["start"])
        facts.append({
            "slug": data["slug"], "language": language, "url": url, "file": path.name,
            "file_bytes": path.stat().st_size, "screens": len(runtime["screens"]),
            "start_title": start.get("title", ""),
            "in_database": scenario_for_language(slug=data["slug"], language=language) is not None,
            "runtime_json_bytes": len(compact), "runtime_json_gzip": len(gzip.compress(compact, 6)),
            "runtime_json_utf8_bytes": len(utf8), "runtime_json_utf8_gzip": len(gzip.compress(utf8, 6)),
        })
print("SIM_FACTS=" + json.dumps(facts))
"""


def scenario_facts(env: dict) -> list[dict]:
    return STACK.manage_json(
        "scenario-facts", SCENARIO_FACTS, {**env, "SIM_LANGUAGES": ",".join(LANGUAGES)}, "SIM_FACTS"
    )


def facts_sorted(facts: list[dict]) -> list[dict]:
    def key(fact: dict) -> tuple:
        slug = fact["slug"]
        return (ORDER.index(slug) if slug in ORDER else len(ORDER), slug, LANGUAGES.index(fact["language"]))

    return sorted(facts, key=key)


# --- Chromium ------------------------------------------------------------------------------------

# The first screen is drawn when the player shows the practice mark (the "mark" UI string) and the start
# screen's title, both read from the page itself (the strings and scenario JSON the engine starts from).
FIRST_SCREEN_EXPECTED = """() => {
  const root = document.querySelector("[data-sim]");
  if (!root) return null;
  const read = (id) => { const node = id && document.getElementById(id); return node ? JSON.parse(node.textContent) : null; };
  const strings = read(root.getAttribute("data-strings")) || {};
  const scenario = read(root.getAttribute("data-scenario")) || {screens: []};
  const start = scenario.screens.find((screen) => screen.id === scenario.start) || {};
  return {mark: strings.mark || "", title: start.title || "", start: scenario.start || ""};
}"""


def first_screen_wait(page, started: float) -> dict:
    expected = page.evaluate(FIRST_SCREEN_EXPECTED)
    if not expected:
        return {"ok": False, "reason": "no [data-sim] element in the page"}
    root = page.locator("[data-sim]").first
    try:
        root.get_by_text(expected["mark"], exact=True).first.wait_for(state="visible", timeout=15_000)
        root.get_by_role("heading", name=expected["title"], exact=True).first.wait_for(state="visible", timeout=15_000)
    except Exception as error:  # noqa: BLE001 — report why, the bytes are still measured
        failed = root.get_attribute("data-sim-error") is not None
        return {
            "ok": False,
            "reason": ("the engine set data-sim-error; " if failed else "")
            + f"{error.__class__.__name__}: {str(error).splitlines()[0][:160]}",
            **expected,
        }
    return {
        "ok": True,
        "seconds": time.perf_counter() - started,
        "ms_since_navigation": page.evaluate("performance.now()"),
        **expected,
    }


def chromium_start_load(chromium, port: int, path: str, language: str) -> dict:
    """One play page with an empty cache: every response (CDP), and when the first screen was drawn."""
    problems: list[str] = []
    context = chromium.new_context(
        locale=BROWSER_LOCALE.get(language, language), viewport={"width": 1280, "height": 900}
    )
    try:
        page = context.new_page()
        recorder = browser.CdpRecorder(context, page)
        page.on("pageerror", lambda error: problems.append(f"page error: {str(error)[:200]}"))
        page.on(
            "console",
            lambda message: (
                problems.append(f"console {message.type}: {message.text[:200]}")
                if message.type in ("error", "warning")
                else None
            ),
        )
        started = time.perf_counter()
        page.goto(f"http://127.0.0.1:{port}{path}", wait_until="domcontentloaded", timeout=30_000)
        rendered = first_screen_wait(page, started)
        page.wait_for_load_state("networkidle", timeout=15_000)
        page.wait_for_timeout(500)
        lang_dir = page.evaluate("[document.documentElement.lang, document.documentElement.dir]")
    finally:
        context.close()
    rows = []
    for r in recorder.http():
        row = {
            "url": r["url"].replace(f"http://127.0.0.1:{port}", ""),
            **recorder.response(r),
            "memory_cache": bool(r.get("memory_cache")),
        }
        row["kind"] = browser.kind_of(row)
        row["part"] = part_of(row, path)
        rows.append(row)
    rows.sort(key=lambda row: (row["part"] is None, -row["encoded"]))
    start_bytes = sum(row["encoded"] for row in rows if row["part"])
    return {
        "path": path,
        "language": language,
        "html_lang_dir": lang_dir,
        "rendered": rendered,
        "problems": problems,
        "rows": rows,
        "parts": {name: sum(r["encoded"] for r in rows if r["part"] == name) for name in ("HTML", *ENGINE_FILES)},
        "start_bytes": start_bytes,
        "total_bytes": sum(row["encoded"] for row in rows),
        "requests": len(rows),
        "accept_encoding": recorder.accept_encoding("?"),
    }


def part_of(row: dict, page_path: str) -> str | None:
    """Which part of "engine and scenario data" a response is, or None for the rest of the page."""
    url_path = urlsplit(row["url"]).path
    if row["type"] == "Document" and url_path == page_path:
        return "HTML"
    for name, pattern in ENGINE_FILES.items():
        if pattern.search(url_path):
            return name
    return None


# --- Sizes beside the browser figures ------------------------------------------------------------


def document_sizes(port: int, path: str, language: str) -> dict:
    """The play page's HTML as served, uncompressed: its size, gzip -6, and the inlined scenario JSON."""
    headers = {**BROWSER_HEADERS, "Accept-Language": f"{language},nl;q=0.5", "Accept-Encoding": "identity"}
    status, response, body = http_get(port, path, headers)
    if status != 200:
        raise BenchError(f"{path} answered {status}")
    body = decode_body(body, response.getheader("Content-Encoding"))
    html = body.decode("utf-8")
    match = INLINE_JSON.search(html)
    inline = match.group(2).encode() if match else b""
    without = (html[: match.start(2)] + html[match.end(2) :]).encode() if match else body
    return {
        "html_bytes": len(body),
        "html_gzip": gz(body),
        "inline_json_bytes": len(inline),
        "inline_json_gzip": gz(inline) if inline else 0,
        "html_without_json_gzip": gz(without),
    }


def engine_file_sizes(port: int, loads: list[dict]) -> dict:
    """engine.js, guard.js, simulator.css as served (uncompressed), their gzip -6, and as transferred."""
    sizes = {}
    for name in ENGINE_FILES:
        row = next((r for load in loads for r in load["rows"] if r["part"] == name and r["encoded"]), None)
        entry = {"source": ENGINE_SOURCES[name]}
        source = ROOT / ENGINE_SOURCES[name]
        if source.exists():
            entry["source_bytes"] = source.stat().st_size
        if row is not None:
            status, _response, body = http_get(port, urlsplit(row["url"]).path, {"Accept-Encoding": "identity"})
            entry.update(url=row["url"], status=status, encoding=row["encoding"], transferred=row["encoded"])
            if status == 200:
                entry.update(served_bytes=len(body), gzip=gz(body))
        elif source.exists():
            data = source.read_bytes()
            entry.update(url="(not loaded by the page)", gzip=gz(data), served_bytes=len(data))
        sizes[name] = entry
    return sizes


def section_lines(data: dict) -> list[str]:
    m = data["machine"]
    loads = data["loads"]
    passed = all(load["start_bytes"] <= TARGET_BYTES for load in loads)
    rendered_all = all(load["rendered"]["ok"] for load in loads)
    worst = max(loads, key=lambda load: load["start_bytes"])
    browser_name = data["browser"]
    lines = [
        SECTION_HEADING,
        "",
        f"Run: {m['date']}, by `bench/simulator_bench.py` (method in its docstring and in [README.md](README.md)); "
        "raw data in `bench/out/simulator/results.json`. Target: the bytes a browser downloads to start a scenario "
        f"(engine and scenario data, compressed) at most 60 KB ({TARGET_BYTES} bytes) for every scenario and language.",
        "",
        f"**Verdict: {'met' if passed else 'MISSED'}**: (a) is {min(x['start_bytes'] for x in loads)} to "
        f"{worst['start_bytes']} bytes (largest: {worst['slug']}, {worst['language']}) against {TARGET_BYTES}"
        + ("" if rendered_all else "; **the engine did not draw the first screen in every load** (see below)")
        + ".",
        "",
        "Method: the stack of run.py on a database and Redis db of its own (PostgreSQL database "
        f"`{data['db']}` dropped and created, Redis {STACK.redis_url} flushed, `migrate`, `collectstatic` with "
        "STATIC_MANIFEST=true into a temp dir, so hashed names and precompressed gzip/brotli copies served by "
        "WhiteNoise as in production, `load_demo --no-users`, which loads the built-in scenarios; gunicorn "
        f"{stack.WORKERS} {stack.WORKER_CLASS} workers x {stack.THREADS} threads on 127.0.0.1). Each play page "
        f"(`sandboxes:play`, `/<lang>/oefenen/<slug>/`) loaded in headless {browser_name} (`{browser.CHROMIUM}`, run.py's "
        f"flags) in a new context, HTTP cache disabled (CDP), anonymous, `Accept-Encoding: {data['accept_encoding']}`; "
        "the load waits until the engine has drawn the first screen (the practice mark and the start screen's "
        "title visible in the player, both read from the page's own JSON), then network idle + 0.5 s. Bytes = "
        "`encodedDataLength` of `Network.loadingFinished` per response: body as received (compressed) plus response "
        "headers. (a) engine and scenario data = the HTML document (it carries the scenario's runtime JSON in a "
        "`json_script`) + engine.js + guard.js + simulator.css; (b) everything the page fetched (site CSS/JS, "
        "favicon, images). KB = 1000 bytes.",
        "",
        "| scenario | lang | HTML | engine.js | guard.js | simulator.css | **(a) engine + scenario data** | target | "
        "(b) whole first load | requests | runtime JSON raw | runtime JSON gzip -6 | first screen drawn |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for load in loads:
        p = load["parts"]
        r = load["rendered"]
        drawn = f"yes, {r['ms_since_navigation']:.0f} ms" if r["ok"] else f"**no**: {r['reason']}"
        verdict = "PASS" if load["start_bytes"] <= TARGET_BYTES else "**FAIL**"
        lines.append(
            f"| {load['slug']} | {load['language']} | {p['HTML']} | {p['engine.js']} | {p['guard.js']} | "
            f"{p['simulator.css']} | **{load['start_bytes']}** ({kb(load['start_bytes'])}) | {verdict} | "
            f"{load['total_bytes']} ({kb(load['total_bytes'])}) | {load['requests']} | "
            f"{load['facts']['runtime_json_bytes']} | {load['facts']['runtime_json_gzip']} | {drawn} |"
        )
    lines += [
        "",
        "HTML, engine.js, guard.js, simulator.css: bytes as transferred (compressed body + headers). Runtime JSON: "
        '`json.dumps(sandboxes.runtime.scenario_runtime(data, lang), separators=(",", ":"))` of the scenario file '
        "(ASCII-escaped, as json.dumps and Django's `json_script` do), and its gzip -6 size. First screen drawn: "
        "`performance.now()` when the check passed (polled, so an upper bound).",
        "",
        "The HTML document in detail (fetched again uncompressed from gunicorn; gzip -6 sizes):",
        "",
        "| scenario | lang | HTML raw | HTML gzip -6 | HTML as transferred | inlined scenario JSON raw | its gzip -6 | "
        "HTML without it, gzip -6 | runtime JSON UTF-8 (not escaped) raw / gzip -6 |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for load in loads:
        d, f = load["document"], load["facts"]
        html_row = next((row for row in load["rows"] if row["part"] == "HTML"), {})
        lines.append(
            f"| {load['slug']} | {load['language']} | {d['html_bytes']} | {d['html_gzip']} | "
            f"{load['parts']['HTML']} ({html_row.get('encoding', '?')}) | {d['inline_json_bytes']} | "
            f"{d['inline_json_gzip']} | {d['html_without_json_gzip']} | "
            f"{f['runtime_json_utf8_bytes']} / {f['runtime_json_utf8_gzip']} |"
        )
    lines += [
        "",
        "The player's static files alone (the same for every scenario; source = the file in the tree at the end of "
        "the run, served = the file collected at setup as gunicorn serves it uncompressed, CSS `url()`s rewritten to "
        "hashed names; gzip -6 of the served file):",
        "",
        "| file | source bytes | served bytes | gzip -6 | as transferred | encoding | URL |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, s in data["engine_files"].items():
        lines.append(
            f"| {name} | {s.get('source_bytes', '?')} | {s.get('served_bytes', '?')} | {s.get('gzip', '?')} | "
            f"{s.get('transferred', '?')} | {s.get('encoding', '?')} | `{s.get('url', '?')}` |"
        )
    lines += ["", *data["findings"], ""]
    problems = [(load, problem) for load in loads for problem in load["problems"]]
    if problems:
        lines += ["Browser console during the loads:", ""]
        lines += [f"- {load['slug']} ({load['language']}): {problem}" for load, problem in problems[:20]]
        lines.append("")
    lines += [
        "Every response of every load (bytes = encodedDataLength; part = counted in (a)):",
        "",
        "| scenario | lang | part | type | URL | status | encoding | bytes |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for load in loads:
        for row in load["rows"]:
            lines.append(
                f"| {load['slug']} | {load['language']} | {row['part'] or ''} | {row['type']} | `{row['url'][:100]}` | "
                f"{row['status']} | {row['encoding']} | {row['encoded']} |"
            )
    lines += ["", f"Run time of this benchmark: {data['timings']['total']:.0f} s ("]
    lines[-1] += ", ".join(f"{name} {seconds:.1f} s" for name, seconds in data["timings"].items() if name != "total")
    lines[-1] += ")."
    lines.append("")
    return lines


def findings(loads: list[dict]) -> list[str]:
    """Which part of (a) weighs most, and what the inlined JSON costs, in words."""
    worst = max(loads, key=lambda load: load["start_bytes"])
    engine_sum = sum(worst["parts"][name] for name in ENGINE_FILES)
    html = worst["parts"]["HTML"]
    d = worst["document"]
    heaviest = max(worst["parts"], key=worst["parts"].get)
    lines = [
        f"Where the bytes of (a) go, for the largest ({worst['slug']}, {worst['language']}, {worst['start_bytes']} "
        f"bytes, {TARGET_BYTES - worst['start_bytes']} under the target): the HTML document {html} bytes "
        f"({100 * html / max(1, worst['start_bytes']):.0f}%), of which the inlined scenario JSON is about "
        f"{d['html_gzip'] - d['html_without_json_gzip']} bytes gzip -6 (the HTML gzips to {d['html_gzip']} with it, "
        f"{d['html_without_json_gzip']} without); engine.js + guard.js + simulator.css {engine_sum} bytes "
        f"({100 * engine_sum / max(1, worst['start_bytes']):.0f}%). The heaviest single part is {heaviest} "
        f"({worst['parts'][heaviest]} bytes)."
    ]
    by_language: dict[str, list[int]] = {}
    for load in loads:
        by_language.setdefault(load["language"], []).append(load["parts"]["HTML"])
    if len(by_language) > 1:
        lines[-1] += (
            " HTML document as transferred, per language (min-max): "
            + ", ".join(f"{language} {min(values)}-{max(values)}" for language, values in by_language.items())
            + " bytes."
        )
    escaped = [
        load for load in loads if load["facts"]["runtime_json_bytes"] > 1.5 * load["facts"]["runtime_json_utf8_bytes"]
    ]
    if escaped:
        extra = [x["facts"]["runtime_json_gzip"] - x["facts"]["runtime_json_utf8_gzip"] for x in escaped]
        ratio = [x["facts"]["runtime_json_bytes"] / x["facts"]["runtime_json_utf8_bytes"] for x in escaped]
        lines += [
            "",
            f"Non-Latin text ({', '.join(sorted({x['language'] for x in escaped}))}): `json_script` (like `json.dumps`) "
            f"writes every non-ASCII character as a `\\uXXXX` escape, so the inlined JSON is {min(ratio):.1f}-"
            f"{max(ratio):.1f}x its UTF-8 size; after gzip that costs {min(extra)}-{max(extra)} bytes per page "
            "(runtime JSON gzip -6 escaped minus UTF-8). Small against the target; not changed here.",
        ]
    over = [load for load in loads if load["start_bytes"] > TARGET_BYTES]
    if over:
        lines += [
            "",
            "**Over the target**: "
            + ", ".join(
                f"{x['slug']} ({x['language']}) {x['start_bytes']} bytes, heaviest part "
                f"{max(x['parts'], key=x['parts'].get)} {max(x['parts'].values())} bytes"
                for x in over
            )
            + ". Nothing was changed here: the engine and scenario files belong to the simulator work.",
        ]
    return lines


def chromium_loads(port: int, facts: list[dict]) -> tuple[list[dict], str]:
    """Every scenario's play page in every language, one headless Chromium; the loads and its version."""
    loads = []
    with browser.launched() as chromium:
        version = chromium.version
        for fact in facts:
            load = chromium_start_load(chromium, port, fact["url"], fact["language"])
            load.update(slug=fact["slug"], facts=fact)
            if not load["parts"]["HTML"]:
                raise BenchError(f"{fact['url']}: the document was not seen ({load['rows'][:3]})")
            loads.append(load)
            verdict = "PASS" if load["start_bytes"] <= TARGET_BYTES else "FAIL"
            drawn = "drawn" if load["rendered"]["ok"] else f"NOT drawn ({load['rendered']['reason']})"
            log(
                f"{fact['slug']:8} {fact['language']}: (a) {load['start_bytes']} bytes {verdict}, "
                f"whole load {load['total_bytes']} bytes in {load['requests']} requests, first screen {drawn}"
            )
    return loads, version


# --- Main ----------------------------------------------------------------------------------------


def main() -> int:
    return STACK.main(bench_run, one_line_unexpected=True)


def bench_run(cleanup) -> int:
    """The whole run; gunicorn, its log and the temp dir are registered on `cleanup` (harness.frame.guarded)."""
    timings = Timings()
    if not browser.CHROMIUM.exists():
        raise BenchError(f"{browser.CHROMIUM} not found: this benchmark needs a browser")
    env, _temp = STACK.temp_env(cleanup, "oefenplein-simulator-bench-")
    with timings.step("setup (database, static, demo content)"):
        STACK.setup(env)
        facts = facts_sorted(scenario_facts(env))
        if not all(fact["in_database"] for fact in facts):
            STACK.run_step("load_scenarios", [sys.executable, "manage.py", "load_scenarios"], env)
            facts = facts_sorted(scenario_facts(env))
        missing = [f"{fact['slug']} ({fact['language']})" for fact in facts if not fact["in_database"]]
        if missing:
            raise BenchError(f"scenarios missing after loading: {', '.join(missing)}")

    with timings.step("gunicorn start until /healthz 200"):
        port = stack.free_port()
        server, health = STACK.start_server(env, port, cleanup)

    with timings.step("Chromium loads"):
        loads, version = chromium_loads(port, facts)

    with timings.step("gzip -6 sizes"):
        for load in loads:
            load["document"] = document_sizes(port, load["path"], load["language"])
        engine = engine_file_sizes(port, loads)
    STACK.stop_server(server)
    timings.total()
    data = {
        "machine": STACK.machine_facts(health),
        "db": STACK.db_name,
        "browser": f"Chromium {version}",
        "accept_encoding": next((x["accept_encoding"] for x in loads if x["accept_encoding"] != "?"), "?"),
        "target_bytes": TARGET_BYTES,
        "loads": loads,
        "engine_files": engine,
        "findings": findings(loads),
        "timings": timings,
    }
    (STACK.out_dir / "results.json").write_text(json.dumps(data, indent=2, default=str))
    write_section(RESULTS_MD, "\n".join(section_lines(data)))
    log(f"wrote the section {SECTION_HEADING[3:]!r} of {RESULTS_MD.relative_to(ROOT)} in {timings['total']:.0f} s")
    print()
    print(f"{'scenario':10} {'lang':4} {'HTML':>6} {'engine':>6} {'guard':>6} {'css':>6} {'(a)':>7}  target   (b)")
    for load in loads:
        p = load["parts"]
        verdict = "PASS" if load["start_bytes"] <= TARGET_BYTES else "FAIL"
        print(
            f"{load['slug']:10} {load['language']:4} {p['HTML']:>6} {p['engine.js']:>6} {p['guard.js']:>6} "
            f"{p['simulator.css']:>6} {load['start_bytes']:>7}  {verdict:6} {load['total_bytes']:>6}"
            + ("" if load["rendered"]["ok"] else "  (first screen NOT drawn)")
        )
    passed = all(load["start_bytes"] <= TARGET_BYTES for load in loads)
    print(f"simulators: engine + scenario data <= {TARGET_BYTES} bytes: {'PASS' if passed else 'FAIL'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
