"""One module per REST action; the dispatcher (:mod:`nextauth._core`) owns the cross-cutting checks."""
