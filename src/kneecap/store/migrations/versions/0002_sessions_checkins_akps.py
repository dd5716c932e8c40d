"""Logged sessions, morning check-ins and AKPS results.

Revision ID: 0002
Revises: 0001
"""

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"


def _owned(name: str, *columns: sa.Column[Any], unique_date: bool = False) -> None:
    constraints: list[sa.Constraint] = [
        sa.PrimaryKeyConstraint("id", name=f"pk_{name}"),
        sa.ForeignKeyConstraint(
            ["person_id"], ["people.id"], name=f"fk_{name}_person_id_people", ondelete="CASCADE"
        ),
    ]
    if unique_date:
        constraints.append(sa.UniqueConstraint("person_id", "date", name=f"uq_{name}_person_id"))
    op.create_table(
        name,
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        *columns,
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        *constraints,
    )
    op.create_index(f"ix_{name}_person_id", name, ["person_id"])


def upgrade() -> None:
    _owned("sessions", sa.Column("data", sa.JSON(), nullable=False))
    _owned("checkins", sa.Column("data", sa.JSON(), nullable=False), unique_date=True)
    _owned(
        "akps",
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    for name in ("akps", "checkins", "sessions"):
        op.drop_index(f"ix_{name}_person_id", name)
        op.drop_table(name)
