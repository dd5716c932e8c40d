"""A runner's dashboard row, kept for the day and the data's revision it was computed from and
shared by every server worker (`store/summaries.py`); row-level security as on every table with
a person's rows (migration 0015).

Revision ID: 0018
Revises: 0017
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"

TABLE = "clinic_summaries"
LOCAL = "coalesce(current_setting('kneecap.local', true), '') = 'on'"
ACCOUNT = "NULLIF(current_setting('kneecap.account', true), '')::integer"
PEOPLE = f"""(
    SELECT a.person_id FROM accounts a
    WHERE a.id = {ACCOUNT} AND a.disabled_at IS NULL AND a.person_id IS NOT NULL
    UNION ALL
    SELECT l.person_id FROM care_links l JOIN accounts c ON c.id = l.clinician_id
    WHERE l.clinician_id = {ACCOUNT} AND l.ended_at IS NULL AND c.disabled_at IS NULL
)"""
SEES = f"({LOCAL} OR person_id IN {PEOPLE})"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column(
            "person_id",
            sa.Integer(),
            sa.ForeignKey("people.id", name=f"fk_{TABLE}_person_id_people", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("person_id", name=f"pk_{TABLE}"),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(sa.text(f"ALTER TABLE {TABLE} ENABLE ROW LEVEL SECURITY"))
        op.execute(sa.text(f"ALTER TABLE {TABLE} FORCE ROW LEVEL SECURITY"))
        op.execute(
            sa.text(f"CREATE POLICY {TABLE}_person ON {TABLE} USING {SEES} WITH CHECK {SEES}")
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(sa.text(f"DROP POLICY {TABLE}_person ON {TABLE}"))
    op.drop_table(TABLE)
