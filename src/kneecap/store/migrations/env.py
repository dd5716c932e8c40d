"""Alembic environment: runs against the engine the application hands in.

On PostgreSQL the upgrade acts as the local person (kneecap.local: row-level security lets a
migration read and repair every row) and first takes an advisory lock, so processes upgrading
one database together apply each migration once, one after the other (on SQLite the IMMEDIATE
transaction does both)."""

from __future__ import annotations

from alembic import context

from kneecap.store.tables import Base

MIGRATION_LOCK = 0x6B6E_0001  # pg_advisory_xact_lock's key for schema upgrades

engine = context.config.attributes["engine"]
with engine.begin() as connection:
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(
            "SELECT set_config('kneecap.local', 'on', true), "
            "set_config('kneecap.account', '', true), pg_advisory_xact_lock(%s)",
            (MIGRATION_LOCK,),
        )
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=True,
    )
    context.run_migrations()
