"""The tables as nextauth created them before it had migrations (commit 4586d69's ``create_schema``).

A database made by that ``create_schema`` has no version table; ``upgrade`` recognises it by its four tables
and stamps this revision before running the later ones.

Revision ID: 0001
Revises: (none)
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    # Written out rather than taken from nextauth.adapters.sqlalchemy.metadata: a revision is the schema of
    # its moment, and the metadata moves on.
    op.create_table(
        "users",
        sa.Column("id", sa.String(255), nullable=False),
        sa.Column("name", sa.String(255)),
        sa.Column("email", sa.String(255)),
        sa.Column("emailVerified", sa.DateTime(timezone=True)),
        sa.Column("image", sa.Text),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("email"),
    )
    op.create_table(
        "accounts",
        sa.Column("id", sa.String(255), nullable=False),
        sa.Column("userId", sa.String(255), nullable=False),
        sa.Column("type", sa.String(255), nullable=False),
        sa.Column("provider", sa.String(255), nullable=False),
        sa.Column("providerAccountId", sa.String(255), nullable=False),
        sa.Column("refresh_token", sa.Text),
        sa.Column("access_token", sa.Text),
        sa.Column("expires_at", sa.BigInteger),
        sa.Column("token_type", sa.Text),
        sa.Column("scope", sa.Text),
        sa.Column("id_token", sa.Text),
        sa.Column("session_state", sa.Text),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("provider", "providerAccountId", name="accounts_provider_providerAccountId_key"),
        sa.ForeignKeyConstraint(["userId"], ["users.id"], ondelete="CASCADE"),
    )
    op.create_index("accounts_userId_idx", "accounts", ["userId"])
    op.create_table(
        "sessions",
        sa.Column("id", sa.String(255), nullable=False),
        sa.Column("sessionToken", sa.String(255), nullable=False),
        sa.Column("userId", sa.String(255), nullable=False),
        sa.Column("expires", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("sessionToken"),
        sa.ForeignKeyConstraint(["userId"], ["users.id"], ondelete="CASCADE"),
    )
    op.create_index("sessions_userId_idx", "sessions", ["userId"])
    op.create_table(
        "verification_tokens",
        sa.Column("identifier", sa.String(255), nullable=False),
        sa.Column("token", sa.String(255), nullable=False),
        sa.Column("expires", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("identifier", "token", name="verification_tokens_pkey"),
    )


def downgrade() -> None:
    for table in ("verification_tokens", "sessions", "accounts", "users"):
        op.drop_table(table)
