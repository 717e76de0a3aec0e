"""Mechanisms the whole runtime shares: cookies, CSRF, JOSE, callback URLs, hosts, bodies, matchers, SMTP.

Nothing here imports the request pipeline (``nextauth._core``) or a public module other than ``nextauth.errors``;
``tests/test_layers.py`` checks it. See docs/architecture.md.
"""
