"""Three-way merges never drop an edit silently, with git or with the built-in diff3."""

from __future__ import annotations

import shutil

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from nextauth_cli._merge import diff3, has_conflict_markers, merge3

ENGINES = ["builtin", *(["git"] if shutil.which("git") else [])]

BASE = "a\nb\nc\nd\ne\n"


@pytest.mark.parametrize("engine", ENGINES)
def test_changes_on_different_lines_merge(engine: str) -> None:
    result = merge3(BASE, "a\nB\nc\nd\ne\n", "a\nb\nc\nD\ne\n", engine=engine)  # type: ignore[arg-type]
    assert (result.text, result.conflicts) == ("a\nB\nc\nD\ne\n", 0)


@pytest.mark.parametrize("engine", ENGINES)
def test_overlapping_changes_conflict_with_diff3_markers(engine: str) -> None:
    result = merge3(BASE, "a\nmine\nc\nd\ne\n", "a\ntheirs\nc\nd\ne\n", engine=engine)  # type: ignore[arg-type]
    assert result.conflicts == 1
    assert result.text == (
        "a\n<<<<<<< your version\nmine\n||||||| last generated\nb\n=======\ntheirs\n"
        ">>>>>>> new render from nextauth.toml\nc\nd\ne\n"
    )
    assert has_conflict_markers(result.text)


@pytest.mark.parametrize("engine", ENGINES)
def test_the_same_change_on_both_sides_is_taken_once(engine: str) -> None:
    result = merge3(BASE, "a\nX\nc\nd\ne\n", "a\nX\nc\nd\ne\n", engine=engine)  # type: ignore[arg-type]
    assert (result.text, result.conflicts) == ("a\nX\nc\nd\ne\n", 0)


def test_files_without_a_final_newline() -> None:
    text, conflicts = diff3("a\nb", "a\nmine", "a\ntheirs")
    assert conflicts == 1 and text.endswith(">>>>>>> new render from nextauth.toml\n")
    assert diff3("a\nb", "a\nb\nc", "z\na\nb") == ("z\na\nb\nc", 0)


lines = st.lists(st.sampled_from(["x = 1\n", "y = 2\n", "\n", "# c\n", "z()\n"]), min_size=0, max_size=12)


@st.composite
def edited(draw: st.DrawFn, base: list[str], tag: str) -> tuple[list[str], list[str]]:
    """``base`` with a few unique lines inserted and some lines deleted; returns (lines, inserted)."""
    out = list(base)
    inserted: list[str] = []
    for index in range(draw(st.integers(0, 3))):
        line = f"{tag}{index} = 'edit'\n"
        out.insert(draw(st.integers(0, len(out))), line)
        inserted.append(line)
    for _ in range(draw(st.integers(0, 2))):
        if out:
            del out[draw(st.integers(0, len(out) - 1))]
    return out, [line for line in inserted if line in out]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), base=lines, engine=st.sampled_from(ENGINES))
def test_an_inserted_line_survives_or_a_conflict_is_reported(data: st.DataObject, base: list[str], engine: str) -> None:
    ours, our_lines = data.draw(edited(base, "mine"))
    theirs, their_lines = data.draw(edited(base, "theirs"))
    result = merge3("".join(base), "".join(ours), "".join(theirs), engine=engine)  # type: ignore[arg-type]
    if result.conflicts == 0:
        merged = result.text.splitlines(keepends=True)
        for line in our_lines + their_lines:
            assert line in merged
        assert not has_conflict_markers(result.text)
    else:
        assert has_conflict_markers(result.text)
