"""Persistence: SQLAlchemy 2 tables, Alembic migrations inside the package, repositories."""
