"""The environment of a production process started by a test or a check script."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def production_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The caller's environment without any Tripartite or database setting, plus a
    production configuration: DEBUG off, a random strong key, the data directory given
    (``extra`` adds or overrides settings)."""
    env = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("TRIPARTITE_", "DJANGO_")) and name != "DATABASE_URL"
    }
    env.update(
        DJANGO_SETTINGS_MODULE="tripartite.settings",
        TRIPARTITE_DATA_DIR=str(data_dir),
        TRIPARTITE_DEBUG="0",
        TRIPARTITE_SECRET_KEY=secrets.token_urlsafe(50),
        TRIPARTITE_ALLOWED_HOSTS="tripartite.example.org",
    )
    env.update(extra)
    return env
