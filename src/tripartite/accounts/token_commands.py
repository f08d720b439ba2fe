"""``tripartite tokens create|list|revoke``: API tokens from the server's shell.

For tools run by the site's keepers (an importer, a ministry's reporting system) and for
set-up: the shell acts as the site's own account, which may make a token for any account.
The token acts with that account's roles only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

tokens_app = typer.Typer(help="Personal API tokens for the API's writes.", no_args_is_help=True)

DataDir = Annotated[
    Path | None, typer.Option("--data-dir", help="Where the database lives (default ./var).")
]


def _account(email: str) -> Any:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.filter(email__iexact=email).first()
    if user is None:
        typer.echo(f"No account has the address {email}.", err=True)
        raise typer.Exit(2)
    return user


@tokens_app.command("create")
def create(
    email: Annotated[str, typer.Argument(help="The account's e-mail address.")],
    name: Annotated[str, typer.Option("--name", help="What will use the token.")] = "shell",
    days: Annotated[
        int, typer.Option("--days", help="Days until it expires (0: never).", min=0)
    ] = 90,
    data_dir: DataDir = None,
) -> None:
    """Make a token for the account with EMAIL and print it (it is shown only once)."""
    from tripartite.cli import _setup

    _setup(data_dir)
    from tripartite.accounts.token_services import issue_token
    from tripartite.core.actors import system_actor
    from tripartite.core.errors import ServiceError

    try:
        _, secret = issue_token(system_actor(), user=_account(email), name=name, days=days or None)
    except ServiceError as error:
        typer.echo(error.message, err=True)
        raise typer.Exit(2) from None
    typer.echo(secret)


@tokens_app.command("list")
def list_tokens(
    email: Annotated[str, typer.Argument(help="The account's e-mail address.")],
    data_dir: DataDir = None,
) -> None:
    """Print the account's tokens as JSON lines (never the secrets, which are not stored)."""
    from tripartite.cli import _setup

    _setup(data_dir)
    from tripartite.accounts.models import ApiToken

    for t in ApiToken.objects.filter(user=_account(email)):
        typer.echo(
            json.dumps(
                {
                    "id": t.pk,
                    "name": t.name,
                    "starts_with": t.prefix,
                    "created": t.created_at.isoformat(),
                    "expires": t.expires_at.isoformat() if t.expires_at else None,
                    "last_used": t.last_used_at.isoformat() if t.last_used_at else None,
                    "revoked": t.revoked_at.isoformat() if t.revoked_at else None,
                }
            )
        )


@tokens_app.command("revoke")
def revoke(
    token_id: Annotated[int, typer.Argument(help="The token's id (from `tokens list`).")],
    data_dir: DataDir = None,
) -> None:
    """Revoke a token at once."""
    from tripartite.cli import _setup

    _setup(data_dir)
    from tripartite.accounts.models import ApiToken
    from tripartite.accounts.token_services import revoke_token
    from tripartite.core.actors import system_actor

    token = ApiToken.objects.filter(pk=token_id).first()
    if token is None:
        typer.echo(f"No token has the id {token_id}.", err=True)
        raise typer.Exit(2)
    revoke_token(system_actor(), token=token)
    typer.echo(json.dumps({"revoked": token.pk}))


def register(app: typer.Typer) -> None:
    app.add_typer(tokens_app, name="tokens")
