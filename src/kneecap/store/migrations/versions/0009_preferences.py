"""Preferences per person (reminder time, units, theme): not clinical data, one row each.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"


def upgrade() -> None:
    op.create_table(
        "preferences",
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("reminder_time", sa.String(length=5), nullable=False),
        sa.Column("units", sa.String(length=10), nullable=False),
        sa.Column("theme", sa.String(length=10), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("person_id", name="pk_preferences"),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name="fk_preferences_person_id_people",
            ondelete="CASCADE",
        ),
    )


def downgrade() -> None:
    op.drop_table("preferences")
