"""Next.js matcher entries compiled to the regexes Next.js writes, and which raw paths each one selects."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from nextauth._lib.matcher import MatcherError, compile_entry, compile_matcher

# From the kit's middleware/options.md: what Next.js 14.2.35 put in middleware-manifest.json.
NEXT_REGEXES = {
    "/dashboard/:path*": r"^(?:\/(_next\/data\/[^/]{1,}))?\/dashboard(?:\/((?:[^\/#\?]+?)(?:\/(?:[^\/#\?]+?))*))?(.json)?[\/#\?]?$",  # noqa: E501
    "/api/:path*": r"^(?:\/(_next\/data\/[^/]{1,}))?\/api(?:\/((?:[^\/#\?]+?)(?:\/(?:[^\/#\?]+?))*))?(.json)?[\/#\?]?$",
    "/favicon.ico": r"^(?:\/(_next\/data\/[^/]{1,}))?\/favicon\.ico(.json)?[\/#\?]?$",
    "/((?!api|_next/static|favicon.ico|dashboard|public).*)": (
        r"^(?:\/(_next\/data\/[^/]{1,}))?(?:\/((?!api|_next\/static|favicon.ico|dashboard|public).*))(.json)?[\/#\?]?$"
    ),
}


@pytest.mark.parametrize("entry", list(NEXT_REGEXES))
def test_entries_compile_to_the_regex_next_js_writes(entry: str) -> None:
    assert compile_entry(entry) == NEXT_REGEXES[entry]


RECORDED = json.loads((Path(__file__).with_name("next_matcher_regexes.json")).read_text(encoding="utf-8"))


@pytest.mark.parametrize("entry", list(RECORDED["regexes"]))
def test_every_pattern_form_compiles_as_next_js_14_compiles_it(entry: str) -> None:
    expected = RECORDED["regexes"][entry]
    if entry in RECORDED["trailing_parameter"]:
        # Next.js glues "(.json)?" onto a trailing parameter as its pattern (/users/:id never selects
        # /users/1); the suffix stays its own group here, everything before it is Next.js's.
        assert expected.endswith(r"(.json))?[\/#\?]?$")
        assert compile_entry(entry) != expected
        assert compile_entry(entry).endswith(r"))(.json)?[\/#\?]?$")
    else:
        assert compile_entry(entry) == expected


CASES: dict[str, tuple[list[str], list[str]]] = {
    # entry: (selected raw paths, paths it must not select)
    "/dashboard": (["/dashboard", "/dashboard/", "/_next/data/build1/dashboard.json"], ["/dashboard/a", "/dashboards"]),
    "/dashboard/:path*": (
        ["/dashboard", "/dashboard/a", "/dashboard/a/b/c", "/dashboardxjson", "/dashboard.json"],
        ["/dashboardx", "/Dashboard", "/dash", "/x/dashboard", "/dashboard//a"],
    ),
    "/dashboard/:path+": (["/dashboard/a", "/dashboard/a/b"], ["/dashboard", "/dashboardx"]),
    "/dashboard/:path?": (["/dashboard", "/dashboard/a"], ["/dashboard/a/b", "/dashboardx"]),
    # A trailing parameter: Next.js glues its "(.json)?" suffix onto it as the parameter's pattern; kept apart here.
    "/users/:id": (["/users/1", "/users/abc", "/users/1/"], ["/users", "/users/1/edit", "/users/"]),
    "/users/:id(\\d+)": (["/users/42"], ["/users/abc", "/users/4a"]),
    "/files/:name.pdf": (["/files/report.pdf"], ["/files/report.txt", "/files/.pdf"]),
    "/shop{/:lang}?/cart": (["/shop/cart", "/shop/en/cart"], ["/shop/en/fr/cart", "/shopcart"]),
    "/((?!api|_next/static|favicon.ico).*)": (
        ["/", "/account", "/a/b", "/about"],
        ["/api", "/api/x", "/apix", "/_next/static/chunk.js", "/favicon.ico", "/faviconxico"],
    ),
    "/": (["/", "/index", "/index.json", "/_next/data/b/index.json"], ["/a", "/indexes"]),
}


@pytest.mark.parametrize("entry", list(CASES))
def test_each_pattern_form_selects_its_paths_and_no_others(entry: str) -> None:
    matcher = compile_matcher(entry)
    selected, rejected = CASES[entry]
    assert [p for p in selected if not matcher.matches(p)] == []
    assert [p for p in rejected if matcher.matches(p)] == []


def test_a_list_selects_a_path_when_any_entry_does_and_none_selects_everything() -> None:
    matcher = compile_matcher(["/a/:p*", "/b"])
    assert matcher.matches("/a/x") and matcher.matches("/b") and not matcher.matches("/c")
    everything = compile_matcher(None)
    assert everything.entries is None and everything.matches("/anything/at/all")
    assert compile_matcher({"source": "/b"}).matches("/b")


def test_the_end_anchor_is_javascripts_a_trailing_newline_is_not_ignored() -> None:
    assert not compile_matcher("/admin").matches("/admin\n")


@pytest.mark.parametrize(
    ("matcher", "message"),
    [
        ("dashboard", "must start with '/'"),
        ("/a/:", "needs a parameter name"),
        ("/a/(b", "unbalanced"),
        ("/a/(?b)", "cannot start with '?'"),
        ("/a/((b))", "capturing group"),
        ("/a*", "modifier must follow a parameter"),
        ("/a/()", "empty pattern"),
        ("/a/{b", "not closed"),
        ([], "empty"),
        (42, "string or a list"),
        ([{"source": "/a", "has": []}], "only {'source'"),
        ("/(?<n>a)", "cannot start with '?'"),
        ("/(a[)", "not a valid regular expression"),
    ],
)
def test_malformed_entries_are_refused_with_a_reason(matcher: object, message: str) -> None:
    with pytest.raises(MatcherError, match=re.escape(message)):
        compile_matcher(matcher)
