"""The per-process page store keeps within its byte budget, dropping the least recently
used pages first (core/page_cache.py)."""

from __future__ import annotations

from tripartite.core.page_cache import LocalPages


def _page(size: int) -> tuple[int, dict[str, str], bytes]:
    return (200, {"Content-Type": "text/html"}, b"x" * size)


def test_the_least_recently_used_page_goes_first_when_the_budget_is_full() -> None:
    pages = LocalPages(budget_bytes=300)
    pages.set("a", _page(100))
    pages.set("b", _page(100))
    pages.set("c", _page(100))
    assert pages.get("a") is not None  # "a" is now the most recently used
    pages.set("d", _page(100))
    assert pages.get("b") is None
    assert [pages.get(k) is not None for k in "acd"] == [True, True, True]


def test_a_page_larger_than_the_budget_is_not_kept() -> None:
    pages = LocalPages(budget_bytes=50)
    pages.set("big", _page(51))
    assert pages.get("big") is None


def test_replacing_a_page_counts_its_bytes_once() -> None:
    pages = LocalPages(budget_bytes=200)
    pages.set("a", _page(100))
    pages.set("a", _page(100))
    pages.set("b", _page(100))
    assert pages.get("a") is not None and pages.get("b") is not None
