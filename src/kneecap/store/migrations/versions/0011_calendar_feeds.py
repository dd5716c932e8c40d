"""Calendar feeds: the secret address a runner's calendar subscribes to, stored as the SHA-256
digest of its token (one per person; revoking deletes it).

Revision ID: 0011
Revises: 0010
"""

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"


def upgrade() -> None:
    op.create_table(
        "calendar_feeds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_calendar_feeds"),
        sa.ForeignKeyConstraint(
            ["person_id"],
            ["people.id"],
            name="fk_calendar_feeds_person_id_people",
            ondelete="CASCADE",
        ),
        sa.UniqueConstraint("token_sha256", name="uq_calendar_feeds_token_sha256"),
    )
    op.create_index("ix_calendar_feeds_person_id", "calendar_feeds", ["person_id"])


def downgrade() -> None:
    op.drop_index("ix_calendar_feeds_person_id", "calendar_feeds")
    op.drop_table("calendar_feeds")
