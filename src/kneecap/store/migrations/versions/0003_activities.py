"""Imported activities and return-to-run entry checks.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"


def upgrade() -> None:
    op.create_table(
        "activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("sport", sa.String(20), nullable=False),
        sa.Column("sub_sport", sa.String(40), nullable=True),
        sa.Column("start", sa.DateTime(timezone=True), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("source", sa.String(10), nullable=False),
        sa.Column("file_name", sa.String(500), nullable=False),
        sa.Column("file_sha256", sa.String(64), nullable=False),
        sa.Column("part", sa.Integer(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("track", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_activities"),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name="fk_activities_person_id_people", ondelete="CASCADE"
        ),
        sa.UniqueConstraint("person_id", "file_sha256", "part", name="uq_activities_person_id"),
    )
    op.create_index("ix_activities_person_id", "activities", ["person_id"])
    op.create_index("ix_activities_start", "activities", ["start"])
    op.create_table(
        "rtr_checks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_rtr_checks"),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name="fk_rtr_checks_person_id_people", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_rtr_checks_person_id", "rtr_checks", ["person_id"])


def downgrade() -> None:
    op.drop_index("ix_rtr_checks_person_id", "rtr_checks")
    op.drop_table("rtr_checks")
    op.drop_index("ix_activities_start", "activities")
    op.drop_index("ix_activities_person_id", "activities")
    op.drop_table("activities")
