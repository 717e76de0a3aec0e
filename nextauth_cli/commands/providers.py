"""`nextauth providers`: the provider catalog."""

from __future__ import annotations

import json
from typing import Annotated

import typer

app = typer.Typer()


@app.command("providers")
def providers(
    as_json: Annotated[bool, typer.Option("--json", help="Machine-readable output.")] = False,
) -> None:
    """List every provider `init` and `add-provider` know: id, name, type, env variables, docs.

    Examples:

      nextauth providers
      nextauth providers --json | jq '.[] | select(.type == "oidc") | .id'
    """
    from nextauth_cli import _console as console
    from nextauth_cli.catalog import CATALOG

    if as_json:
        rows = [
            {
                "id": spec.id,
                "name": spec.name,
                "type": spec.type,
                "factory": f"nextauth.providers.{spec.module}.{spec.factory}",
                "env": [name for _, name in spec.env_vars()],
                "scopes": spec.scopes,
                "discovery": spec.discovery,
                "endpoints": dict(spec.endpoints),
                "docs": spec.docs,
                "console": spec.console,
                "redirect_uri": f"<NEXTAUTH_URL>/api/auth/callback/{spec.id}" if spec.is_oauth else "",
            }
            for spec in CATALOG.values()
        ]
        typer.echo(json.dumps(rows, indent=2))
        return
    console.table(
        ["id", "name", "type", "env variables", "docs"],
        [
            [spec.id, spec.name, spec.type, " ".join(name for _, name in spec.env_vars()), spec.docs]
            for spec in CATALOG.values()
        ],
        title=f"{len(CATALOG)} providers (redirect URI: <NEXTAUTH_URL>/api/auth/callback/<id>)",
    )
