"""``python -m nextauth_cli``."""

from nextauth_cli.cli import main

main()
