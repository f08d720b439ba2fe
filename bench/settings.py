"""The product's settings with the benchmark's URL map (adds the baseline view)."""

from tripartite.settings import *  # noqa: F403

ROOT_URLCONF = "bench.baseline_urls"
