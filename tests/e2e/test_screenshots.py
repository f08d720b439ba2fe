"""``make screenshots``: the script's core writes a full-page PNG per page type and language."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING

import pytest
from playwright.sync_api import Browser

if TYPE_CHECKING:
    from pytest_django.live_server_helper import LiveServer

    from .conftest import Scenario

pytestmark = [pytest.mark.e2e, pytest.mark.frontend]

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "screenshots.py"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("screenshots", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_screenshots_are_written_per_language_and_page_type(
    browser: Browser, live_server: LiveServer, scenario: Scenario, tmp_path: Path
) -> None:
    screenshots = load_script()
    urls = {name: scenario.urls[name] for name in ("forum", "letter")}

    written = screenshots.take_screenshots(
        browser, live_server.url, urls, tmp_path, languages=["en", "es"]
    )

    expected = {tmp_path / lang / f"{name}.png" for lang in ("en", "es") for name in urls}
    assert set(written) == expected
    for path in expected:
        data = path.read_bytes()
        assert data.startswith(PNG_SIGNATURE), path
        assert len(data) > 10_000, f"{path} is suspiciously small"
    # The language really switched: the Spanish page is not the English one.
    for name in urls:
        assert (tmp_path / "en" / f"{name}.png").read_bytes() != (
            tmp_path / "es" / f"{name}.png"
        ).read_bytes()
