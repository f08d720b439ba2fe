"""Load soak: mixed reads and writes at 64 connections against the production server.

    .venv/bin/python scripts/soak.py [--seconds 60] [--connections 64] [--database sqlite]

Starts ``tripartite serve`` (gunicorn, DEBUG off) and ``tripartite worker`` on a throwaway
database and data dir (tests/system/harness.py), seeds a few letters, then drives wrk
(C, event loop: 64 connections from one core with room to spare, where a Python client
would take the CPU the server needs on a 2-core machine) with a Lua script that mixes:

* page reads: the home page, the letters register, a letter's page, the log's checkpoint;
* API reads: the letters list and one letter;
* API writes: ``POST /api/v1/letters`` with a token (each a new logged record).

``writes_sent`` counts the writes wrk generated, ``writes_acknowledged`` those answered 201
(wrk stops with some in flight), ``writes_stored`` the letters in the database afterwards.

Reported: requests, errors (any socket error, timeout, and any answer of 400 or more:
a 429 or a 503 counts as an error too), p50/p90/p99/max latency, the log's growth, and the
memory (RSS) of the worker and of the server, sampled every ``--sample`` seconds: first,
last, max and the least-squares slope (KiB per minute). The site runs with the public
forms' rate limits off (``TRIPARTITE_RATE_LIMITS_ENABLED=0``): one loopback client at 64
connections is what those limits exist to stop, and the soak measures the server, not
the limiter. Exit status 1 when there was any error or the log does not verify.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.system import harness as h  # noqa: E402 - after the path is set

SEED_LETTERS = 20

LUA = r"""
-- Mixed reads and writes; one counter per wrk thread keeps every write's reference unique.
local token = os.getenv("SOAK_TOKEN")
local write_share = tonumber(os.getenv("SOAK_WRITE_SHARE"))
local threads = {}
-- Globals, not locals: done() reads them from each thread with thread:get().
counter = 0
created = 0
failures = 0
statuses = {}
local reads = {
  "/", "/letters/", "/letter/seed-1/", "/log/checkpoint",
  "/api/v1/letters?limit=20", "/api/v1/letters/seed-2",
}

function setup(thread)
  thread:set("id", #threads + 1)
  table.insert(threads, thread)
end

function init(args)
  math.randomseed(id * 7919)
end

function request()
  if math.random() < write_share then
    counter = counter + 1
    local body = string.format(
      '{"reference":"SOAK-%d-%d","direction":"inbound","letter_type":"other",' ..
      '"subject":"Soak letter","received_on":"2017-05-23","member":"xx","forum":"xx-forum"}',
      id, counter)
    return wrk.format("POST", "/api/v1/letters", {
      ["Authorization"] = "Bearer " .. token,
      ["Content-Type"] = "application/json",
    }, body)
  end
  return wrk.format("GET", reads[math.random(#reads)])
end

function response(status, headers, body)
  if status == 201 then
    created = created + 1
  elseif status >= 400 then
    failures = failures + 1
    statuses[status] = (statuses[status] or 0) + 1
  end
end

function done(summary, latency, requests)
  local failed, writes, acknowledged, by_status = 0, 0, 0, {}
  for _, thread in ipairs(threads) do
    failed = failed + thread:get("failures")
    writes = writes + thread:get("counter")
    acknowledged = acknowledged + thread:get("created")
    for status, count in pairs(thread:get("statuses")) do
      by_status[tostring(status)] = (by_status[tostring(status)] or 0) + count
    end
  end
  local parts = {}
  for status, count in pairs(by_status) do
    table.insert(parts, string.format('"%s":%d', status, count))
  end
  local e = summary.errors
  io.write(string.format(
    'SOAK {"requests":%d,"duration_us":%d,"bytes":%d,"writes_sent":%d,' ..
    '"writes_acknowledged":%d,' ..
    '"http_errors":%d,"statuses":{%s},"connect_errors":%d,"read_errors":%d,' ..
    '"write_errors":%d,"timeouts":%d,"p50_ms":%.1f,"p90_ms":%.1f,"p99_ms":%.1f,' ..
    '"max_ms":%.1f,"mean_ms":%.1f}\n',
    summary.requests, summary.duration, summary.bytes, writes, acknowledged, failed,
    table.concat(parts, ","), e.connect, e.read, e.write, e.timeout,
    latency:percentile(50) / 1000, latency:percentile(90) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, latency.mean / 1000))
end
"""


class MemorySampler:
    """RSS of the server's and the worker's process groups every ``every`` seconds."""

    def __init__(self, server: h.Process, worker: h.Process, every: float) -> None:
        self.server, self.worker, self.every = server, worker, every
        self.samples: list[tuple[float, int, int]] = []  # (seconds, server KiB, worker KiB)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        start = time.monotonic()
        while not self.stop.is_set():
            self.samples.append(
                (time.monotonic() - start, self.server.rss_kib(), self.worker.rss_kib())
            )
            self.stop.wait(self.every)

    def __enter__(self) -> MemorySampler:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()


def slope_per_minute(points: list[tuple[float, int]]) -> float:
    """Least-squares slope of KiB over time, in KiB per minute."""
    if len(points) < 2:
        return 0.0
    n = len(points)
    mean_t = sum(t for t, _ in points) / n
    mean_v = sum(v for _, v in points) / n
    var = sum((t - mean_t) ** 2 for t, _ in points)
    if var == 0:
        return 0.0
    cov = sum((t - mean_t) * (v - mean_v) for t, v in points)
    return cov / var * 60


def memory_figures(samples: list[tuple[float, int, int]], column: int) -> dict[str, Any]:
    points = [(row[0], int(row[column])) for row in samples]
    values = [v for _, v in points]
    # The first third is warm-up (imports, caches, the first pages compiled): memory is
    # "flat" when it stops growing after that.
    steady = points[len(points) // 3 :]
    return {
        "samples": len(values),
        "first_mib": round(values[0] / 1024, 1),
        "last_mib": round(values[-1] / 1024, 1),
        "max_mib": round(max(values) / 1024, 1),
        "slope_kib_per_min": round(slope_per_minute(points), 1),
        "steady_slope_kib_per_min": round(slope_per_minute(steady), 1),
    }


def seed(site: h.Site, port: int, token: str) -> None:
    for n in range(1, SEED_LETTERS + 1):
        payload = {**h.letter_payload(f"SEED-{n}"), "key": f"seed-{n}"}
        status, _headers, body = h.request(port, "POST", "/api/v1/letters", payload, token)
        if status != 201:
            raise SystemExit(f"seeding failed: {status} {body[:300]!r}")


def run(args: argparse.Namespace) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="soak-") as temporary:
        return soak(args, Path(temporary))


def soak(args: argparse.Namespace, root: Path) -> dict[str, Any]:
    with h.site_on(args.database, root, TRIPARTITE_RATE_LIMITS_ENABLED="0") as site:
        token = site.set_up_writer()
        server = site.start_server(workers=args.server_workers)
        worker = site.start_worker()
        port = server.port or 0
        seed(site, port, token)
        size_before = int(site.database.query("SELECT size FROM ledger_treehead")[0][0])
        script = root / "soak.lua"
        script.write_text(LUA)
        command = [
            "wrk",
            f"-t{args.threads}",
            f"-c{args.connections}",
            f"-d{args.seconds}s",
            "--timeout",
            "30s",
            "-s",
            str(script),
            f"http://127.0.0.1:{port}",
        ]
        env = {
            "SOAK_TOKEN": token,
            "SOAK_WRITE_SHARE": str(args.write_share),
            "PATH": "/usr/bin:/bin",
        }
        with MemorySampler(server, worker, args.sample) as sampler:
            done = subprocess.run(  # noqa: S603 - wrk, with arguments made here
                command,
                env=env,
                capture_output=True,
                text=True,
                timeout=args.seconds + 120,
                check=False,
            )
        lines = [line for line in done.stdout.splitlines() if line.startswith("SOAK ")]
        if done.returncode != 0 or not lines:
            raise SystemExit(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
        load = json.loads(lines[-1][5:])
        checkpointed = h.wait_for_checkpoint_of_head(site.database, timeout=60)
        alive = server.alive() and worker.alive()
        site.stop_all()
        verified = site.verify_local()
        problems = h.log_problems(h.read_log(site.database))
        size_after = int(site.database.query("SELECT size FROM ledger_treehead")[0][0])
        letters = int(
            site.database.query(
                "SELECT COUNT(*) FROM forums_letter WHERE reference LIKE 'SOAK-%%'"
            )[0][0]
        )
    errors = (
        load["http_errors"]
        + load["connect_errors"]
        + load["read_errors"]
        + load["write_errors"]
        + load["timeouts"]
    )
    return {
        "database": args.database,
        "seconds": args.seconds,
        "connections": args.connections,
        "server_workers": args.server_workers,
        "write_share": args.write_share,
        **load,
        "requests_per_second": round(load["requests"] / (load["duration_us"] / 1e6), 1),
        "errors": errors,
        "writes_stored": letters,
        "log_entries_added": size_after - size_before,
        "last_checkpoint": checkpointed,
        "processes_survived": alive,
        "verify_local_exit": verified.returncode,
        "log_problems": problems,
        "server_memory": memory_figures(sampler.samples, 1),
        "worker_memory": memory_figures(sampler.samples, 2),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--server-workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument("--write-share", type=float, default=0.1, help="share of writes")
    parser.add_argument("--sample", type=float, default=3.0, help="seconds between RSS samples")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    if args.database == "postgresql" and (reason := h.postgresql_unreachable_reason()):
        raise SystemExit(reason)
    figures = run(args)
    text = json.dumps(figures, indent=2)
    print(text)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(text + "\n")
    ok = (
        figures["errors"] == 0
        and figures["verify_local_exit"] == 0
        and not figures["log_problems"]
        and figures["processes_survived"]
        # Every write answered 201 is stored (more may be: wrk stops with some in flight).
        and figures["writes_stored"] >= figures["writes_acknowledged"]
    )
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
