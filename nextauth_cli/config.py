"""``nextauth.toml``: the one source of truth of a project's auth setup.

Reading validates everything up front: TOML syntax (with line and column), unknown keys (naming the
closest valid one), value types and choices, provider kinds (with suggestions) and provider options.
Writing goes through tomlkit, so the user's comments and layout survive ``add-provider`` and
``remove-provider``.

This module is the public face; the work is split by job: the model (``_config_model``), single-value
checks (``_config_values``), parsing (``_config_parse``), semantic checks (``_config_problems``) and
writing (``_config_write``).
"""

# ruff: noqa: PLC0414  (names re-exported ``as`` themselves serve the CLI's own modules; not public surface)
from __future__ import annotations

from nextauth_cli._config_model import (
    CONFIG_NAME,
    CREDENTIALS_DATABASE_PROBLEM as CREDENTIALS_DATABASE_PROBLEM,
    DEFAULT_BASE_PATH,
    DEFAULT_DATABASE_URL,
    DEFAULT_DEV_URL,
    Answers,
    Level as Level,
    Mode,
    Problem,
    ProjectConfig,
    ProviderConfig,
    Router,
    Strategy,
)
from nextauth_cli._config_parse import (
    load_config,
    parse_config,
    parse_document as parse_document,
    provider_option_names as provider_option_names,
)
from nextauth_cli._config_problems import build_provider_for_check as build_provider_for_check, config_problems
from nextauth_cli._config_values import (
    MAX_TEXT as MAX_TEXT,
    base_path_problem as base_path_problem,
    check_origin as check_origin,
    database_url_problem as database_url_problem,
    host_in_domain as host_in_domain,
    normalise_cookie_domain as normalise_cookie_domain,
    text_problem as text_problem,
)
from nextauth_cli._config_write import (
    add_provider_to_document,
    merge_options as merge_options,
    new_document,
    parse_option,
    remove_provider_from_document,
)

__all__ = [
    "CONFIG_NAME",
    "DEFAULT_BASE_PATH",
    "DEFAULT_DATABASE_URL",
    "DEFAULT_DEV_URL",
    "Answers",
    "Mode",
    "Problem",
    "ProjectConfig",
    "ProviderConfig",
    "Router",
    "Strategy",
    "add_provider_to_document",
    "config_problems",
    "load_config",
    "new_document",
    "parse_config",
    "parse_option",
    "remove_provider_from_document",
]
