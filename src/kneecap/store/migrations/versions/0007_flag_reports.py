"""Warning signs reported before a profile exists: a first intake that stopped at its referral
is remembered, and the first profile saved carries its flags (holds that hold).

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"


def upgrade() -> None:
    op.create_table(
        "flag_reports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_flag_reports"),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name="fk_flag_reports_person_id_people",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_flag_reports_person_id", "flag_reports", ["person_id"])


def downgrade() -> None:
    op.drop_index("ix_flag_reports_person_id", "flag_reports")
    op.drop_table("flag_reports")
