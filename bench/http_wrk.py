"""Driving a server with ``wrk``: the Lua script, the command and reading its result.

wrk (Debian's ``wrk`` package) keeps N connections busy for a fixed time and measures the
latency of every request. Its Lua hooks let the script here do three things wrk does not do
on its own:

* ``request()`` rotates through several paths (the search queries) with fixed headers
  (``If-None-Match``/``If-Modified-Since`` of the conditional requests); the requests are
  formatted once per thread in ``init``, so rotating costs no more than a fixed request;
* ``response()`` counts every status other than the one expected (wrk itself only counts
  statuses above 399, so a redirect or a 200 where a 304 was expected would pass unseen);
* ``done()`` prints one line, ``WRK_JSON {...}``, with the totals, the error counts and the
  latency percentiles (microseconds), which :func:`parse_wrk_output` reads back.

Everything but :func:`run_wrk` is a plain function, tested in ``tests/bench/``.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

#: The marker of the line the Lua ``done`` hook prints.
MARKER = "WRK_JSON "
PERCENTILES = (50, 90, 95, 99)


class WrkError(RuntimeError):
    """wrk could not run, or printed no result."""


def lua_string(text: str) -> str:
    """``text`` as a Lua string literal (any byte is safe inside ``"..."`` once escaped)."""
    out = ['"']
    for char in text:
        code = ord(char)
        if char in '"\\':
            out.append("\\" + char)
        elif 32 <= code < 127:
            out.append(char)
        else:
            # Lua 5.1 (LuaJIT) knows decimal escapes of bytes: encode as UTF-8 bytes.
            out.extend(f"\\{byte}" for byte in char.encode("utf-8"))
    out.append('"')
    return "".join(out)


def lua_script(paths: list[str], headers: dict[str, str], expected_status: int) -> str:
    """The Lua script for wrk: rotate ``paths``, send ``headers``, count other statuses."""
    if not paths:
        raise ValueError("at least one path")
    path_list = ", ".join(lua_string(p) for p in paths)
    header_list = ", ".join(f"[{lua_string(k)}] = {lua_string(v)}" for k, v in headers.items())
    percentiles = ", ".join(str(p) for p in PERCENTILES)
    return f"""\
-- Written by bench/http_wrk.py for one wrk run.
local paths = {{{path_list}}}
local expected = {expected_status}
local threads = {{}}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  requests_made = 0
  unexpected = 0
  first_unexpected = 0
  formatted = {{}}
  for i, path in ipairs(paths) do
    local headers = {{{header_list}}}
    formatted[i] = wrk.format("GET", path, headers)
  end
end

function request()
  requests_made = requests_made + 1
  return formatted[(requests_made - 1) % #formatted + 1]
end

function response(status, headers, body)
  if status ~= expected then
    unexpected = unexpected + 1
    if first_unexpected == 0 then
      first_unexpected = status
    end
  end
end

function done(summary, latency, requests)
  local unexpected_total = 0
  local first = 0
  for _, thread in ipairs(threads) do
    unexpected_total = unexpected_total + thread:get("unexpected")
    if first == 0 then
      first = thread:get("first_unexpected")
    end
  end
  local e = summary.errors
  local parts = {{}}
  for _, p in ipairs({{{percentiles}}}) do
    table.insert(parts, string.format('"%d": %d', p, latency:percentile(p)))
  end
  io.write(string.format(
    '{MARKER}{{"requests": %d, "duration_us": %d, "bytes": %d, ' ..
    '"connect": %d, "read": %d, "write": %d, "status": %d, "timeout": %d, ' ..
    '"unexpected": %d, "first_unexpected": %d, "mean_us": %.1f, "max_us": %d, ' ..
    '"percentiles_us": {{%s}}}}\\n',
    summary.requests, summary.duration, summary.bytes,
    e.connect, e.read, e.write, e.status, e.timeout,
    unexpected_total, first, latency.mean, latency.max, table.concat(parts, ", ")))
end
"""


@dataclass(frozen=True)
class WrkResult:
    """What one wrk run measured."""

    requests: int
    seconds: float
    bytes: int
    #: Socket errors (connect, read, write, timeout) and HTTP statuses above 399.
    errors: dict[str, int]
    #: Responses whose status was not the expected one (counted by the script).
    unexpected: int
    first_unexpected: int
    mean_ms: float
    max_ms: float
    #: Latency percentile (50, 90, 95, 99) -> milliseconds.
    percentiles_ms: dict[int, float]

    @property
    def rate(self) -> float:
        """Requests per second."""
        return self.requests / self.seconds if self.seconds else 0.0

    @property
    def failures(self) -> int:
        return sum(self.errors.values()) + self.unexpected

    def p(self, percentile: int) -> float:
        return self.percentiles_ms[percentile]

    def problem(self) -> str:
        """Why the run does not count ("" when every request was answered as expected)."""
        if self.requests == 0:
            return "no request completed"
        said = [f"{count:,} {kind} errors" for kind, count in self.errors.items() if count]
        if self.unexpected:
            said.append(
                f"{self.unexpected:,} responses with an unexpected status "
                f"(first: {self.first_unexpected})"
            )
        return ", ".join(said)


def parse_wrk_output(stdout: str) -> WrkResult:
    """The ``WRK_JSON`` line of wrk's output as a :class:`WrkResult`."""
    for line in stdout.splitlines():
        if line.startswith(MARKER):
            data = json.loads(line[len(MARKER) :])
            break
    else:
        raise WrkError(f"wrk printed no {MARKER.strip()} line: {stdout[-500:]!r}")
    return WrkResult(
        requests=int(data["requests"]),
        seconds=int(data["duration_us"]) / 1e6,
        bytes=int(data["bytes"]),
        errors={
            kind: int(data[kind]) for kind in ("connect", "read", "write", "timeout", "status")
        },
        unexpected=int(data["unexpected"]),
        first_unexpected=int(data["first_unexpected"]),
        mean_ms=float(data["mean_us"]) / 1000,
        max_ms=int(data["max_us"]) / 1000,
        percentiles_ms={int(p): int(us) / 1000 for p, us in data["percentiles_us"].items()},
    )


@dataclass(frozen=True)
class Load:
    """How hard and how long wrk drives the server."""

    connections: int = 16
    threads: int = 2
    seconds: float = 10.0
    #: A request slower than this counts as a timeout error.
    timeout_s: float = 10.0


def wrk_command(script: Path, base_url: str, load: Load) -> list[str]:
    wrk = shutil.which("wrk")
    if wrk is None:
        raise WrkError("wrk is not installed (apt-get install -y wrk)")
    return [
        wrk,
        f"--connections={load.connections}",
        f"--threads={min(load.threads, load.connections)}",
        f"--duration={max(1, round(load.seconds))}s",
        f"--timeout={max(1, round(load.timeout_s))}s",
        f"--script={script}",
        base_url,
    ]


def run_wrk(
    base_url: str,
    paths: list[str],
    load: Load,
    *,
    headers: dict[str, str] | None = None,
    expected_status: int = 200,
) -> WrkResult:
    """Drive ``base_url`` (e.g. ``http://127.0.0.1:8123``) on ``paths`` with wrk."""
    with tempfile.TemporaryDirectory(prefix="tripartite-wrk-") as tmp:
        script = Path(tmp) / "bench.lua"
        script.write_text(lua_script(paths, headers or {}, expected_status))
        completed = subprocess.run(  # noqa: S603 - fixed arguments, no shell
            wrk_command(script, base_url, load),
            capture_output=True,
            text=True,
            timeout=load.seconds + load.timeout_s + 30,
            check=False,
        )
    if completed.returncode != 0:
        raise WrkError(f"wrk exited with {completed.returncode}: {completed.stderr[-500:]}")
    return parse_wrk_output(completed.stdout)
