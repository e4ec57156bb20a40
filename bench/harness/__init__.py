"""What the benchmark scripts in bench/ share, so that each script holds only what it measures.

The scripts run as `python bench/<name>.py`, so bench/ is on sys.path and `from harness import stack` finds
this package. Nothing here measures anything or writes figures of its own; every module is small and
depends only on the ones above it in this list:

* `frame`: paths, `BenchError`, `log`, `guarded` (a run's main frame: SIGTERM as Ctrl+C, clean-up on error)
  and `Timings` (the "how long each step took" of a run).
* `results`: the results files (`write_section(s)`: each script owns its `## ` sections of RESULTS.md),
  the small formatters every report uses (`verdict`, `kb`, `cpu_row`) and `percentile`.
* `machine`: what machine and service versions the figures come from.
* `cpu`: /proc readers (CPU per process and for the machine, connections per gunicorn worker) and
  `CpuMeter`, who used the CPU during a window.
* `http_client`: a browser's headers, one GET, header sizes, body decoding, waiting for a server's answer.
* `load`: the load generators (wrk, or the built-in asyncio one), `measure` (one load window with its
  CPU and connection spread) and `sequential_latency`.
* `browser`: Debian's Chromium, its flags, `CdpRecorder` (bytes as transferred) and `kind_of`.
* `stack`: a benchmark's services (`Stack`: its own PostgreSQL database, Redis db and log folder), the
  environment of its children, the production-like set-up, gunicorn and the other processes it starts,
  Django children that print one `PREFIX=<json>` line.
* `inside_django`: imported only inside those Django children: Django's start-up, `child_main`, and the
  pages, learners, sessions and learning records a bench makes.

deploy/check.py imports `results` and `machine` too (its figures go into bench/RESULTS.md).
"""
