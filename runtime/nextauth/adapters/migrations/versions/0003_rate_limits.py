"""The brute-force limit counters (``AuthOptions.rate_limit``), shared by every process using the database.

One row per counter and window: ``key`` is a digest of what is counted (an identifier, an address, a client)
and the window, never the value itself; ``expires`` is the window's end in seconds since the epoch.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    # An adapter with create_tables=True may have made the table already (it creates what is missing).
    if "rate_limits" in sa.inspect(op.get_bind()).get_table_names():
        return
    op.create_table(
        "rate_limits",
        sa.Column("key", sa.String(255), primary_key=True),
        sa.Column("count", sa.BigInteger(), nullable=False),
        sa.Column("expires", sa.BigInteger(), nullable=False),
    )
    op.create_index("rate_limits_expires_idx", "rate_limits", ["expires"])


def downgrade() -> None:
    op.drop_index("rate_limits_expires_idx", table_name="rate_limits")
    op.drop_table("rate_limits")
