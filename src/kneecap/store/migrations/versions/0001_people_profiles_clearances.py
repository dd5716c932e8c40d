"""People, profile versions and clinician clearances.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None


def upgrade() -> None:
    op.create_table(
        "people",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(100), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_people"),
        sa.UniqueConstraint("name", name="uq_people_name"),
    )
    op.create_table(
        "profiles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_profiles"),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name="fk_profiles_person_id_people", ondelete="CASCADE"
        ),
    )
    op.create_index("ix_profiles_person_id", "profiles", ["person_id"])
    op.create_table(
        "clearances",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("profile_id", sa.Integer(), nullable=False),
        sa.Column("cleared_on", sa.Date(), nullable=False),
        sa.Column("clinician", sa.String(200), nullable=False),
        sa.Column("flags", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_clearances"),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name="fk_clearances_person_id_people", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["profile_id"],
            ["profiles.id"],
            name="fk_clearances_profile_id_profiles",
            ondelete="CASCADE",
        ),
    )
    op.create_index("ix_clearances_person_id", "clearances", ["person_id"])


def downgrade() -> None:
    op.drop_index("ix_clearances_person_id", "clearances")
    op.drop_table("clearances")
    op.drop_index("ix_profiles_person_id", "profiles")
    op.drop_table("profiles")
    op.drop_table("people")
