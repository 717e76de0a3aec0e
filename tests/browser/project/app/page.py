"""GET /: the HTML shell of the test app; /client.js is the esbuild bundle of React and next-auth/react."""

from __future__ import annotations

from starlette.requests import Request

PAGE = """<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>next-auth/react against nextauth</title>
    <link rel="icon" href="data:,">
  </head>
  <body>
    <div id="root"></div>
    <script src="/client.js"></script>
  </body>
</html>
"""


def page(request: Request) -> str:
    return PAGE
