"""Background jobs (imports of whole watch exports, reports): Kneecap's record of each job
(`jobs`: its kind, state, progress, result or error, whose it is) and the bytes it takes or gives
(`job_files`: an uploaded file or a rendered PDF, in chunks of at most 8 MB, deleted when the job
is done with them), so a worker on another machine can take the upload and the runner can come
back to the result. On PostgreSQL, also procrastinate's queue (its own tables and functions,
applied from the schema file of the installed procrastinate) and row-level security on both
tables, as on every table with a person's rows (migration 0015). SQLite needs no queue: personal
mode runs its jobs in-process.

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"

TABLES = ("jobs", "job_files")

# as in migration 0015: the local person sees every row, an account its own person's and those
# of the runners linked to it now
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

# procrastinate's objects, dropped on a downgrade (it brings no script of its own for that)
DROP_QUEUE = """
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT event_object_table AS t, trigger_name AS n FROM information_schema.triggers
             WHERE trigger_name LIKE 'procrastinate%' LOOP
        EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', r.n, r.t);
    END LOOP;
    FOR r IN SELECT tablename AS t FROM pg_tables
             WHERE schemaname = current_schema() AND tablename LIKE 'procrastinate%' LOOP
        EXECUTE format('DROP TABLE IF EXISTS %I CASCADE', r.t);
    END LOOP;
    FOR r IN SELECT p.oid::regprocedure AS f FROM pg_proc p
             JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = current_schema() AND p.proname LIKE 'procrastinate%' LOOP
        EXECUTE format('DROP FUNCTION IF EXISTS %s CASCADE', r.f);
    END LOOP;
    FOR r IN SELECT t.typname AS t FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
             WHERE n.nspname = current_schema() AND t.typname LIKE 'procrastinate%'
               AND t.typtype IN ('e', 'c') LOOP
        EXECUTE format('DROP TYPE IF EXISTS %I CASCADE', r.t);
    END LOOP;
END $$;
"""


def _person(table: str) -> sa.Column[int]:
    return sa.Column(
        "person_id",
        sa.Integer(),
        sa.ForeignKey("people.id", name=f"fk_{table}_person_id_people", ondelete="CASCADE"),
        nullable=False,
    )


def _postgresql() -> bool:
    return bool(op.get_bind().dialect.name == "postgresql")


def _raw(sql: str) -> None:
    """Run a script of several statements as it is (no bind parameters: it holds % and :)."""
    cursor = op.get_bind().connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql)
    finally:
        cursor.close()


def upgrade() -> None:
    op.create_table(
        "jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        _person("jobs"),
        sa.Column("account_id", sa.Integer(), nullable=True),  # who asked (None: local)
        sa.Column("kind", sa.String(20), nullable=False),  # import, report
        sa.Column("state", sa.String(20), nullable=False),  # queued, running, done, failed
        sa.Column("payload", sa.JSON(), nullable=False),  # the request (no file bytes)
        sa.Column("done", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("total", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("result", sa.JSON(), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_jobs"),
    )
    op.create_index("ix_jobs_person_id", "jobs", ["person_id", "id"])
    op.create_table(
        "job_files",
        sa.Column(
            "job_id",
            sa.Integer(),
            sa.ForeignKey("jobs.id", name="fk_job_files_job_id_jobs", ondelete="CASCADE"),
            nullable=False,
        ),
        _person("job_files"),
        sa.Column("role", sa.String(10), nullable=False),  # input, output
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("job_id", "role", "seq", name="pk_job_files"),
    )
    if not _postgresql():
        return
    from procrastinate.schema import SchemaManager

    _raw(SchemaManager.get_schema())
    for table in TABLES:
        op.execute(sa.text(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"))
        op.execute(sa.text(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY"))
        op.execute(
            sa.text(f"CREATE POLICY {table}_person ON {table} USING {SEES} WITH CHECK {SEES}")
        )


def downgrade() -> None:
    if _postgresql():
        for table in TABLES:
            op.execute(sa.text(f"DROP POLICY {table}_person ON {table}"))
        _raw(DROP_QUEUE)
    op.drop_table("job_files")
    op.drop_index("ix_jobs_person_id", table_name="jobs")
    op.drop_table("jobs")
