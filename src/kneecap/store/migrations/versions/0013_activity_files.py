"""Activity files kept as they were imported (zlib-compressed), one per person and content, so
an export gives the runner their own files back. Activities imported earlier have none.

Revision ID: 0013
Revises: 0012
"""

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"


def upgrade() -> None:
    op.create_table(
        "activity_files",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_activity_files"),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name="fk_activity_files_person_id_people",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("person_id", "sha256", name="uq_activity_files_person_id"),
    )
    op.create_index("ix_activity_files_person_id", "activity_files", ["person_id"])


def downgrade() -> None:
    op.drop_index("ix_activity_files_person_id", "activity_files")
    op.drop_table("activity_files")
