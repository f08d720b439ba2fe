"""``tripartite search reindex``: rebuild the search index from the records.

``register(app)`` adds the ``search`` group to the console script. The index is derived
data: rebuilding it changes no record and writes nothing to the log.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer


def reindex(
    data_dir: Annotated[
        Path | None,
        typer.Option("--data-dir", help="Where the database lives (default ./var)."),
    ] = None,
) -> None:
    """Rebuild the whole search index (every public record and document text)."""
    from tripartite.cli import _setup

    _setup(data_dir)
    from django.utils.translation import gettext as _

    from tripartite.documents import search

    total = search.records_to_index()
    with typer.progressbar(
        length=total, label=_("Indexing records"), file=sys.stderr, show_pos=True
    ) as progress:
        indexed = search.reindex(progress=progress.update)
    typer.echo(_("%(count)s records indexed.") % {"count": indexed}, err=True)


def register(app: typer.Typer) -> None:
    """Add the ``search`` group (``search reindex``) to ``app``."""
    search_app = typer.Typer(help="The full-text search index.", no_args_is_help=True)
    search_app.command("reindex")(reindex)
    app.add_typer(search_app, name="search")
