"""``tripartite compliance check``: the compliance engine from the command line.

``register(app)`` adds the ``compliance`` group to the console script. Each member's
readings are stored as logged records (a new version only when they changed) and the
contrary-to-process findings they show are recorded, unless ``--no-store`` asks for a
read-only run. A progress bar goes to standard error, so ``--json`` output stays clean.
Findings of non-compliance are results, not errors: the command exits 0 when it ran and
2 for an unknown member.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer


def check(
    member: Annotated[
        str | None, typer.Option("--member", help="Only this member (its key, e.g. mx).")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the findings as JSON.")] = False,
    store: Annotated[
        bool,
        typer.Option(
            "--store/--no-store",
            help="Keep the readings and the contrary findings they show on the record.",
        ),
    ] = True,
    data_dir: Annotated[
        Path | None,
        typer.Option("--data-dir", help="Where the database lives (default ./var)."),
    ] = None,
) -> None:
    """Evaluate the co-creation standards per member and action plan, from the records."""
    from tripartite.cli import _setup

    _setup(data_dir)
    from django.utils.translation import gettext as _

    from tripartite.core.actors import system_actor
    from tripartite.core.policy import PolicySet
    from tripartite.forums.models import Member
    from tripartite.oversight.compliance import evaluate
    from tripartite.oversight.compliance_store import refresh

    members = Member.objects.filter(retracted_at__isnull=True).order_by("name", "key")
    if member is not None:
        members = members.filter(key=member)
        if not members.exists():
            typer.echo(_("Unknown member: %(key)s") % {"key": member}, err=True)
            raise typer.Exit(2)
    policies = PolicySet.load()
    report: list[dict[str, Any]] = []
    changed = contrary = 0
    actor = system_actor() if store else None
    with typer.progressbar(
        list(members), label=_("Checking members"), file=sys.stderr, show_pos=True
    ) as progress:
        for item in progress:
            if actor is not None:
                result = refresh(item, actor=actor, policies=policies)
                findings = result.findings
                changed += len(result.changed)
                contrary += len(result.contrary)
            else:
                findings = evaluate(item, policies=policies)
            report.append({"member": item, "findings": findings})
    if store:
        typer.echo(
            _("%(changed)s readings changed; %(contrary)s contrary-to-process findings recorded.")
            % {"changed": changed, "contrary": contrary},
            err=True,
        )
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "members": [
                        {
                            "member": entry["member"].public_id,
                            "name": entry["member"].name,
                            "findings": [f.as_dict() for f in entry["findings"]],
                        }
                        for entry in report
                    ]
                },
                ensure_ascii=False,
                indent=2,
            )
        )
        return
    for entry in report:
        _print_member(entry["member"], entry["findings"])


def _print_member(member: Any, findings: list[Any]) -> None:
    from django.utils.translation import gettext as _

    typer.echo(f"{member.name} ({member.public_id})")
    if not findings:
        typer.echo("  " + _("No action plan on the record."))
        return
    plans: dict[str, list[Any]] = {}
    for finding in findings:
        plans.setdefault(finding.plan, []).append(finding)
    for plan, rows in plans.items():
        typer.echo(f"  {plan}")
        typer.echo(f"    {_('Rule'):<12} {_('Status'):<22} {_('Explanation')}")
        for f in rows:
            flag = "" if f.verified else " [" + _("unverified rule") + "]"
            typer.echo(f"    {f.rule:<12} {f.status_label:<22} {f.explanation}{flag}")
            if f.missing:
                typer.echo(f"    {'':<12} {'':<22} {_('Missing')}: {f.missing}")


def register(app: typer.Typer) -> None:
    """Add the ``compliance`` group (``compliance check``) to ``app``."""
    compliance_app = typer.Typer(
        help="Compliance with the OGP co-creation standards, read from the records.",
        no_args_is_help=True,
    )
    compliance_app.command("check")(check)
    app.add_typer(compliance_app, name="compliance")
