"""Index the expiry of sessions and verification tokens.

``SQLAlchemyAdapter.delete_expired`` (a cron job's clean-up) deletes ``WHERE expires < now``: without an index
that reads every session ever created, and the sessions table grows by one row per sign-in.

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels: str | None = None
depends_on: str | None = None


def upgrade() -> None:
    op.create_index("sessions_expires_idx", "sessions", ["expires"])
    op.create_index("verification_tokens_expires_idx", "verification_tokens", ["expires"])


def downgrade() -> None:
    op.drop_index("verification_tokens_expires_idx", table_name="verification_tokens")
    op.drop_index("sessions_expires_idx", table_name="sessions")
