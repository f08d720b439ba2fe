"""Full-page screenshots of every page type in every language: ``make screenshots``.

Loads the demo (the Mexico 2017 scenario) into a temporary data dir, serves it with
Django's runserver on a free loopback port, and has Debian's Chromium (``CHROMIUM`` or
/usr/bin/chromium, driven by the Playwright wheel as in tests/e2e) write
``var/screenshots/<lang>/<page-type>.png`` for English, Spanish and French. The server
and the data dir are gone when it ends.

    .venv/bin/python scripts/screenshots.py [--out DIR] [--lang es] [--page forum ...]

``take_screenshots`` is the core, usable with any running site and any Playwright browser
(tests/e2e/test_screenshots.py runs it against the e2e live server).
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser

ROOT = Path(__file__).resolve().parents[1]
LANGUAGES = ("en", "es", "fr")
# As tests/e2e/conftest.py launches it: quiet, no traffic of its own.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

RUNSERVER = [sys.executable, "-m", "tripartite.cli", "manage", "runserver"]

# Pages that need no record.
FIXED_PAGES = {
    "home": "/",
    "letters": "/letters/",
    "login": "/accounts/login/",
    "signup": "/accounts/signup/",
    "log": "/log",
    "plans": "/plans/",
    "policies": "/policies/",
    "oversight": "/oversight/",
    "steering-committee": "/steering-committee/",
    "scmeetings": "/scmeetings/",
    "resolutions": "/resolutions/",
    "cases": "/cases/",
    "search": "/search/",
    "search-results": "/search/?q=surveillance",
    "open-data": "/open-data/",
    "confidential": "/confidential/",
}

# Record pages: page type → model; the demo's first record of it (Mexico's if any).
RECORD_PAGES = {
    "member": "forums.Member",
    "forum": "forums.Forum",
    "seat": "forums.Seat",
    "meeting": "forums.Meeting",
    "decision": "forums.Decision",
    "letter": "forums.Letter",
    "statement": "forums.Statement",
    "organization": "forums.Organization",
    "person": "forums.Person",
    "plan": "plans.ActionPlan",
    "commitment": "plans.Commitment",
    "milestone": "plans.Milestone",
    "progress": "plans.ProgressReport",
    "irm-report": "plans.IrmReport",
    "assessment": "plans.Assessment",
    "response": "plans.ReasonedResponse",
    "scseat": "oversight.ScSeat",
    "cochair": "oversight.CoChair",
    "subcommittee": "oversight.Subcommittee",
    "scmeeting": "oversight.ScMeeting",
    "resolution": "oversight.Resolution",
    "statuschange": "oversight.StatusChange",
    "case": "oversight.ConcernCase",
    "mission": "oversight.EnvoyMission",
    "contrary": "oversight.ContraryFinding",
    "review": "oversight.ProceduralReview",
}


def take_screenshots(
    browser: Browser,
    base_url: str,
    urls: dict[str, str],
    out_dir: Path,
    languages: Iterable[str] = LANGUAGES,
) -> list[Path]:
    """Write ``out_dir/<lang>/<page-type>.png`` (full page) for every URL in every language.

    The language is chosen as a visitor's browser would: the ``django_language`` cookie and
    the ``Accept-Language`` header. A page that does not answer 200 is reported and skipped.
    """
    written = []
    for language in languages:
        folder = out_dir / language
        folder.mkdir(parents=True, exist_ok=True)
        context = browser.new_context(
            viewport={"width": 1280, "height": 800},
            locale=language,
            extra_http_headers={"Accept-Language": language},
        )
        context.add_cookies([{"name": "django_language", "value": language, "url": base_url}])
        page = context.new_page()
        try:
            for page_type, url in urls.items():
                response = page.goto(base_url.rstrip("/") + url)
                if response is None or response.status != 200:
                    status = response.status if response else "no response"
                    print(f"skipped {language}/{page_type}: {url} answered {status}")
                    continue
                target = folder / f"{page_type}.png"
                page.screenshot(path=str(target), full_page=True)
                written.append(target)
        finally:
            context.close()
    return written


def demo_urls() -> dict[str, str]:
    """Every page type's URL in the loaded demo (Django must be set up)."""
    from django.apps import apps

    urls = dict(FIXED_PAGES)
    for page_type, label in RECORD_PAGES.items():
        rows = apps.get_model(label)._base_manager.filter(retracted_at=None).order_by("pk")
        record = rows.filter(key__startswith="mx").first() or rows.first()
        if record is not None:
            urls[page_type] = record.get_absolute_url()
            if page_type == "forum":
                urls["history"] = record.get_history_url()
    if "member" in urls:
        member_key = urls["member"].rstrip("/").rsplit("/", 1)[-1]
        urls["standing"] = f"/member/{member_key}/standing/"
        urls["repository"] = f"/member/{member_key}/repository/"
    return urls


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_up(url: str, server: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"the server stopped (exit code {server.returncode})")
        try:
            with urllib.request.urlopen(url, timeout=5):  # noqa: S310 - our loopback server
                return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise SystemExit(f"the server did not answer at {url} within {seconds:.0f} s")


@contextmanager
def demo_site(data_dir: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """The demo loaded into ``data_dir`` and served on loopback: (base URL, URLs by type)."""
    env = {
        **os.environ,
        "TRIPARTITE_DATA_DIR": str(data_dir),
        "TRIPARTITE_DEBUG": "1",  # runserver serves the static files
        "DJANGO_SETTINGS_MODULE": "tripartite.settings",
    }
    env.pop("DATABASE_URL", None)  # the temporary SQLite database, never a configured one
    os.environ.pop("DATABASE_URL", None)
    os.environ.update(env)  # this process loads the demo; the server reads the same dir
    import django

    django.setup()
    from django.core.management import call_command

    from tripartite.demo.mexico import load_mexico_2017

    call_command("migrate", "--noinput", "--verbosity", "0")
    load_mexico_2017()
    from tripartite.documents import search

    search.reindex()
    urls = demo_urls()

    port = _free_port()
    base_url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603 - our own console script
        [*RUNSERVER, f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until_up(base_url + "/", server)
        yield base_url, urls
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "screenshots")
    parser.add_argument("--lang", action="append", choices=LANGUAGES, help="repeatable")
    parser.add_argument("--page", action="append", help="page type, repeatable (default all)")
    args = parser.parse_args(argv)

    from playwright.sync_api import sync_playwright

    with (
        tempfile.TemporaryDirectory(prefix="tripartite-screenshots-") as tmp,
        demo_site(Path(tmp)) as (base_url, urls),
    ):
        if args.page:
            unknown = sorted(set(args.page) - set(urls))
            if unknown:
                parser.error(f"unknown page types {unknown}; known: {sorted(urls)}")
            urls = {name: urls[name] for name in args.page}
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"),
                args=CHROMIUM_ARGS,
            )
            try:
                written = take_screenshots(
                    browser, base_url, urls, args.out, args.lang or LANGUAGES
                )
            finally:
                browser.close()
    print(f"{len(written)} screenshots in {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
