"""`nextauth init`: interview, then write the project."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Literal

import typer

from nextauth_cli.commands._common import guard, print_provider_setup

if TYPE_CHECKING:
    from nextauth_cli.config import ProjectConfig

app = typer.Typer()


@app.command("init")
def init(
    directory: Annotated[Path, typer.Argument(help="Project directory (created if missing).")] = Path(),
    router: Annotated[
        Literal["app", "pages"] | None, typer.Option(help="Route layout: app/…/route.py or pages/…/[...nextauth].py.")
    ] = None,
    mode: Annotated[
        Literal["simple", "advanced"] | None,
        typer.Option(help="simple: NextAuth(auth_options); advanced: your code runs before NextAuth."),
    ] = None,
    provider: Annotated[
        list[str] | None, typer.Option("--provider", "-p", help="A provider id (repeat for several).")
    ] = None,
    session: Annotated[
        Literal["jwt", "database"] | None, typer.Option(help="Session strategy: encrypted cookie or database rows.")
    ] = None,
    database_url: Annotated[
        str | None, typer.Option(help="SQLAlchemy URL (database sessions, email); default sqlite:///./nextauth.db.")
    ] = None,
    url: Annotated[
        str | None, typer.Option(help="Development URL (NEXTAUTH_URL), default http://localhost:3000.")
    ] = None,
    production_url: Annotated[
        str | None, typer.Option(help="Public production URL, e.g. https://app.example.com.")
    ] = None,
    cookie_domain: Annotated[
        str | None, typer.Option(help="Share the session across subdomains of this domain (e.g. example.com).")
    ] = None,
    base_path: Annotated[str | None, typer.Option(help="Where the auth routes live (default /api/auth).")] = None,
    redirect_callback: Annotated[
        bool, typer.Option(help="Also write a custom redirect callback (origin equality) to edit.")
    ] = False,
    refresh_tokens: Annotated[
        bool, typer.Option(help="Keep OAuth access tokens fresh: [refresh_tokens] in nextauth.toml.")
    ] = False,
    rate_limit: Annotated[
        bool, typer.Option(help="Limit sign-in attempts (credentials) and requests (email): [rate_limit].")
    ] = False,
    protect: Annotated[
        list[str] | None,
        typer.Option(
            "--protect",
            metavar="PATTERN",
            help="A path only signed-in users may open, as a Next.js matcher (repeat for several); "
            "default /dashboard/:path*.",
        ),
    ] = None,
    yes: Annotated[
        bool, typer.Option("--yes", "-y", help="Ask nothing: defaults for every unanswered question.")
    ] = False,
    force: Annotated[
        bool, typer.Option(help="Start over where a config or route file exists (old files kept in .nextauth/backup).")
    ] = False,
) -> None:
    """Create a project: nextauth.toml, the catch-all route, auth_options.py, auth_callbacks.py, .env.local,
    middleware.py (route protection) and two pages: / (who is signed in) and /dashboard (signed-in users only).

    Asks what the flags do not say (selection lists in a terminal), or takes the defaults with --yes:
    app router, simple initialization, the credentials provider with a generated demo user, JWT sessions,
    http://localhost:3000, /dashboard/:path* protected. Then prints the redirect URI to register at each
    OAuth provider.

    Examples:

      nextauth init myapp
      nextauth init myapp --yes
      nextauth init myapp --router pages --provider github --provider google --yes
      nextauth init . --provider email --session database --database-url postgresql://localhost/app -y
      nextauth init . -p keycloak --production-url https://app.example.com --cookie-domain example.com -y
      nextauth init myapp --protect '/dashboard/:path*' --protect '/admin/:path*' --yes
      nextauth init myapp -p github --refresh-tokens --rate-limit --yes
    """
    from nextauth_cli import _console as console
    from nextauth_cli._interview import Partial, interview
    from nextauth_cli.config import parse_config
    from nextauth_cli.project import scaffold, validate_answers

    with guard():
        given = Partial(
            router=router,
            mode=mode,
            providers=provider or None,
            session=session,
            database_url=database_url,
            url=url,
            production_url=production_url,
            cookie_domain=cookie_domain,
            base_path=base_path,
            redirect_callback=redirect_callback,
            refresh_tokens=refresh_tokens,
            rate_limit=rate_limit,
            protect=protect or None,
        )
        answers = validate_answers(interview(given, ask=not yes))
        dest = directory.expanduser().resolve()
        written = scaffold(dest, answers, force=force)
        state = False
        for path in written:
            rel = path.relative_to(dest).as_posix()
            if rel.startswith(".nextauth/"):
                state = True
                continue
            console.success(f"wrote {rel}")
        if state:
            console.success("wrote .nextauth/ (the last render of each generated file, for merges: commit it)")
        config = parse_config((dest / "nextauth.toml").read_text(encoding="utf-8"))
        console.heading(f"Created a nextauth project in {dest} ({config.router} router, {config.mode} initialization)")
        print_provider_setup(config, config.providers)
        _next_steps(dest, config)


def _next_steps(dest: Path, config: ProjectConfig) -> None:
    from nextauth_cli import _console as console
    from nextauth_cli.commands._common import command_name, shown_dir

    # Commands as the user can type them from here: the program as they ran it (.venv/bin/nextauth when
    # that is not the `nextauth` on PATH), the directory relative to where they are.
    run = command_name()
    where = "" if dest == Path.cwd() else f" {shown_dir(dest)}"
    console.heading("Next steps")
    step = 1
    if any(p.spec.type == "credentials" for p in config.providers):
        console.line(
            f"  {step}. Sign in with the demo user: its name and password are in .env.local "
            "(AUTH_DEMO_USERNAME, AUTH_DEMO_PASSWORD). Replace authorize() in auth_callbacks.py before production."
        )
        step += 1
    if config.database:
        console.line(f"  {step}. Create the database tables: {console.escape(run)} db init{console.escape(where)}")
        step += 1
    console.line(f"  {step}. Check the setup:  {console.escape(run)} doctor{console.escape(where)}")
    console.line(
        f"  {step + 1}. Run it:           {console.escape(run)} dev{console.escape(where)}"
        f"   → {console.escape(config.dev_url)}/"
        + (console.escape(f" (signed-in users only: {' '.join(config.protect)})") if config.protect else "")
    )
