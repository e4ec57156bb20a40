"""H5P benchmark: import cost of a large package, and what a browser downloads for an H5P lesson.

Run as `.venv/bin/python bench/h5p_bench.py`; it writes bench/RESULTS-h5p.md (logs under bench/out/h5p/).
Its stack, gunicorn, Chromium and run frame come from bench/harness/ (as for every bench): it sends traffic
only to 127.0.0.1 and stops its gunicorn (process group) also on error or Ctrl+C.

1. **Import.** A ~50 MB `.h5p` (the runnable H5P.OefenVraag library of tests/h5p/builders.py, incompressible
   random mp4/mp3/png files under content/, some compressible JSON) is written to a temp file. Each run is
   a fresh subprocess with the bench environment (REDIS_URL unset, so Celery runs eagerly in-process;
   MEDIA_ROOT a fresh temp dir): `content_upload` (the hand-off, `import_start`, replaced by a no-op), then the task
   body `h5p_import` -> `content_import`, timed per phase (upload save, validation, storage + database).
   Memory: the peak RSS above the baseline after Django setup, per phase (VmHWM from /proc/self/status,
   reset between phases through /proc/self/clear_refs) and overall (getrusage ru_maxrss), and in a separate
   run the tracemalloc peak of Python allocations per phase. Two more packages tell whether memory grows
   with the package or with its largest member.
2. **Transfer.** gunicorn as in run.py, the site on http://127.0.0.1:<port>, the player on
   http://localhost:<port>; the minimal package imported, a Dutch text lesson loaded in headless Chromium
   before and after an H5P block is added (empty cache), summing encodedDataLength of every response
   (CDP Network.loadingFinished) of all frames, split by origin and type.

Knobs: BENCH_H5P_DB (database name, default oefenplein_bench), BENCH_REDIS_URL / BENCH_PG_URL as run.py,
BENCH_H5P_RUNS (3), BENCH_H5P_MB (50).
"""

from __future__ import annotations

import gzip
import json
import os
import random
import resource
import shutil
import statistics
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

from harness import browser, inside_django, stack
from harness.frame import BENCH_DIR, OUT_ROOT, ROOT, BenchError, Timings, log
from harness.http_client import http_get
from harness.results import kb

STACK = stack.Stack(
    db_name=os.environ.get("BENCH_H5P_DB") or os.environ.get("BENCH_DB_NAME", "oefenplein_bench"),
    redis_url=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/2"),
    out_dir=OUT_ROOT / "h5p",
)
RESULTS_MD = BENCH_DIR / "RESULTS-h5p.md"
RUNS = int(os.environ.get("BENCH_H5P_RUNS", "3"))
PACKAGE_MB = float(os.environ.get("BENCH_H5P_MB", "50"))
MIB = 1024 * 1024


# --- The package ---------------------------------------------------------------------------------


def package_plan(total_mb: float, *, small_files: bool = False) -> list[tuple[str, int]]:
    """(name, bytes) of the incompressible media: 2 videos, 4 sound files, 8 images, scaled to total_mb.

    With small_files, the same total cut into 1 MiB files: the largest member is then 1 MiB.
    """
    scale = total_mb / 50
    if small_files:
        count = max(1, round(total_mb * 1e6 / MIB) - 2)
        return [(f"content/images/tile-{i:03d}.png", MIB) for i in range(count)]
    plan = [(f"content/videos/clip-{i}.mp4", int(14 * MIB * scale)) for i in range(2)]
    plan += [(f"content/audios/track-{i}.mp3", int(3 * MIB * scale)) for i in range(4)]
    plan += [(f"content/images/slide-{i}.png", int(MIB * scale)) for i in range(8)]
    return plan


def package_write(path: Path, total_mb: float, *, small_files: bool = False) -> dict:
    """Write a runnable package straight to disk (never the whole archive in memory); describe it."""
    sys.path.insert(0, str(ROOT))
    from tests.h5p import builders

    rng = random.Random(20261126)
    files = builders.minimal_files()
    content = json.loads(files["content/content.json"])
    # Compressible JSON: a long transcript in content.json (parsed by the validator) and a data file (not).
    content["transcript"] = [{"t": i, "text": f"Zin {i}: tik op de groene knop om je bericht te versturen."} for i in range(12000)]  # fmt: skip
    files["content/content.json"] = json.dumps(content).encode()
    files["content/data/glossary.json"] = json.dumps(
        {f"woord-{i}": "Een woord dat in de les vaak terugkomt, met uitleg." * 3 for i in range(8000)}
    ).encode()
    largest = max(len(data) for data in files.values())
    uncompressed = sum(len(data) for data in files.values())
    media = package_plan(total_mb - 1.5, small_files=small_files)
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        for name, size in media:
            with archive.open(name, "w") as member:
                left = size
                while left:
                    chunk = rng.randbytes(min(left, MIB))
                    member.write(chunk)
                    left -= len(chunk)
            largest = max(largest, size)
            uncompressed += size
    return {
        "path": str(path),
        "archive_bytes": path.stat().st_size,
        "uncompressed_bytes": uncompressed,
        "members": len(files) + len(media),
        "largest_member_bytes": largest,
        "json_bytes": len(files["content/content.json"]) + len(files["content/data/glossary.json"]),
    }


# --- Import child (a fresh process per run) ------------------------------------------------------


def _status_kib(field: str) -> int:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _hwm_reset() -> bool:
    """Reset the process's peak RSS (VmHWM) so the next phase's peak can be read on its own."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
        return True
    except OSError:
        return False


def import_child(package: str, use_tracemalloc: bool) -> None:
    inside_django.django_setup()
    import gc
    import tracemalloc
    from unittest import mock

    from django.contrib.auth import get_user_model
    from django.core.files import File

    import h5p.services as services
    from h5p import tasks
    from h5p.models import H5PContent, H5PLibrary, ImportStatus
    from h5p.storage import h5p_storage

    H5PContent.objects.all().delete()  # a clean slate: each run installs the library anew
    H5PLibrary.objects.all().delete()
    user, _ = get_user_model().objects.get_or_create(username="bench-h5p-manager", defaults={"is_superuser": True})
    assert user.has_perm(services.INSTALL_PERMISSION)
    gc.collect()
    base = {"rss_kib": _status_kib("VmRSS"), "hwm_kib": _status_kib("VmHWM")}
    base["ru_maxrss_kib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    phases: dict[str, dict] = {}
    resettable = _hwm_reset()

    def phase_end(name: str, started: float) -> None:
        phases[name] = {
            "seconds": time.perf_counter() - started,
            "peak_rss_above_base_kib": _status_kib("VmHWM") - base["rss_kib"],
        }
        if use_tracemalloc:
            phases[name]["tracemalloc_peak_bytes"] = tracemalloc.get_traced_memory()[1]
            tracemalloc.reset_peak()
        _hwm_reset()

    if use_tracemalloc:
        tracemalloc.start()
    real_validate = services.package_validate
    marks: dict[str, float] = {}

    def timed_validate(**kwargs):
        if use_tracemalloc:
            tracemalloc.reset_peak()
        _hwm_reset()
        started = time.perf_counter()
        try:
            return real_validate(**kwargs)
        finally:
            phase_end("validation", started)
            marks["validated"] = time.perf_counter()

    queued = []
    started = time.perf_counter()
    no_celery = mock.patch.object(services, "import_start", lambda **k: queued.append(k))
    with no_celery, open(package, "rb") as handle:
        content = services.content_upload(
            user=user, title="Bench: groot pakket", uploaded_file=File(handle, name="groot.h5p")
        )
    phase_end("upload (content_upload)", started)
    assert queued, "content_upload did not hand the import to Celery"
    started = time.perf_counter()
    with mock.patch.object(services, "package_validate", timed_validate):
        status = tasks.h5p_import(content.pk, language="nl")  # the Celery task's body, in this process
    finished = time.perf_counter()
    phases["storage (files + database)"] = {
        "seconds": finished - marks.get("validated", started),
        "peak_rss_above_base_kib": _status_kib("VmHWM") - base["rss_kib"],
    }
    if use_tracemalloc:
        phases["storage (files + database)"]["tracemalloc_peak_bytes"] = tracemalloc.get_traced_memory()[1]
    import_seconds = finished - started

    content.refresh_from_db()
    stored, stored_bytes = 0, 0
    with zipfile.ZipFile(package) as archive:
        expected = {info.filename: info.file_size for info in archive.infolist() if not info.is_dir()}
    for name, size in expected.items():
        top = name.split("/", 1)[0]
        target = (content.storage_prefix if name == "h5p.json" or top == "content" else services.LIBRARY_ROOT) + name
        if h5p_storage.exists(target) and h5p_storage.size(target) == size:
            stored += 1
            stored_bytes += size
    result = {
        "status": status,
        "ready": content.status == ImportStatus.READY,
        "errors": content.errors,
        "files_expected": len(expected),
        "files_stored": stored,
        "bytes_stored": stored_bytes,
        "upload_deleted": not content.upload,
        "libraries": H5PLibrary.objects.count(),
        "import_seconds": import_seconds,
        "phases": phases,
        "baseline": base,
        "ru_maxrss_above_base_kib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - base["ru_maxrss_kib"],
        "hwm_resettable": resettable,
        "tracemalloc": use_tracemalloc,
    }
    print("H5P_IMPORT=" + json.dumps(result))


def import_run(env: dict, package: dict, media_parent: Path, *, use_tracemalloc: bool, label: str) -> dict:
    media = Path(tempfile.mkdtemp(prefix="media-", dir=media_parent))
    child_env = {**env, "MEDIA_ROOT": str(media / "media"), "H5P_ROOT": str(media / "h5p")}
    child_env.pop("REDIS_URL", None)  # Celery eager, locmem cache: the import runs in this subprocess
    args = [sys.executable, str(Path(__file__).resolve()), "import-child", package["path"]]
    if use_tracemalloc:
        args.append("--tracemalloc")
    started = time.perf_counter()
    result = STACK.child_json(label, args, child_env, "H5P_IMPORT", timeout=120)
    result["process_seconds"] = time.perf_counter() - started
    shutil.rmtree(media, ignore_errors=True)
    if not (result["ready"] and result["files_stored"] == result["files_expected"]):
        raise BenchError(f"{label}: import not complete: {json.dumps(result)[:600]}")
    return result


# --- Lesson setup child --------------------------------------------------------------------------

SETUP_LESSON = r"""
import json, os, sys
sys.path.insert(0, ".")
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from wagtail.models import Locale
from h5p.services import content_upload, import_threads_wait
from h5p.models import H5PContent
from lessons.models import LessonPage
from tests.h5p import builders
from tests.h5p.player_support import h5p_block_add
mode = os.environ["H5P_BENCH_SETUP"]
nl = Locale.objects.get(language_code="nl")
lessons = list(LessonPage.objects.live().filter(locale=nl).order_by("path"))
def media_blocks(page):
    return sum(1 for block in page.body if block.block_type in ("figure", "video"))
lesson = ([p for p in lessons if media_blocks(p) == 0] or lessons)[0]
if mode == "add-block":
    content = H5PContent.objects.get(title="Bench: oefenvraag")
    h5p_block_add(LessonPage.objects.get(pk=lesson.pk), content)
    lesson = LessonPage.objects.get(pk=lesson.pk)
else:
    from h5p.models import H5PLibrary
    H5PContent.objects.all().delete()  # the import runs' rows point at files in their deleted temp dirs
    H5PLibrary.objects.all().delete()
    user, _ = get_user_model().objects.get_or_create(username="bench-h5p-manager", defaults={"is_superuser": True})
    content = content_upload(user=user, title="Bench: oefenvraag",
                             uploaded_file=SimpleUploadedFile("oefenvraag.h5p", builders.minimal_package()))
    import_threads_wait()  # tasks run eagerly: the import runs in a background thread, not in the upload
    content.refresh_from_db()
print("H5P_LESSON=" + json.dumps({"lesson_url": lesson.get_url(), "lesson_title": lesson.title,
    "blocks": [b.block_type for b in lesson.body], "content_key": str(content.key), "status": content.status,
    "package_bytes": len(builders.minimal_package())}))
"""


def setup_lesson(env: dict, mode: str) -> dict:
    return STACK.manage_json(f"lesson-{mode}", SETUP_LESSON, {**env, "H5P_BENCH_SETUP": mode}, "H5P_LESSON")


# --- Chromium ------------------------------------------------------------------------------------


def chromium_load(port: int, path: str, site: str, player: str, *, wait_exercise: bool) -> dict:
    pw_sizes: list[dict] = []
    # Without site isolation the player's frame (another site) shares the page's renderer, so the page's
    # CDP session sees its requests too; what is downloaded does not change.
    with browser.launched(("--disable-site-isolation-trials",)) as chromium:
        context = chromium.new_context(locale="nl-BE", viewport={"width": 1280, "height": 900})
        page = context.new_page()
        recorder = browser.CdpRecorder(context, page)

        def on_pw_finished(request):
            try:
                sizes = request.sizes()
                pw_sizes.append({"url": request.url, "bytes": sizes["responseBodySize"] + sizes["responseHeadersSize"]})
            except Exception:  # noqa: BLE001 — a cross-check only
                pass

        page.on("requestfinished", on_pw_finished)
        started = time.perf_counter()
        page.goto(f"{site}{path}", wait_until="load", timeout=30_000)
        rendered = None
        if wait_exercise:
            frame = page.locator("iframe.h5p-frame")
            frame.scroll_into_view_if_needed(timeout=10_000)  # the frame is loading="lazy"
            question = (
                page.frame_locator("iframe.h5p-frame")
                .frame_locator("iframe.h5p-iframe")
                .locator(".h5p-oefenvraag-question")
            )
            question.wait_for(timeout=30_000)
            rendered = {"question": question.inner_text(), "seconds": time.perf_counter() - started}
        page.wait_for_load_state("networkidle", timeout=15_000)
        page.wait_for_timeout(500)
        version = chromium.version
    rows = []
    for r in recorder.http():
        url = r["url"]
        origin = "site" if url.startswith(site + "/") else "player" if url.startswith(player + "/") else "other"
        row = {
            "origin": origin,
            "url": url.replace(site, "").replace(player, "{player}"),
            "full_url": url,
            **recorder.response(r),
            "memory_cache": bool(r.get("memory_cache")) or (r.get("encoded", 0) == 0 and r.get("status") == 200),
        }
        row["kind"] = browser.kind_of(row)
        rows.append(row)
    rows.sort(key=lambda row: -row["encoded"])
    totals: dict[str, dict[str, int]] = {}
    for row in rows:
        by_origin = totals.setdefault(row["origin"], {})
        by_origin[row["kind"]] = by_origin.get(row["kind"], 0) + row["encoded"]
    return {
        "browser": f"Chromium {version}",
        "rows": rows,
        "totals": totals,
        "total": sum(row["encoded"] for row in rows),
        "accept_encoding": recorder.accept_encoding("?"),
        "rendered": rendered,
        "playwright_total": sum(s["bytes"] for s in pw_sizes if s["url"].startswith("http")),
        "playwright_requests": sum(1 for s in pw_sizes if s["url"].startswith("http")),
    }


def compressed_estimate(port: int, rows: list[dict], player: str) -> dict[str, dict[str, int]]:
    """For uncompressed text responses of the player: body size as sent and its gzip -6 size."""
    estimates = {}
    for row in rows:
        if (
            row["origin"] != "player"
            or row["encoding"] != "identity"
            or row["kind"] not in ("JS", "CSS", "HTML", "JSON")
            or row["memory_cache"]
        ):
            continue
        split = urlsplit(row["full_url"])
        host = urlsplit(player).netloc
        status, _response, body = http_get(
            port, split.path + (f"?{split.query}" if split.query else ""), {"Host": host}
        )
        if status == 200:
            estimates[row["url"]] = {"body": len(body), "gzip": len(gzip.compress(body, 6))}
    return estimates


# --- Report --------------------------------------------------------------------------------------


def mb(n: float) -> str:
    return f"{n / 1e6:.1f} MB"


def mib_kib(kib: float) -> str:
    return f"{kib / 1024:.1f} MiB"


def summary(values: list[float]) -> tuple[float, float]:
    return statistics.median(values), max(values)


def write_results(data: dict) -> None:
    m = data["machine"]
    imp = data["import"]
    pkg = imp["package"]
    timed = imp["runs"]
    lines = [
        "# H5P benchmark results",
        "",
        f"Run: {m['date']}. Written by `bench/h5p_bench.py` (method in its docstring and below); raw data in "
        "`bench/out/h5p/results.json`.",
        "",
        "## Machine",
        "",
        f"- {m['nproc']} cores, {m['memory']} memory, CPU: {m['cpu']}",
        f"- Linux {m['kernel']}, Python {m['python']}, PostgreSQL {m['postgresql']}, Redis {m['redis']}",
        f"- Django {m['Django']}, Wagtail {m['wagtail']}, gunicorn {m['gunicorn']}, psycopg {m['psycopg']}",
        f"- {data['transfer']['with_h5p']['browser']}, headless",
        "",
        "## 1. Importing a large package",
        "",
        f"Package: {mb(pkg['archive_bytes'])} archive ({pkg['archive_bytes']} bytes), {mb(pkg['uncompressed_bytes'])} "
        f"unpacked, {pkg['members']} members: the runnable H5P.OefenVraag 1.0 library from `tests/h5p/builders.py`, "
        f"{mb(pkg['json_bytes'])} of compressible JSON (`content/content.json` with a long transcript, parsed by "
        "the validator, and `content/data/glossary.json`), and incompressible random bytes as 2 mp4, 4 mp3 and "
        f"8 png files under `content/` (largest member {pkg['largest_member_bytes'] / MIB:.1f} MiB; limit 32 MiB "
        "per file). Built with `zipfile` straight to a temp file.",
        "",
        "Method: each run is a fresh subprocess with the bench environment (database "
        f"`{data['db']}` after `migrate` + `load_demo`; `REDIS_URL` unset, so Celery is eager and the import runs in "
        "that process; `MEDIA_ROOT` a fresh temp dir; the H5P tables emptied first, so every run installs the "
        "library) and a superuser (may install libraries). `content_upload` saves the upload (its Celery "
        "hand-off replaced by a no-op), then the task body `h5p.tasks.h5p_import` runs `content_import`. "
        "`package_validate` is wrapped to time it; storage is the rest of the import (library plan, unpacking "
        "to storage, database). Memory: peak RSS above the baseline RSS measured after Django setup, per phase "
        "(`VmHWM` of /proc/self/status, reset between phases by writing 5 to /proc/self/clear_refs) and for the "
        "whole process (`getrusage(RUSAGE_SELF).ru_maxrss` minus its value after setup); the tracemalloc peaks "
        "come from one extra run with tracemalloc on (its times are not used). Every run is checked: status "
        "ready, every member in storage with its size, upload deleted.",
        "",
        f"Runs: {len(timed)} (median / max):",
        "",
        "| measure | median | max |",
        "| --- | --- | --- |",
    ]
    phase_names = list(timed[0]["phases"])
    lines.append(
        "| import (task body: validation + storage + database) | "
        + " | ".join(f"{v:.2f} s" for v in summary([r["import_seconds"] for r in timed]))
        + " |"
    )
    for name in phase_names:
        lines.append(
            f"| {name}: time | "
            + " | ".join(f"{v:.2f} s" for v in summary([r["phases"][name]["seconds"] for r in timed]))
            + " |"
        )
    for name in phase_names:
        values = [r["phases"][name]["peak_rss_above_base_kib"] for r in timed]
        lines.append(f"| {name}: peak RSS above baseline | " + " | ".join(mib_kib(v) for v in summary(values)) + " |")
    lines.append(
        "| whole process: ru_maxrss above baseline | "
        + " | ".join(mib_kib(v) for v in summary([r["ru_maxrss_above_base_kib"] for r in timed]))
        + " |"
    )
    lines.append(
        "| baseline RSS after Django setup | "
        + " | ".join(mib_kib(v) for v in summary([r["baseline"]["rss_kib"] for r in timed]))
        + " |"
    )
    tm = imp["tracemalloc"]
    lines += [
        "",
        "tracemalloc peak of Python allocations per phase (one run): "
        + ", ".join(f"{name} {v['tracemalloc_peak_bytes'] / MIB:.1f} MiB" for name, v in tm["phases"].items())
        + ".",
        "",
        f"Every run: status `{timed[0]['status']}`, {timed[0]['files_stored']}/{timed[0]['files_expected']} files in "
        f"storage ({mb(timed[0]['bytes_stored'])}), upload deleted: {timed[0]['upload_deleted']}.",
        "",
        "### Does memory grow with the package?",
        "",
        "The same measurement (one run each) on packages of other shapes:",
        "",
        "| package | archive | largest member | validation peak RSS | storage peak RSS | validation tracemalloc "
        "| storage tracemalloc | import time (tracemalloc on) |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for variant in imp["variants"]:
        p, r = variant["package"], variant["result"]
        v_name, s_name = "validation", "storage (files + database)"
        lines.append(
            f"| {variant['label']} | {mb(p['archive_bytes'])} | {p['largest_member_bytes'] / MIB:.1f} MiB | "
            f"{mib_kib(r['phases'][v_name]['peak_rss_above_base_kib'])} | "
            f"{mib_kib(r['phases'][s_name]['peak_rss_above_base_kib'])} | "
            f"{r['phases'][v_name].get('tracemalloc_peak_bytes', 0) / MIB:.1f} MiB | "
            f"{r['phases'][s_name].get('tracemalloc_peak_bytes', 0) / MIB:.1f} MiB | {r['import_seconds']:.2f} s |"
        )
    lines += ["", *data["import_findings"], ""]

    tr = data["transfer"]
    with_h5p, without = tr["with_h5p"], tr["without_h5p"]
    lines += [
        "## 2. Transfer of a lesson with one H5P activity",
        "",
        f"Setup: database `{data['db']}` (dropped, created, `migrate`, `collectstatic`, `load_demo --no-users`), "
        f"Redis {STACK.redis_url} flushed, gunicorn as in run.py ({stack.WORKERS} {stack.WORKER_CLASS} workers x "
        f"{stack.THREADS} threads) with `SITE_ORIGIN={tr['site']}`, `H5P_PLAYER_ORIGIN={tr['player']}` and both "
        f"hosts in `DJANGO_ALLOWED_HOSTS`, `STATIC_MANIFEST=true`. The minimal package of `tests/h5p/builders.py` "
        f"({tr['lesson']['package_bytes']} bytes) imported through `content_upload` (eager Celery); an H5P block "
        f"(`tests/h5p/player_support.h5p_block_add`) appended to the first Dutch text lesson, "
        f"`{tr['lesson']['lesson_url']}` ({tr['lesson']['lesson_title']}), and published.",
        "",
        "Method: headless Chromium through Playwright (`/usr/bin/chromium`, flags of run.py plus "
        "`--disable-site-isolation-trials`, so the player's cross-site frame runs in the page's renderer and the "
        "page's DevTools session sees its requests), a new context, cache disabled, anonymous. Load the lesson, "
        'scroll the H5P frame into view (it is `loading="lazy"`), wait until `.h5p-oefenvraag-question` is '
        "rendered inside the H5P core's inner frame, then network idle. Sum of `encodedDataLength` "
        "(`Network.loadingFinished`: body as received plus response headers) of every http response. Before the "
        "block was added, the same lesson was loaded the same way (no exercise to wait for).",
        "",
        f"Exercise rendered: {with_h5p['rendered']['question']!r} after {with_h5p['rendered']['seconds']:.1f} s.",
        "",
        "| | site | player | total | requests |",
        "| --- | --- | --- | --- | --- |",
    ]
    for label, load in (("lesson without H5P block", without), ("lesson with the H5P block", with_h5p)):
        site_sum = sum(load["totals"].get("site", {}).values())
        player_sum = sum(load["totals"].get("player", {}).values())
        lines.append(
            f"| {label} | {site_sum} B | {player_sum} B | **{load['total']} B** ({kb(load['total'])}) | "
            f"{len(load['rows'])} |"
        )
    lines += [
        "",
        f"The H5P block adds {with_h5p['total'] - without['total']} bytes "
        f"({kb(with_h5p['total'] - without['total'])}) to the lesson's first load. Cross-check: Playwright's own "
        f"`request.sizes()` (all frames) counted {with_h5p['playwright_total']} bytes in "
        f"{with_h5p['playwright_requests']} requests.",
        "",
        "By origin and type, with the H5P block (bytes):",
        "",
    ]
    kinds = ["HTML", "JS", "CSS", "fonts", "JSON", "media", "other"]
    lines += ["| origin | " + " | ".join(kinds) + " | total |", "| --- |" + " --- |" * (len(kinds) + 1)]
    for origin, by_kind in sorted(with_h5p["totals"].items()):
        lines.append(
            f"| {origin} | " + " | ".join(str(by_kind.get(k, 0)) for k in kinds) + f" | {sum(by_kind.values())} |"
        )
    estimates = tr["gzip_estimates"]
    lines += [
        "",
        "Every response, biggest first (player URLs as `{player}`; gzip -6 body = the body's size if it were "
        "gzipped; encodedDataLength 0 = answered from Blink's memory cache, which a disabled HTTP cache leaves on):",
        "",
        "| origin | type | URL | status | encoding | encodedDataLength | gzip -6 body | Cache-Control |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for row in with_h5p["rows"]:
        estimate = estimates[row["url"]]["gzip"] if row["url"] in estimates and not row["memory_cache"] else ""
        lines.append(
            f"| {row['origin']} | {row['kind']} | `{row['url'][:110]}` | {row['status']} | {row['encoding']} | "
            f"{row['encoded']} | {estimate} | {row['cache_control']} |"
        )
    lines += ["", *data["transfer_findings"], "", "## Timings of this run", ""]
    lines += [f"- {name}: {seconds:.1f} s" for name, seconds in data["timings"].items()]
    lines.append("")
    RESULTS_MD.write_text("\n".join(lines))


def import_findings(imp: dict) -> list[str]:
    variants = {v["key"]: v for v in imp["variants"]}
    big, quarter, small = variants["big"], variants["quarter"], variants["small"]

    def peak(v, phase):
        return v["result"]["phases"][phase]["peak_rss_above_base_kib"] / 1024

    def tm(v, phase):
        return v["result"]["phases"][phase].get("tracemalloc_peak_bytes", 0) / MIB

    v, s = "validation", "storage (files + database)"
    lines = [
        f"Validation: peak RSS {peak(big, v):.1f} / {peak(quarter, v):.1f} / {peak(small, v):.1f} MiB and Python "
        f"allocations {tm(big, v):.1f} / {tm(quarter, v):.1f} / {tm(small, v):.1f} MiB for the 50 MB, the quarter-size "
        "and the 50-MB-of-1-MiB-files packages."
    ]
    if tm(big, v) < 8 and tm(small, v) < 8:
        lines[-1] += (
            " `package_validate` streams: `member_read` reads each member in 64 KiB chunks and keeps only "
            "h5p.json, content/content.json and the library.json files, so its memory follows the size of that "
            "JSON, not of the package."
        )
    else:
        lines[-1] += " **Validation memory grows with the package**: it does not stream."
    storage_grows = tm(big, s) > 2 * max(tm(small, s), 1)
    lines += [
        "",
        f"Storage: peak RSS {peak(big, s):.1f} / {peak(quarter, s):.1f} / {peak(small, s):.1f} MiB and Python "
        f"allocations {tm(big, s):.1f} / {tm(quarter, s):.1f} / {tm(small, s):.1f} MiB for the same three packages "
        f"(largest member {big['package']['largest_member_bytes'] / MIB:.1f} / "
        f"{quarter['package']['largest_member_bytes'] / MIB:.1f} / {small['package']['largest_member_bytes'] / MIB:.1f} "
        "MiB).",
    ]
    if storage_grows:
        lines[-1] += (
            " **The storage step does not stream: its memory grows with the largest member** (not with the "
            "total: 50 MB of 1 MiB files stays low). `h5p.services._write` calls `member_read(..., keep=True)`, "
            "which gathers the whole member in a `bytearray` and returns `bytes(kept)` (a second copy), then "
            "wraps it in a `ContentFile`: about 2x the largest member at once, so up to ~64 MiB (plus "
            "allocator slack) for a member at the 32 MiB limit, per concurrent import in a worker."
        )
        lines += [
            "",
            "Fix (in `h5p/`, not done here): stream each member into storage while counting, e.g. a small "
            "file-like wrapper around `zf.open(info)` whose `read()` counts bytes and raises `_LimitExceeded` past "
            "H5P_MAX_FILE_BYTES / H5P_MAX_RATIO (the checks of `member_read`), passed as "
            "`default_storage.save(target, File(wrapper, name=...))`; Django's storage then copies it in "
            "chunks (`File.chunks()`), and `keep=True` stays only for the few JSON files the validator parses. "
            "Memory is then a few chunks per import whatever the package holds. A member that trips a limit "
            "half-way leaves a partial file, which `_reject` already deletes (it is in `written` once `save` "
            "returns; record the target before saving so a partial file is deleted too).",
        ]
    return lines


def transfer_findings(tr: dict) -> list[str]:
    load = tr["with_h5p"]
    rows = load["rows"]
    player_rows = [row for row in rows if row["origin"] == "player"]
    player_total = sum(row["encoded"] for row in player_rows)

    def name(row):
        path = urlsplit(row["full_url"]).path.rstrip("/")
        return path.rsplit("/", 1)[-1] + (
            "/ (lesson HTML)" if row["origin"] == "site" and row["kind"] == "HTML" else ""
        )

    top = ", ".join(f"`{name(row)}` ({row['origin']}) {row['encoded']} B" for row in rows[:5])
    share = sum(row["encoded"] for row in rows[:3]) / max(1, load["total"])
    lines = [f"Biggest items: {top}. The first three are {100 * share:.0f}% of the load."]
    fonts = sum(row["encoded"] for row in rows if row["kind"] == "fonts")
    lines += [
        "",
        f"Fonts: {fonts} bytes. The player page links only h5p-standalone's `styles/h5p.css`, whose `@font-face` "
        "rules are H5P's icon fonts (`h5p-core-30.woff2` 15 kB, `h5p-theme.woff2` 10 kB, ...); a browser fetches "
        "them only when a rendered element uses them, and H5P.OefenVraag does not. `styles/h5p-fonts.css` (Inter "
        "and Open Sans, 56-121 kB per woff2 file) is not linked. A real content type that shows H5P icons adds "
        "about 15-25 kB of fonts.",
    ]
    repeated: dict[str, int] = {}
    for row in rows:
        if not row["memory_cache"]:
            repeated[row["url"]] = repeated.get(row["url"], 0) + 1
    repeated = {url: n for url, n in repeated.items() if n > 1}
    if repeated:
        lines += [
            "",
            "Fetched more than once over the network in the same load: "
            + ", ".join(f"`{url.rsplit('/', 1)[-1]}` {n}x" for url, n in repeated.items())
            + ". h5p-standalone asks for a library's library.json once per lookup; with the HTTP cache disabled, "
            "as in this measurement, each ask is a network fetch, while a normal browser would answer the repeats "
            "from its HTTP cache (`max-age=3600`), so a real first load is that much smaller.",
        ]
    uncompressed = [row for row in player_rows if row["url"] in tr["gzip_estimates"] and not row["memory_cache"]]
    if uncompressed:
        raw = sum(tr["gzip_estimates"][row["url"]]["body"] for row in uncompressed)
        gz = sum(tr["gzip_estimates"][row["url"]]["gzip"] for row in uncompressed)
        lines += [
            "",
            f"The player origin sends {player_total} bytes, and its text responses ({len(uncompressed)}, "
            f"{raw} body bytes) arrive **uncompressed** although Chromium sent `Accept-Encoding: "
            f"{load['accept_encoding']}`: `PlayerOriginMiddleware` answers before WhiteNoise and `GZipMiddleware` (they come after it in "
            "`MIDDLEWARE`, so they never see a player response), and `player_views.asset` serves node_modules with "
            f"a plain `FileResponse`. Gzipped (-6) those bodies would be {gz} bytes, so the lesson's first load "
            f"would be about {load['total'] - raw + gz} bytes instead of {load['total']} "
            f"({100 * (raw - gz) / max(1, load['total']):.0f}% less). Fix (in `h5p/` or the settings, not done "
            "here): compress the player's text responses, e.g. run the player dispatch through "
            "`GZipMiddleware` inside `PlayerOriginMiddleware` (not by moving it below WhiteNoise and the page cache, "
            "which must not see player requests), or better serve h5p-standalone's dist through WhiteNoise/collectstatic with "
            "precompressed brotli copies and hashed names (then `immutable` instead of the 7-day max-age). The "
            "7-day `Cache-Control` of the bundles already makes repeat visits cheap.",
        ]
    return lines


# --- Main ----------------------------------------------------------------------------------------


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "import-child":
        import_child(sys.argv[2], "--tracemalloc" in sys.argv)
        return 0
    return STACK.main(bench_run, one_line_unexpected=True)


def bench_run(cleanup) -> int:
    """The whole run; gunicorn, its log and the temp dir are registered on `cleanup` (harness.frame.guarded)."""
    timings = Timings()
    port = stack.free_port()
    site, player = f"http://127.0.0.1:{port}", f"http://localhost:{port}"
    env, temp = STACK.temp_env(cleanup, "oefenplein-h5p-bench-")
    env.update({"SITE_ORIGIN": site, "H5P_PLAYER_ORIGIN": player, "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost"})
    with timings.step("setup (database, static, demo content)"):
        STACK.setup(env)
    imp = measure_import(env, temp, timings)
    with timings.step("transfer (gunicorn, Chromium)"):
        transfer, server, health = measure_transfer(env, port, site, player, cleanup)
    STACK.stop_server(server)
    timings.total()
    data = {
        "machine": STACK.machine_facts(health),
        "db": STACK.db_name,
        "import": imp,
        "import_findings": import_findings(imp),
        "transfer": transfer,
        "transfer_findings": transfer_findings(transfer),
        "timings": timings,
    }
    (STACK.out_dir / "results.json").write_text(json.dumps(data, indent=2, default=str))
    write_results(data)
    log(f"wrote {RESULTS_MD.relative_to(ROOT)} in {timings['total']:.0f} s")
    return 0


def measure_import(env: dict, temp, timings: Timings) -> dict:
    """1. The three packages built, RUNS timed imports of the big one, one tracemalloc import of each."""
    with timings.step("building the packages"):
        packages = {
            "big": ("~50 MB: 2 mp4 + 4 mp3 + 8 png, JSON", PACKAGE_MB, False),
            "quarter": ("~12.5 MB: the same files at a quarter of the size", PACKAGE_MB / 4, False),
            "small": ("~50 MB: only 1 MiB files", PACKAGE_MB, True),
        }
        built = {}
        for key, (_label, size, small) in packages.items():
            built[key] = package_write(temp / f"{key}.h5p", size, small_files=small)
            log(f"package {key}: {built[key]['archive_bytes']} bytes, {built[key]['members']} members")
    with timings.step("import runs"):
        runs = []
        for i in range(RUNS):
            result = import_run(env, built["big"], temp, use_tracemalloc=False, label=f"import-{i + 1}")
            runs.append(result)
            log(
                f"import run {i + 1}: {result['import_seconds']:.2f} s, peaks "
                + ", ".join(f"{n} {p['peak_rss_above_base_kib'] / 1024:.1f} MiB" for n, p in result["phases"].items())
            )
        variants = []
        for key, (label, _size, _small) in packages.items():
            result = import_run(env, built[key], temp, use_tracemalloc=True, label=f"import-tracemalloc-{key}")
            variants.append({"key": key, "label": label, "package": built[key], "result": result})
            log(f"tracemalloc {key}: " + ", ".join(
                f"{n} {p['tracemalloc_peak_bytes'] / MIB:.1f} MiB" for n, p in result["phases"].items()
            ))  # fmt: skip
        imp = {"package": built["big"], "runs": runs, "tracemalloc": variants[0]["result"], "variants": variants}
    for key in built:
        (temp / f"{key}.h5p").unlink()
    return imp


def measure_transfer(env: dict, port: int, site: str, player: str, cleanup) -> tuple[dict, object, dict]:
    """2. The minimal package imported, gunicorn started, the lesson loaded before and after its H5P block."""
    setup_env = {k: v for k, v in env.items() if k != "REDIS_URL"}  # eager Celery: the import runs now
    lesson = setup_lesson(setup_env, "import")
    if lesson["status"] != "ready":
        raise BenchError(f"minimal package not ready: {lesson}")
    server, health = STACK.start_server(env, port, cleanup)
    log(f"player origin: {player}")
    without = chromium_load(port, lesson["lesson_url"], site, player, wait_exercise=False)
    log(f"lesson without H5P: {without['total']} bytes")
    lesson = {**lesson, **setup_lesson(env, "add-block")}  # REDIS_URL set: the publish retires cached pages
    with_h5p = chromium_load(port, lesson["lesson_url"], site, player, wait_exercise=True)
    log(f"lesson with H5P: {with_h5p['total']} bytes, rendered {with_h5p['rendered']}")
    estimates = compressed_estimate(port, with_h5p["rows"], player)
    transfer = {
        "site": site,
        "player": player,
        "lesson": lesson,
        "without_h5p": without,
        "with_h5p": with_h5p,
        "gzip_estimates": estimates,
    }
    return transfer, server, health


if __name__ == "__main__":
    sys.exit(main())
