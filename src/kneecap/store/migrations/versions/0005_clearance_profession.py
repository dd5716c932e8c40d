"""The profession of the clinician who recorded a clearance (a physiotherapist, a doctor...).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"


def upgrade() -> None:
    with op.batch_alter_table("clearances") as batch:
        batch.add_column(sa.Column("profession", sa.String(100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("clearances") as batch:
        batch.drop_column("profession")
