__version__ = "0.2.0.dev0"  # the one place the version is written; the scheme is in CHANGELOG.md
