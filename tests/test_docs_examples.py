"""The docs work as written (issue 14): their install commands, and every code example in docs/.

One shared setup, as a newcomer's machine: a copy of the source as a clone has it, the README's and
docs/index.md's install commands run in it word for word (a fresh venv, `pip install .`, the extras, a wheel
built and installed elsewhere, `nextauth init` answered with the defaults, `nextauth dev` started and asked for
its providers), then every complete ```python block of docs/ runs in the project those commands made, with the
fresh venv's Python and the project's .env.local (plus a placeholder for every provider variable, as a user who
filled them in). A block marked `<!-- fragment -->` (the line before its fence) is part of a larger program: it
is type-checked with the imports of its page. Every block, complete or not, is type-checked by mypy against the
installed wheel.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
INSTALL_PAGES = [ROOT / "README.md", ROOT / "docs" / "index.md"]
FENCE = re.compile(
    r"^(?P<marker><!--[^\n]*-->\n\n?)?```(?P<lang>[a-z]*)(?P<info>[^\n]*)\n(?P<body>.*?)^```[ \t]*$", re.S | re.M
)
# What a clone holds that an install reads (pyproject's build targets, the readme, the pins).
SOURCE = [
    "pyproject.toml",
    "README.md",
    "LICENSE",
    "CHANGELOG.md",
    "constraints.txt",
    "runtime",
    "nextauth_cli",
    "templates",
]


@dataclass(frozen=True)
class Block:
    page: Path
    index: int
    lang: str
    info: str
    body: str
    fragment: bool

    @property
    def name(self) -> str:
        return f"{self.page.relative_to(ROOT).as_posix()}#{self.index}"


def blocks(page: Path) -> list[Block]:
    return [
        Block(page, i, m["lang"], m["info"].strip(), m["body"], "fragment" in (m["marker"] or ""))
        for i, m in enumerate(FENCE.finditer(page.read_text(encoding="utf-8")))
    ]


DOC_PAGES = sorted((ROOT / "docs").rglob("*.md"))
PYTHON = [b for page in DOC_PAGES for b in blocks(page) if b.lang == "python"]
INSTALL = [b for page in INSTALL_PAGES for b in blocks(page) if b.lang == "sh" and "pip install" in b.body]


def _commands(block: Block) -> list[str]:
    """The block's commands: one per line, `&&` chains split, trailing `# comments` dropped."""
    out: list[str] = []
    for line in block.body.splitlines():
        line = re.split(r"\s+#\s", line, maxsplit=1)[0].strip()
        if line:
            out.extend(part.strip() for part in line.split(" && "))
    return out


@dataclass
class Machine:
    src: Path
    env: dict[str, str]
    log: list[str]

    @property
    def python(self) -> Path:
        return self.src / ".venv" / "bin" / "python"


def _serve_and_ask(command: str, machine: Machine, project: Path) -> None:
    """`nextauth dev DIR`, as typed: it serves (or, with port 3000 taken on this machine, says so and exits 3)."""
    out = machine.src / "dev.log"
    with out.open("w") as log:
        server = subprocess.Popen(
            command,
            shell=True,
            cwd=machine.src,
            env=machine.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 60
        while True:
            text = out.read_text()
            if server.poll() is not None:
                assert server.returncode == 3 and "already in use" in text, text  # documented; nothing else
                machine.log.append(f"{command}: port taken here, exit 3 as documented")
                return
            found = re.search(r"serving .* at (http://\S+) \(NEXTAUTH_URL\)", text)
            if found:
                try:
                    answer = httpx.get(f"{found.group(1)}/api/auth/providers", timeout=2)
                    if answer.status_code == 200:
                        assert "credentials" in answer.json()
                        machine.log.append(f"{command}: serves {found.group(1)}")
                        return
                except httpx.HTTPError:
                    pass
            assert time.monotonic() < deadline, text
            time.sleep(0.2)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGTERM)
            server.wait(timeout=15)


@pytest.fixture(scope="module")
def machine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Machine]:
    base = tmp_path_factory.mktemp("newcomer")
    src = base / "nextauth"
    src.mkdir()
    for name in SOURCE:
        path = ROOT / name
        if path.is_dir():
            shutil.copytree(path, src / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(path, src / name)
    home = base / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEXTAUTH_", "AUTH_", "VIRTUAL_ENV", "PYTHON"))}
    env["PATH"] = os.pathsep.join(
        p for p in env.get("PATH", "").split(os.pathsep) if Path(p) != Path(sys.executable).parent
    )
    env.update(
        HOME=str(home),  # `~/app/.venv` in the README lands here
        PIP_CONSTRAINT=str(src / "constraints.txt"),  # the tested versions; the commands stay as written
        PIP_CACHE_DIR=str(base / "pip-cache"),
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        NO_COLOR="1",
    )
    made = Machine(src, env, [])
    for block in INSTALL:
        for command in _commands(block):
            if re.search(r"nextauth dev \S+$", command):
                _serve_and_ask(command, made, src / command.split()[-1])
                continue
            started = time.monotonic()
            done = subprocess.run(
                command,
                shell=True,
                cwd=src,
                env=env,
                capture_output=True,
                text=True,
                timeout=900,
                input="\n" * 20,  # the interview of `nextauth init` without --yes: every default
            )
            assert done.returncode == 0, (block.name, command, done.stdout[-3000:], done.stderr[-3000:])
            assert "does not provide the extra" not in done.stderr, (command, done.stderr)
            made.log.append(f"{command}: {time.monotonic() - started:.0f} s")
    print("\n" + "\n".join(made.log))
    yield made


def test_the_install_commands_work_as_written(machine: Machine) -> None:
    python = str(machine.python)
    probe = "import nextauth, fastapi, psycopg; print(nextauth.__version__)"
    version = subprocess.run([python, "-c", probe], capture_output=True, text=True, env=machine.env, check=True)
    about = (ROOT / "runtime" / "nextauth" / "__about__.py").read_text()
    assert version.stdout.strip() in about  # the version source is the installed one
    assert (machine.src / "myapp" / "nextauth.toml").is_file() and (machine.src / "demo" / "nextauth.toml").is_file()
    wheels = list((machine.src / "dist").glob("nextauth-*.whl"))
    assert len(wheels) == 1
    elsewhere = Path(machine.env["HOME"]) / "app" / ".venv" / "bin" / "nextauth"
    shown = subprocess.run([str(elsewhere), "--version"], capture_output=True, text=True, env=machine.env, check=True)
    assert shown.stdout.strip() == f"nextauth {version.stdout.strip()}"


def _placeholders() -> dict[str, str]:
    """A value for every provider variable of the catalog, as a user who filled in .env.local."""
    from nextauth_cli.catalog import CATALOG

    values = {}
    for spec in CATALOG.values():
        for _var, name in spec.env_vars():
            values[name] = (
                "https://id.example.com/realms/app" if name.endswith("_ISSUER") else f"placeholder-{name.lower()}"
            )
    values.update(EMAIL_SERVER="smtp://127.0.0.1:2525", EMAIL_FROM="auth@example.com", AZURE_AD_TENANT_ID="common")
    # Apple's client secret is signed with the .p8 key the user pastes: a real (throwaway) P-256 key.
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    values["APPLE_PRIVATE_KEY"] = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return values


def _example_env(machine: Machine, project: Path, code: str) -> dict[str, str]:
    from dotenv import dotenv_values

    env = dict(machine.env)
    env.update(_placeholders())
    # Variables an example reads beyond the catalog's (APPLE_TEAM_ID, CORP_CLIENT_ID, ...): the user sets them.
    for name in re.findall(r"(?:require|optional|getenv|environ\.get)\(\s*\"([A-Z][A-Z0-9_]*)\"", code):
        env.setdefault(name, f"placeholder-{name.lower()}")
    env.update({k: v for k, v in dotenv_values(project / ".env.local").items() if v is not None})
    return env


def _file(block: Block, project: Path) -> Path:
    slug = re.sub(r"[^a-z0-9]+", "_", block.name.lower())
    return project / "doc_examples" / f"{slug}.py"


@pytest.mark.parametrize("block", [b for b in PYTHON if not b.fragment], ids=lambda b: b.name)
def test_every_complete_python_example_runs(machine: Machine, block: Block) -> None:
    project = machine.src / "myapp"
    path = _file(block, project)
    path.parent.mkdir(exist_ok=True)
    path.write_text(block.body)
    done = subprocess.run(
        [str(machine.python), str(path)],
        cwd=project,
        env={**_example_env(machine, project, block.body), "PYTHONPATH": str(project)},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, (block.name, done.stderr[-3000:])


def _imports(page: Path) -> str:
    """Every import statement of the page's examples: the context a fragment is read in."""
    lines = {"from typing import Any"}
    for block in blocks(page):
        if block.lang == "python":
            lines.update(
                line for line in block.body.splitlines() if re.match(r"(from \S+ )?import \S", line) and "(" not in line
            )
    return "\n".join(sorted(lines)) + "\n"


def test_every_python_example_type_checks(machine: Machine) -> None:
    """mypy over every block against the installed wheel; a fragment with its page's imports, and names the
    prose introduces (a function defined elsewhere, ``auth_options``) left to the reader."""
    project = machine.src / "myapp"
    folder = project / "doc_types"
    folder.mkdir(exist_ok=True)
    config = folder / "mypy.ini"
    config.write_text("[mypy]\ncheck_untyped_defs = True\n")
    files = []
    for block in PYTHON:
        slug = re.sub(r"[^a-z0-9]+", "_", block.name.lower())
        path = folder / f"{slug}.py"
        text = block.body.replace("providers=[...]", "providers=[]")  # `[...]`: "your providers", in prose
        if block.fragment:
            text = '# mypy: disable-error-code="name-defined,top-level-await"\n' + _imports(block.page) + text
        path.write_text(text)
        files.append(str(path))
    done = subprocess.run(
        [
            str(Path(sys.executable).with_name("mypy")),
            "--python-executable",
            str(machine.python),
            "--config-file",
            str(config),  # not the clone's strict settings: examples are read, not shipped
            "--no-incremental",
            "--ignore-missing-imports",
            "--allow-redefinition",
            "--explicit-package-bases",
            *files,
        ],
        cwd=project,
        capture_output=True,
        text=True,
        env={**machine.env, "MYPYPATH": str(project)},
        timeout=600,
    )
    assert done.returncode == 0, done.stdout[-6000:]
