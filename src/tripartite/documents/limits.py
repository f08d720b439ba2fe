"""Limits on uploads and text extraction, read from settings (with sane defaults).

| setting | default | what |
|---|---|---|
| ``TRIPARTITE_UPLOAD_MAX_BYTES`` | 25 MB | largest file accepted |
| ``TRIPARTITE_UPLOAD_MAX_PAGES`` | 2,000 | most pages of a PDF |
| ``TRIPARTITE_UPLOAD_MAX_EXPANDED_BYTES`` | 100 MB | most bytes a DOCX/ODT (a ZIP) may expand to |
| ``TRIPARTITE_UPLOAD_MAX_RATIO`` | 100 | highest compression ratio of a ZIP member over 1 MB |
| ``TRIPARTITE_EXTRACTION_SECONDS`` | 60 | time the worker spends extracting one file's text |
| ``TRIPARTITE_EXTRACTION_MAX_CHARS`` | 2,000,000 | characters of text kept per version |
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings

MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    max_bytes: int = 25 * MB
    max_pages: int = 2000
    max_expanded_bytes: int = 100 * MB
    max_ratio: int = 100
    extraction_seconds: float = 60.0
    max_chars: int = 2_000_000


def current() -> Limits:
    """The limits in force (settings override each default)."""
    defaults = Limits()
    return Limits(
        max_bytes=int(getattr(settings, "TRIPARTITE_UPLOAD_MAX_BYTES", defaults.max_bytes)),
        max_pages=int(getattr(settings, "TRIPARTITE_UPLOAD_MAX_PAGES", defaults.max_pages)),
        max_expanded_bytes=int(
            getattr(settings, "TRIPARTITE_UPLOAD_MAX_EXPANDED_BYTES", defaults.max_expanded_bytes)
        ),
        max_ratio=int(getattr(settings, "TRIPARTITE_UPLOAD_MAX_RATIO", defaults.max_ratio)),
        extraction_seconds=float(
            getattr(settings, "TRIPARTITE_EXTRACTION_SECONDS", defaults.extraction_seconds)
        ),
        max_chars=int(getattr(settings, "TRIPARTITE_EXTRACTION_MAX_CHARS", defaults.max_chars)),
    )
