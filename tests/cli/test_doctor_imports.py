"""doctor reads a route file's names as Python binds them, with the walker generate uses (issue 12)."""

from __future__ import annotations

from pathlib import Path

from clikit import new_project

from nextauth_cli.doctor import diagnose


def test_doctor_sees_a_route_handler_bound_by_import(tmp_path: Path) -> None:
    """`import x as handler` binds handler: doctor must not call such a route file broken (it did, on 4586d69)."""
    project = new_project(tmp_path / "app", router="pages")
    (project / "my_handler.py").write_text("def handler(req, res): ...\n")
    route = project / "pages/api/auth/[...nextauth].py"
    route.write_text("import my_handler as handler  # noqa\n")
    report = diagnose(project, environ={})
    route_findings = [f for f in report.findings if f.check == "route"]
    assert [f.level for f in route_findings] == ["ok"], route_findings
