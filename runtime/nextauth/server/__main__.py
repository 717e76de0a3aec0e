"""``python -m nextauth.server DIR --port P``: serve a project with uvicorn (see ``--help``)."""

from __future__ import annotations

import sys

from nextauth.server._run import main

if __name__ == "__main__":
    sys.exit(main())
