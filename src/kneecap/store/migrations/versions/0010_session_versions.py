"""Sessions that are true: a one-time token per saved form (a second save with it stores
nothing), versions (an edit adds one; `series` is the first version's id, older versions are
`replaced_at` the edit) and undo (`deleted_at`). Stored sessions become their own series.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"


def upgrade() -> None:
    with op.batch_alter_table("sessions") as batch:
        batch.add_column(sa.Column("series", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("token", sa.String(length=64), nullable=True))
        batch.add_column(sa.Column("replaced_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(sa.text("UPDATE sessions SET series = id"))
    op.create_index("ix_sessions_series", "sessions", ["series"])
    op.create_index("uq_sessions_person_id_token", "sessions", ["person_id", "token"], unique=True)


def downgrade() -> None:
    op.execute(sa.text("DELETE FROM sessions WHERE replaced_at IS NOT NULL"))
    op.execute(sa.text("DELETE FROM sessions WHERE deleted_at IS NOT NULL"))
    op.drop_index("uq_sessions_person_id_token", "sessions")
    op.drop_index("ix_sessions_series", "sessions")
    with op.batch_alter_table("sessions") as batch:
        batch.drop_column("deleted_at")
        batch.drop_column("replaced_at")
        batch.drop_column("token")
        batch.drop_column("series")
