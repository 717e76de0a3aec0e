"""The stylesheet of the built-in pages, inlined into every page's ``<head>``.

The look is next-auth 4's (its colours, radii, sizes and spacing, measured against its pages in Chromium at
1000×760): a flat white card with 2rem corners and no shadow on a grey page, 62px-high buttons with 0.5rem
corners, a blue ``#submitButton``, and next-auth's dark palette. The rules are written here from those facts.

Light colours live on ``:root``; the dark palette is written once (``_DARK``, with ``&`` standing for the
scope) and applied to ``.__next-auth-theme-dark`` always and to ``.__next-auth-theme-auto`` under
``prefers-color-scheme: dark``, which also switches provider buttons to their dark logos.
Provider buttons read ``--p-bg``/``--p-fg`` (and their ``-dark`` twins) from their own ``style``
attribute; the theme's brand colours override ``--brand``/``--brand-fg``.

Buttons keep the browser's own font family, as next-auth's do (it sets only their size): in a given
browser the labels then look like next-auth's there (the reference screenshots were taken in a Chromium
whose button font is an Arial look-alike; Debian's chromium uses DejaVu Sans, for next-auth's pages too).
"""

from __future__ import annotations

__all__ = ["CSS"]

_BASE = (
    "*,*::before,*::after{box-sizing:border-box;margin:0;padding:0}"
    ":root{--radius:.5rem;--brand:#157efb;--brand-hover:#0f6ddb;--brand-fg:#fff;--danger:#c94b4b;"
    "--bg:#ececec;--card:#fff;--fg:#000;--muted:#444;--line:#bbb;"
    "--rule:#ccc;--or:#888}"
    "html{-webkit-text-size-adjust:100%;text-size-adjust:100%}"
    "body{background:var(--bg);color:var(--fg);"
    'font-family:ui-sans-serif,system-ui,-apple-system,BlinkMacSystemFont,"Segoe UI",Roboto,"Helvetica Neue",'
    'Arial,"Noto Sans",sans-serif,"Apple Color Emoji","Segoe UI Emoji","Segoe UI Symbol","Noto Color Emoji"}'
    ".page{min-height:100vh;display:flex;align-items:center;justify-content:center}"
    ".page>div{text-align:center;overflow-wrap:anywhere}"
    ".logo{display:inline-block;max-width:150px;max-height:70px;margin:1.25rem 0}"
    ".card{width:368px;margin:2rem 0;padding:1.25rem 2rem;background:var(--card);border-radius:2rem}"
    "h1{padding:0 1rem;margin-bottom:1.5rem;font-size:2em;font-weight:400;color:var(--fg)}"
    "p{padding:0 1rem;margin-bottom:1.5rem;font-size:1.1rem;line-height:2rem;color:var(--fg)}"
    "a.site{color:var(--muted);font-size:1rem;line-height:2rem;text-decoration:none}"
    "a.site:hover{text-decoration:underline}"
    "label{display:block;margin-bottom:.25rem;font-weight:500;text-align:left;color:var(--fg)}"
    "input:not([type=hidden]){display:block;width:100%;margin-bottom:.5rem;padding:.5rem 1rem;font-size:1rem;"
    "color:var(--fg);background:var(--card);border:1px solid var(--line);border-radius:var(--radius)}"
    "input:focus{box-shadow:none}"
    ".button,button{position:relative;display:flex;align-items:center;justify-content:center;width:100%;"
    "min-height:62px;padding:.75rem 1rem;font-size:1.1rem;font-weight:500;text-decoration:none;"
    "color:var(--p-fg,var(--muted));background-color:var(--p-bg,transparent);border-radius:var(--radius);"
    "cursor:pointer;transition:all .1s ease-in-out}"
    # A <button> keeps the browser's 2px outset border, only tinted; a link styled as a button has none.
    "button{border:2px outset rgba(0,0,0,.1)}"
    "a.button{border:0;line-height:1rem}"
    # Hovered: the button's own background (the page's grey when it has none) at 80%.
    ".button:hover,button:hover{background-color:color-mix(in srgb,var(--p-bg,var(--bg)) 80%,transparent)}"
    ".button:focus-visible,button:focus-visible,a:focus-visible{outline:2px solid var(--brand);outline-offset:2px}"
    ".button span,button span{flex-grow:1}"
    ".provider-btn img{position:relative;display:block;width:25px;height:auto;border:0;background:inherit;"
    "color:transparent;overflow:hidden}"
    # A logo that fails to load (offline, blocked) renders its ::after, which hides the broken-image icon.
    '.provider-btn img::after{content:"";position:absolute;inset:0;background:inherit}'
    ".provider-btn .logo-dark{display:none}"
    ".primary,.primary:hover{color:var(--brand-fg)}"
    ".primary{background-color:var(--brand)}"
    ".primary:hover{background-color:var(--brand-hover)}"
    ".soft{color:var(--muted);background-color:var(--bg)}"
    ".error a.button{margin-top:.5rem;padding-left:2rem;padding-right:2rem}"
    ".message{margin-bottom:1.5rem}"
    ".signin .card>div,.signin form{display:block}"
    ".provider+.provider{margin-top:1rem}"
    ".signin .error{background:var(--danger);font-weight:500;border-radius:.3rem}"
    ".signin .error p{padding:.5rem 1rem;font-size:.9rem;line-height:1.2rem;text-align:left;color:#fff}"
    # The separator: a hairline with "or" over its middle, on the card's colour.
    ".signin hr{display:block;margin:2rem auto 1rem;border:0;border-top:1px solid var(--rule);overflow:visible}"
    '.signin hr::before{content:"or";position:relative;top:-.7rem;padding:0 .4rem;color:var(--or);'
    "background:var(--card)}"
    "@media (max-width:450px){.card{width:343px;margin:1rem 0}}"
    "@media (prefers-reduced-motion:reduce){.button,button{transition:none}}"
)

_DARK = "&{--bg:#161b22;--card:#0d1117;--fg:#fff;--muted:#ccc;--line:#555;--rule:#444}"

# A browser that prefers dark, on a page in the auto scheme, also gets the providers' dark logos and dark hover
# colours. Buttons keep their providers' own colours in every scheme: that is what next-auth's pages show
# (its dark button colours lose to its later base rule), so a provider button looks the same on both.
_DARK_BUTTONS = (
    ".__next-auth-theme-auto .button:hover,.__next-auth-theme-auto button:hover{"
    "background-color:color-mix(in srgb,var(--p-bg-dark,var(--bg)) 80%,transparent)}"
    ".__next-auth-theme-auto .primary:hover{background-color:var(--brand-hover)}"
    ".__next-auth-theme-auto .provider-btn .logo-light{display:none}"
    ".__next-auth-theme-auto .provider-btn .logo-dark{display:block}"
)

CSS = (
    _BASE
    + _DARK.replace("&", ".__next-auth-theme-dark")
    + "@media (prefers-color-scheme:dark){"
    + _DARK.replace("&", ".__next-auth-theme-auto")
    + _DARK_BUTTONS
    + "}"
)
