"""The stylesheet of the built-in pages, inlined into every page's ``<head>``.

Light colours live on ``:root``; the dark palette is written once (``_DARK``, with ``&`` standing for the
scope) and applied to ``.__next-auth-theme-dark`` always and to ``.__next-auth-theme-auto`` under
``prefers-color-scheme: dark``. Provider buttons read ``--p-bg``/``--p-fg`` (and their ``-dark``
twins) from their own ``style`` attribute; the theme's brand colours override ``--brand``/``--brand-fg``.
"""

from __future__ import annotations

__all__ = ["CSS"]

_BASE = (
    "*,*::before,*::after{box-sizing:border-box}"
    ":root{--brand:#346df1;--brand-fg:#fff;--bg:#ececec;--card:#fff;--fg:#111827;--muted:#5f6673;"
    "--line:#cfd3da;--field:#fff;--btn:#fff;--btn-fg:#1f2937;--soft:#ececec;--hover:rgba(0,0,0,.05);"
    "--err-bg:#fdecec;--err-fg:#9b1c1c;--err-line:#f6c4c4;"
    "--shadow:0 1px 2px rgba(16,24,40,.05),0 12px 32px -12px rgba(16,24,40,.14)}"
    "html{-webkit-text-size-adjust:100%;text-size-adjust:100%}"
    "body{margin:0;background:var(--bg);color:var(--fg);"
    'font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif;'
    "-webkit-font-smoothing:antialiased}"
    ".page{min-height:100vh;min-height:100dvh;display:flex;align-items:center;justify-content:center;"
    "padding:2rem 1rem}"
    ".page>div{width:100%;max-width:23rem;display:flex;flex-direction:column;align-items:center}"
    ".logo{display:block;max-width:10rem;max-height:4.5rem;margin:0 auto 1.5rem}"
    ".card{width:100%;background:var(--card);border-radius:1.5rem;padding:2rem;box-shadow:var(--shadow);"
    "text-align:center;overflow-wrap:anywhere}"
    ".signin .card{text-align:left}"
    "h1{font-size:1.75rem;font-weight:500;line-height:1.2;margin:0 0 1.25rem}"
    "p{margin:0 0 1rem;line-height:1.6}"
    ".message{margin-bottom:1.5rem}.message p:last-child,.card>:last-child{margin-bottom:0}"
    "a{color:var(--brand)}"
    "a.site{color:var(--muted);font-size:.9rem;text-decoration:none}"
    "a.site:hover{text-decoration:underline}"
    "form{margin:0}"
    "label{display:block;font-size:.95rem;font-weight:500;margin-bottom:.3rem}"
    "input:not([type=hidden]){display:block;width:100%;margin:0 0 .9rem;padding:.6rem .75rem;font:inherit;"
    "color:var(--fg);background:var(--field);border:1px solid var(--line);border-radius:.5rem}"
    "input::placeholder{color:var(--muted);opacity:.8}"
    "input:focus{outline:2px solid var(--brand);outline-offset:-1px;border-color:var(--brand)}"
    ".button,button{position:relative;display:flex;align-items:center;justify-content:center;width:100%;"
    "min-height:3rem;margin:0;padding:.6rem 3rem;font:inherit;font-weight:500;line-height:1.25;"
    "text-align:center;text-decoration:none;color:var(--btn-fg);background:var(--btn);"
    "border:1px solid var(--line);border-radius:.5rem;cursor:pointer;"
    "transition:box-shadow .15s ease,transform .05s ease}"
    ".button:hover,button:hover{box-shadow:inset 0 0 0 99rem var(--hover)}"
    ".button:active,button:active{transform:translateY(1px)}"
    ".button:focus-visible,button:focus-visible,a:focus-visible{outline:2px solid var(--brand);outline-offset:2px}"
    ".primary{color:var(--brand-fg);background:var(--brand);border-color:transparent}"
    ".soft{color:var(--btn-fg);background:var(--soft);border-color:transparent}"
    ".provider-btn{color:var(--p-fg,var(--btn-fg));background:var(--p-bg,var(--btn))}"
    ".provider-btn img{position:absolute;left:1rem;top:50%;width:24px;height:24px;margin-top:-12px;"
    "object-fit:contain;border:0;background:inherit;color:transparent;overflow:hidden}"
    # A logo that fails to load (offline, blocked) renders its ::after, which hides the broken-image icon.
    '.provider-btn img::after{content:"";position:absolute;inset:0;background:inherit}'
    ".provider-btn .logo-dark{display:none}"
    ".provider+.provider{margin-top:.75rem}"
    ".signin .error{margin:0 0 1.5rem;padding:.75rem 1rem;color:var(--err-fg);background:var(--err-bg);"
    "border:1px solid var(--err-line);border-radius:.5rem;text-align:center;font-size:.95rem}"
    ".signin .error p{margin:0}"
    "hr{position:relative;height:1px;margin:1.75rem 0;border:0;background:var(--line);overflow:visible}"
    'hr::after{content:"or";position:absolute;left:50%;top:50%;transform:translate(-50%,-50%);'
    "padding:0 .6rem;background:var(--card);color:var(--muted);font-size:.9rem;line-height:1}"
    "@media (max-width:480px){.page{padding:1.25rem .75rem}"
    ".card{padding:1.5rem 1.25rem;border-radius:1.25rem}h1{font-size:1.5rem}}"
    "@media (prefers-reduced-motion:reduce){.button,button{transition:none}}"
)

_DARK = (
    "&{--bg:#0e1014;--card:#1a1d23;--fg:#e8eaed;--muted:#a2a9b4;--line:#3a3f48;--field:#121418;"
    "--btn:#262a31;--btn-fg:#eef0f3;--soft:#2a2e36;--hover:rgba(255,255,255,.07);"
    "--err-bg:#3a1719;--err-fg:#ffc9c9;--err-line:#6b2226;--shadow:0 12px 32px -12px rgba(0,0,0,.6)}"
    "& .provider-btn{color:var(--p-fg-dark,var(--p-fg,var(--btn-fg)));"
    "background:var(--p-bg-dark,var(--p-bg,var(--btn)))}"
    "& .provider-btn .logo-light{display:none}& .provider-btn .logo-dark{display:block}"
)

CSS = (
    _BASE
    + _DARK.replace("&", ".__next-auth-theme-dark")
    + "@media (prefers-color-scheme:dark){"
    + _DARK.replace("&", ".__next-auth-theme-auto")
    + "}"
)
