"""One module per REST action; the dispatcher (:mod:`nextauth._core.dispatch`) owns the cross-cutting checks."""
