"""One module per command; each holds a small Typer app that `nextauth_cli.cli` composes."""
