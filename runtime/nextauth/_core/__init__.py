"""The request pipeline: set-up (``init``), the ``(method, action)`` dispatcher, one module per action.

Laid out like next-auth's ``core/``: ``dispatch`` is ``core/index``, ``init`` is ``core/init``, ``actions/`` is
``core/routes``, ``oauth/`` is ``core/lib/oauth``. ``next`` adapts a framework request to the core. The HTML pages are
the public ``nextauth.pages``. See docs/architecture.md.
"""
