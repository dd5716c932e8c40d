"""One AKPS result per person and day, as for check-ins: a unique index on (person_id, date), so
a second result that day replaces the first in one statement (an upsert), even under a race.
Days that already hold several keep the last one stored.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"


def upgrade() -> None:
    op.execute(
        sa.text(
            "DELETE FROM akps WHERE id NOT IN (SELECT max(id) FROM akps GROUP BY person_id, date)"
        )
    )
    op.create_index("uq_akps_person_id_date", "akps", ["person_id", "date"], unique=True)


def downgrade() -> None:
    op.drop_index("uq_akps_person_id_date", "akps")
