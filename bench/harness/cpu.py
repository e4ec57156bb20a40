"""Who used the CPU: /proc readers, the connections each gunicorn worker holds, and `CpuMeter`."""

from __future__ import annotations

import os
import re
import resource
import time
from pathlib import Path


def process_cpu() -> dict[int, tuple[str, int, float, str]]:
    """Every live process: pid -> (command name, parent pid, CPU seconds used so far, start time)."""
    tick = os.sysconf("SC_CLK_TCK")
    table = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        comm = stat[stat.index("(") + 1 : stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2 :].split()
        table[int(entry)] = (comm, int(fields[1]), (int(fields[11]) + int(fields[12])) / tick, fields[19])
    return table


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine so far, summed over cores, from /proc/stat."""
    tick = os.sysconf("SC_CLK_TCK")
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + values[4]
    total = sum(values[:8])
    return (total - idle) / tick, total / tick


def postgres_is_ours(pid: int, db_name: str) -> bool:
    """Whether a postgres process works for the bench database `db_name`.

    Backends are titled "postgres: [cluster:] user database host(port) state": only those connected to
    `db_name` count, and the server's own processes (checkpointer, WAL writer...); other databases'
    backends (another helper, another bench) do not.
    """
    try:
        title = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        title = ""
    return not (re.search(r"\(\d+\)|\[local\]", title) and f" {db_name} " not in title)


def connections_per_worker(server_pid: int, port: int) -> dict[int, int]:
    """Established client connections each gunicorn worker holds on the port (from /proc)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            cols = row.split()
            if cols[3] == "01" and int(cols[1].rsplit(":", 1)[1], 16) == port:  # ESTABLISHED, server side
                inodes.add(cols[9])
    counts = {}
    for pid, (_comm, ppid, _cpu, _start) in process_cpu().items():
        if ppid != server_pid:
            continue
        held = 0
        try:
            for fd in os.listdir(f"/proc/{pid}/fd"):
                target = os.readlink(f"/proc/{pid}/fd/{fd}")
                if target.startswith("socket:[") and target[8:-1] in inodes:
                    held += 1
        except OSError:
            continue
        counts[pid] = held
    return counts


class CpuMeter:
    """Who used the CPU during a window: gunicorn, PostgreSQL, Redis, the load generator, the rest.

    The rest is the machine's busy time minus those four: other processes (another user's test run,
    say) and kernel work not charged to a process. The load generator is this process (asyncio) or
    its wrk child, so it is read from getrusage. PostgreSQL is the server and the backends of `db_name`.
    """

    def __init__(self, server_pid: int | None, db_name: str):
        self.server_pid = server_pid
        self.db_name = db_name

    def _category(self, pid: int, comm: str, ppid: int) -> str | None:
        if self.server_pid and (pid == self.server_pid or ppid == self.server_pid):
            return "gunicorn"
        if comm.startswith("postgres"):
            return "postgresql" if postgres_is_ours(pid, self.db_name) else "other"
        if comm.startswith("redis-server"):
            return "redis"
        if pid == os.getpid() or ppid == os.getpid():
            return None  # the load generator, counted through getrusage
        return "other"

    def start(self) -> None:
        self.wall = time.perf_counter()
        self.procs = process_cpu()
        self.machine = machine_cpu()
        self.self_usage = resource.getrusage(resource.RUSAGE_SELF)
        self.child_usage = resource.getrusage(resource.RUSAGE_CHILDREN)

    def stop(self) -> dict:
        wall = time.perf_counter() - self.wall
        procs = process_cpu()
        busy, total = machine_cpu()
        self_usage = resource.getrusage(resource.RUSAGE_SELF)
        child_usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        used = {"gunicorn": 0.0, "postgresql": 0.0, "redis": 0.0, "other": 0.0}
        others: dict[str, float] = {}
        for pid, (comm, ppid, cpu, start) in procs.items():
            category = self._category(pid, comm, ppid)
            if category is None:
                continue
            before = self.procs.get(pid)
            # Same pid and start time: the same process (kernel workers rename themselves as they go).
            delta = cpu - (before[2] if before and before[3] == start else 0.0)
            if category == "other":
                comm = comm.split("-", 1)[0] if comm.startswith("kworker") else comm
            used[category] += delta
            if category == "other" and delta > 0:
                others[comm] = others.get(comm, 0.0) + delta
        loadgen = sum(
            getattr(after, attr) - getattr(before, attr)
            for after, before in ((self_usage, self.self_usage), (child_usage, self.child_usage))
            for attr in ("ru_utime", "ru_stime")
        )
        machine_busy = busy - self.machine[0]
        cores = (total - self.machine[1]) / wall if wall else 1
        rest = max(0.0, machine_busy - used["gunicorn"] - used["postgresql"] - used["redis"] - loadgen)

        def pct(seconds: float) -> float:
            return round(100 * seconds / wall, 1) if wall else 0.0

        top_others = sorted(others.items(), key=lambda item: -item[1])[:3]
        return {
            "gunicorn": pct(used["gunicorn"]),
            "postgresql": pct(used["postgresql"]),
            "redis": pct(used["redis"]),
            "loadgen": pct(loadgen),
            "rest": pct(rest),
            "machine": pct(machine_busy),
            "machine_capacity": round(100 * cores),
            "top_others": ", ".join(f"{name} {pct(seconds):.0f}%" for name, seconds in top_others if pct(seconds) >= 1),
        }


class Window:
    """A measured window against a gunicorn: the CPU used (CpuMeter) and, sampled halfway through, how
    many connections each worker held (largest first). `with Window(...) as window:` around the load;
    afterwards `window.cpu` and `window.spread`."""

    def __init__(self, server_pid: int, port: int, db_name: str, duration: float):
        import threading

        self.meter = CpuMeter(server_pid, db_name)
        self.spread: list[int] = []
        self.cpu: dict = {}
        self._sampler = threading.Timer(
            duration / 2,
            lambda: self.spread.extend(sorted(connections_per_worker(server_pid, port).values(), reverse=True)),
        )

    def __enter__(self) -> Window:
        self._sampler.start()
        self.meter.start()
        return self

    def __exit__(self, *_exc) -> None:
        self.cpu = self.meter.stop()
        self._sampler.cancel()
