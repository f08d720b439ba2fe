"""``tripartite roles grant|list``: grant a role from the server's shell.

The site's own account grants at once, without approval: that is how a new site gets its
first representatives, whose approvals every later grant needs. Each such grant is logged
as a change "granted by the site's own account", so the record shows it for what it is.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

roles_app = typer.Typer(help="Editing roles bound to records.", no_args_is_help=True)

DataDir = Annotated[
    Path | None, typer.Option("--data-dir", help="Where the database lives (default ./var).")
]


@roles_app.command("grant")
def grant(
    email: Annotated[str, typer.Argument(help="The account's e-mail address.")],
    role: Annotated[str, typer.Argument(help="operator, support_unit, sc_member, …")],
    scope: Annotated[
        str, typer.Argument(help="Public id of the record (forum/…, seat/…, member/…).")
    ] = "",
    name: Annotated[str, typer.Option("--name", help="The name shown on the record.")] = "",
    data_dir: DataDir = None,
) -> None:
    """Grant ROLE on SCOPE to the account with EMAIL, at once (logged as such)."""
    from tripartite.cli import _setup

    _setup(data_dir)
    from django.contrib.auth import get_user_model

    from tripartite.accounts.joint_services import grant_role_at_setup
    from tripartite.core.actors import system_actor
    from tripartite.core.errors import ServiceError

    user = get_user_model().objects.filter(email__iexact=email).first()
    if user is None:
        typer.echo(f"No account has the address {email}.", err=True)
        raise typer.Exit(2)
    try:
        made = grant_role_at_setup(
            system_actor(), user=user, role=role, scope=scope.strip("/"), holder_name=name
        )
    except ServiceError as error:
        typer.echo(error.message, err=True)
        raise typer.Exit(2) from None
    typer.echo(
        json.dumps(
            {
                "granted": made.role,
                "scope": made.scope,
                "change": made.change.public_id if made.change else None,
            }
        )
    )


@roles_app.command("list")
def list_roles(data_dir: DataDir = None) -> None:
    """Print the roles in force as JSON lines."""
    from tripartite.cli import _setup

    _setup(data_dir)
    from tripartite.accounts.models import RoleGrant

    for g in RoleGrant.objects.filter(ended_at__isnull=True).select_related("user"):
        typer.echo(
            json.dumps(
                {"holder": g.holder_name, "email": g.user.email, "role": g.role, "scope": g.scope}
            )
        )


def register(app: typer.Typer) -> None:
    app.add_typer(roles_app, name="roles")
