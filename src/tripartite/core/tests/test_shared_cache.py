"""Several app servers share one cache (TRIPARTITE_CACHE_URL): the rate limits of
core/ratelimit.py then count the posts a client sends to any of them.

Each test starts real processes (``python -c``) with the site's settings, as two app
servers would run; they share only the Redis server on 127.0.0.1:6379 (skipped when none
answers there, or the redis package is missing)."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

REDIS = ("127.0.0.1", 6379)

# One app server: counts ``posts`` posts of the "input" scope from one address, and
# prints the cache backend and whether each post was allowed.
SERVER = """
import json, sys
import django
django.setup()
from django.conf import settings
from django.test import RequestFactory
from tripartite.core.ratelimit import hit
request = RequestFactory().post("/", REMOTE_ADDR="203.0.113.7")
allowed = [hit(request, "input").allowed for _ in range(int(sys.argv[1]))]
print(json.dumps({"backend": settings.CACHES["default"]["BACKEND"], "allowed": allowed}))
"""


def _redis_reachable() -> bool:
    try:
        import redis  # noqa: F401
    except ImportError:
        return False
    try:
        with socket.create_connection(REDIS, timeout=0.5):
            return True
    except OSError:
        return False


def _server(cache_url: str, prefix: str, posts: int, data_dir: Path) -> dict[str, object]:
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tripartite.settings",
        "TRIPARTITE_DATA_DIR": str(data_dir),
        "TRIPARTITE_CACHE_URL": cache_url,
        "TRIPARTITE_CACHE_PREFIX": prefix,
        "TRIPARTITE_RATE_LIMITS_ENABLED": "1",
        # A window of ten years: the two servers never straddle two windows.
        "TRIPARTITE_RATE_LIMIT_INPUT": "5/3650d",
    }
    done = subprocess.run(
        [sys.executable, "-c", SERVER, str(posts)],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.fixture
def redis_prefix() -> Iterator[str]:
    """A key prefix of this test's own; its keys are deleted afterwards (the counters'
    window is ten years long)."""
    import redis

    prefix = f"test-{uuid.uuid4().hex}"
    yield prefix
    client = redis.Redis(host=REDIS[0], port=REDIS[1], db=0)
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)


@pytest.mark.skipif(not _redis_reachable(), reason="no Redis on 127.0.0.1:6379 (or no redis)")
def test_two_app_servers_count_one_client_together_in_redis(
    tmp_path: Path, redis_prefix: str
) -> None:
    url, prefix = f"redis://{REDIS[0]}:{REDIS[1]}/0", redis_prefix

    first = _server(url, prefix, 3, tmp_path)
    second = _server(url, prefix, 3, tmp_path)

    assert first["backend"] == "django.core.cache.backends.redis.RedisCache"
    assert first["allowed"] == [True, True, True]
    assert second["allowed"] == [True, True, False]  # the sixth post of the five allowed


def test_without_a_shared_cache_each_server_counts_alone(tmp_path: Path) -> None:
    # The one-machine default (memory of each process): what TRIPARTITE_CACHE_URL fixes.
    first = _server("", "one", 3, tmp_path)
    second = _server("", "one", 3, tmp_path)

    assert first["backend"] == "django.core.cache.backends.locmem.LocMemCache"
    assert first["allowed"] == second["allowed"] == [True, True, True]


def test_an_unknown_cache_url_is_refused_at_start(tmp_path: Path) -> None:
    with pytest.raises(subprocess.CalledProcessError) as refused:
        _server("memcached://127.0.0.1:11211", "x", 1, tmp_path)

    assert "TRIPARTITE_CACHE_URL must be" in refused.value.stderr
