"""The frame of every benchmark run: paths, the one-line failure, logging, clean-up, step timings."""

from __future__ import annotations

import contextlib
import signal
import time
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent  # the project
BENCH_DIR = ROOT / "bench"
OUT_ROOT = BENCH_DIR / "out"  # logs and raw data of every bench; ignored by git


class BenchError(RuntimeError):
    """A benchmark cannot go on; main() reports it in one line and exits 1."""


def log(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def interrupted(signum, _frame):
    raise KeyboardInterrupt(f"signal {signum}")


def guarded(body: Callable[[contextlib.ExitStack], int], *, one_line_unexpected: bool = False) -> int:
    """Run a benchmark's main body and return its exit code.

    `body` registers on the ExitStack what must be undone whatever happens (gunicorn, log files, temp dirs).
    SIGTERM stops the run like Ctrl+C (exit 130), so `kill` of a bench still stops its gunicorn. A
    BenchError is one line and exit 1; other exceptions too with `one_line_unexpected` (a browser or a
    child's timeout), else they propagate with their traceback.
    """
    signal.signal(signal.SIGTERM, interrupted)
    try:
        with contextlib.ExitStack() as cleanup:
            return body(cleanup)
    except BenchError as error:
        log(f"FAILED: {error}")
        return 1
    except KeyboardInterrupt as interrupt:
        log(f"interrupted ({interrupt or 'Ctrl+C'}); stopping")
        return 130
    except Exception as error:
        if not one_line_unexpected:
            raise
        log(f"FAILED: {error.__class__.__name__}: {str(error).splitlines()[0][:300] if str(error) else ''}")
        return 1


class Timings(dict):
    """Seconds per step of a run, in the order the steps ran ("Timings of this run" in the reports)."""

    def __init__(self):
        super().__init__()
        self.started = time.perf_counter()

    @contextlib.contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Time the block as `name` (only when it ends normally: a failed step has no figure)."""
        started = time.perf_counter()
        yield
        self[name] = time.perf_counter() - started

    def total(self) -> float:
        """Record and return the seconds since the run began, as "total"."""
        self["total"] = time.perf_counter() - self.started
        return self["total"]
