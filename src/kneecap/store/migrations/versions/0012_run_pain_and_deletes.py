"""Runs the runner answers for: how the knee felt during each imported run and the next
morning (0-10), and a run deleted with undo (`deleted_at`: kept, left out of every figure).

Revision ID: 0012
Revises: 0011
"""

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"


def upgrade() -> None:
    with op.batch_alter_table("activities") as batch:
        batch.add_column(sa.Column("pain_during", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("pain_next_morning", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("activities") as batch:
        batch.drop_column("deleted_at")
        batch.drop_column("pain_next_morning")
        batch.drop_column("pain_during")
