"""Row-level security on PostgreSQL, defence in depth beside the application's one permission
check (`app.context.can`): every table holding a person's data shows, and lets write, only the
rows of the people the transaction's actor may see, so a query that forgot its `person_id`
filter, or ran for the wrong actor, still reads nothing of anyone else. Nothing on SQLite (one
person's file, whose protection is the file's own).

Who acts is said by each transaction (`store.engine.acting`, which runs set_config(..., true) as
the transaction begins; read with current_setting(name, true), so a missing setting is NULL):
- `kneecap.local` = 'on': the local person at this computer (personal mode, the CLI, the
  migrations): every row;
- `kneecap.account` = an account's id: the rows of the account's own person
  (`accounts.person_id`) and of the people linked to it by a care link not ended
  (`care_links.ended_at IS NULL`), while the account is not disabled.
A transaction with neither (or an empty or unknown account) sees no rows and can write none.

The policies read `accounts` and `care_links`, which have none of their own: they are what the
policies are made of (a policy on them reading them would recurse), logging in reads an account
before any account acts, and they hold no health data. The policies read them inline (no
SECURITY DEFINER function, nothing to run with other rights): the set of people an account may
see is an uncorrelated subquery, planned once per query, not once per row.

The audit log (no health data, but who looked at whom) is append-only for the application:
anyone acting may add an entry, nobody but the local person may change or delete one; an entry
is read where its person may be (a runner's "who has seen my data"), by the account that wrote
it, and by an account with the admin role. An entry added by nobody (a failed login) is written
without RETURNING (a row the writer may not read cannot be returned).

ENABLE applies the policies to every role but superusers and BYPASSRLS roles, FORCE to the
tables' owner too (the role that ran these migrations, usually the app's own): the app's role
must be neither a superuser nor BYPASSRLS.

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"

# Every table with a person's rows, and the column naming the person. accounts and care_links
# are left out (see above); a later migration adding such a table protects it the same way
# (tests/integration/test_row_level_security.py fails while one is left open).
PERSONAL = (
    ("people", "id"),
    ("profiles", "person_id"),
    ("clearances", "person_id"),
    ("flag_reports", "person_id"),
    ("sessions", "person_id"),
    ("checkins", "person_id"),
    ("akps", "person_id"),
    ("activities", "person_id"),
    ("activity_files", "person_id"),
    ("rtr_checks", "person_id"),
    ("preferences", "person_id"),
    ("calendar_feeds", "person_id"),
    ("clinic_notes", "person_id"),
    ("clinic_overrides", "person_id"),
)
AUDIT = "audit_log"

LOCAL = "coalesce(current_setting('kneecap.local', true), '') = 'on'"
ACCOUNT = "NULLIF(current_setting('kneecap.account', true), '')::integer"
# the people the acting account may see: its own person, and those it is linked to now
PEOPLE = f"""(
    SELECT a.person_id FROM accounts a
    WHERE a.id = {ACCOUNT} AND a.disabled_at IS NULL AND a.person_id IS NOT NULL
    UNION ALL
    SELECT l.person_id FROM care_links l JOIN accounts c ON c.id = l.clinician_id
    WHERE l.clinician_id = {ACCOUNT} AND l.ended_at IS NULL AND c.disabled_at IS NULL
)"""
ADMIN = f"""EXISTS (
    SELECT 1 FROM accounts a
    WHERE a.id = {ACCOUNT} AND a.disabled_at IS NULL
      AND ' ' || a.roles || ' ' LIKE '% admin %'
)"""


def sees(column: str) -> str:
    """May the transaction's actor see (and write) a row whose person is `column`?"""
    return f"({LOCAL} OR {column} IN {PEOPLE})"


def _postgresql() -> bool:
    return bool(op.get_bind().dialect.name == "postgresql")


def upgrade() -> None:
    if not _postgresql():
        return
    for table, column in PERSONAL:
        op.execute(sa.text(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"))
        op.execute(sa.text(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY"))
        rule = sees(column)
        op.execute(
            sa.text(f"CREATE POLICY {table}_person ON {table} USING {rule} WITH CHECK {rule}")
        )
    op.execute(sa.text(f"ALTER TABLE {AUDIT} ENABLE ROW LEVEL SECURITY"))
    op.execute(sa.text(f"ALTER TABLE {AUDIT} FORCE ROW LEVEL SECURITY"))
    op.execute(
        sa.text(f"CREATE POLICY {AUDIT}_local ON {AUDIT} USING ({LOCAL}) WITH CHECK ({LOCAL})")
    )
    op.execute(sa.text(f"CREATE POLICY {AUDIT}_append ON {AUDIT} FOR INSERT WITH CHECK (true)"))
    readers = f"({sees('person_id')} OR account_id = {ACCOUNT} OR {ADMIN})"
    op.execute(sa.text(f"CREATE POLICY {AUDIT}_read ON {AUDIT} FOR SELECT USING {readers}"))


def downgrade() -> None:
    if not _postgresql():
        return
    for name in ("local", "append", "read"):
        op.execute(sa.text(f"DROP POLICY {AUDIT}_{name} ON {AUDIT}"))
    op.execute(sa.text(f"ALTER TABLE {AUDIT} NO FORCE ROW LEVEL SECURITY"))
    op.execute(sa.text(f"ALTER TABLE {AUDIT} DISABLE ROW LEVEL SECURITY"))
    for table, _column in reversed(PERSONAL):
        op.execute(sa.text(f"DROP POLICY {table}_person ON {table}"))
        op.execute(sa.text(f"ALTER TABLE {table} NO FORCE ROW LEVEL SECURITY"))
        op.execute(sa.text(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY"))
