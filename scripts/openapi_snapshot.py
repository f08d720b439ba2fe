#!/usr/bin/env python
"""Write the committed OpenAPI snapshot, ``tests/snapshots/openapi.json``.

Run it after an intended change of the API (``make openapi-snapshot`` calls it)::

    python scripts/openapi_snapshot.py           # rewrite the snapshot
    python scripts/openapi_snapshot.py --check   # exit 1 if the snapshot is out of date

``src/tripartite/core/tests/test_openapi_snapshot.py`` fails while the snapshot and the code
disagree, so every change of the API shows up in review as a change of this file.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SNAPSHOT = ROOT / "tests" / "snapshots" / "openapi.json"


def current_schema() -> dict[str, Any]:
    """The API's OpenAPI document as plain JSON data."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tripartite.settings")
    os.environ.setdefault("TRIPARTITE_DATA_DIR", str(ROOT / "var"))
    sys.path.insert(0, str(ROOT / "src"))  # also works from a checkout that is not installed
    import django

    django.setup()
    from tripartite.api import api

    schema: dict[str, Any] = json.loads(json.dumps(api.get_openapi_schema(), default=str))
    return schema


def render(schema: dict[str, Any]) -> str:
    return json.dumps(schema, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--check", action="store_true", help="do not write; exit 1 if the snapshot is out of date"
    )
    args = parser.parse_args(argv)
    text = render(current_schema())
    if args.check:
        if not SNAPSHOT.exists() or SNAPSHOT.read_text(encoding="utf-8") != text:
            print(
                f"{SNAPSHOT.relative_to(ROOT)} is out of date: run make openapi-snapshot",
                file=sys.stderr,
            )
            return 1
        print(f"{SNAPSHOT.relative_to(ROOT)} is up to date")
        return 0
    SNAPSHOT.parent.mkdir(parents=True, exist_ok=True)
    SNAPSHOT.write_text(text, encoding="utf-8")
    print(f"wrote {SNAPSHOT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
