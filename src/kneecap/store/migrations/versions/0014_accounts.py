"""Accounts for clinic mode and logins: accounts and their recovery codes, browser sessions,
password reset links, clinicians' invitations and care links, the audit log, clinicians' notes
and overrides; and the account of the clinician who recorded a clearance.

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"


def _when(name: str, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _account(table: str, column: str = "account_id", ondelete: str = "CASCADE") -> sa.Column[int]:
    return sa.Column(
        column,
        sa.Integer(),
        sa.ForeignKey("accounts.id", name=f"fk_{table}_{column}_accounts", ondelete=ondelete),
        nullable=ondelete != "CASCADE",
    )


def _person(table: str) -> sa.Column[int]:
    return sa.Column(
        "person_id",
        sa.Integer(),
        sa.ForeignKey("people.id", name=f"fk_{table}_person_id_people", ondelete="CASCADE"),
        nullable=False,
    )


def upgrade() -> None:
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column("roles", sa.String(40), nullable=False),
        sa.Column(
            "person_id",
            sa.Integer(),
            sa.ForeignKey("people.id", name="fk_accounts_person_id_people", ondelete="SET NULL"),
            nullable=True,
        ),
        sa.Column("password_hash", sa.String(200), nullable=False),
        sa.Column("totp_secret", sa.String(64), nullable=True),
        _when("totp_enrolled_at", nullable=True),
        sa.Column("failed_logins", sa.Integer(), nullable=False, server_default="0"),
        _when("locked_until", nullable=True),
        _when("disabled_at", nullable=True),
        _when("created_at"),
        sa.PrimaryKeyConstraint("id", name="pk_accounts"),
        sa.UniqueConstraint("email", name="uq_accounts_email"),
        sa.UniqueConstraint("person_id", name="uq_accounts_person_id"),
    )
    op.create_table(
        "recovery_codes",
        sa.Column("id", sa.Integer(), nullable=False),
        _account("recovery_codes"),
        sa.Column("code_hash", sa.String(200), nullable=False),
        _when("used_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_recovery_codes"),
    )
    op.create_table(
        "web_sessions",
        sa.Column("token_sha256", sa.String(64), nullable=False),
        _account("web_sessions"),
        sa.Column("stage", sa.String(10), nullable=False),
        _when("created_at"),
        _when("last_seen_at"),
        sa.Column("address", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("token_sha256", name="pk_web_sessions"),
    )
    op.create_table(
        "reset_tokens",
        sa.Column("token_sha256", sa.String(64), nullable=False),
        _account("reset_tokens"),
        _when("expires_at"),
        _when("used_at", nullable=True),
        sa.PrimaryKeyConstraint("token_sha256", name="pk_reset_tokens"),
    )
    op.create_table(
        "invitations",
        sa.Column("code_sha256", sa.String(64), nullable=False),
        _account("invitations", "clinician_id"),
        _when("created_at"),
        _when("expires_at"),
        _when("used_at", nullable=True),
        sa.PrimaryKeyConstraint("code_sha256", name="pk_invitations"),
    )
    op.create_table(
        "care_links",
        sa.Column("id", sa.Integer(), nullable=False),
        _account("care_links", "clinician_id"),
        _person("care_links"),
        _when("started_at"),
        _when("ended_at", nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_care_links"),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer(), nullable=False),
        _when("at"),
        sa.Column("account_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(254), nullable=False),
        sa.Column("action", sa.String(80), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("detail", sa.String(500), nullable=False),
        sa.Column("address", sa.String(64), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_audit_log"),
    )
    op.create_table(
        "clinic_notes",
        sa.Column("id", sa.Integer(), nullable=False),
        _person("clinic_notes"),
        _account("clinic_notes", "author_id", ondelete="SET NULL"),
        sa.Column("author", sa.String(254), nullable=False),
        _when("created_at"),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_clinic_notes"),
    )
    op.create_table(
        "clinic_overrides",
        sa.Column("id", sa.Integer(), nullable=False),
        _person("clinic_overrides"),
        _account("clinic_overrides", "author_id", ondelete="SET NULL"),
        sa.Column("author", sa.String(254), nullable=False),
        _when("created_at"),
        sa.Column("kind", sa.String(30), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_clinic_overrides"),
    )
    for table, column in (
        ("recovery_codes", "account_id"),
        ("web_sessions", "account_id"),
        ("reset_tokens", "account_id"),
        ("invitations", "clinician_id"),
        ("care_links", "clinician_id"),
        ("care_links", "person_id"),
        ("audit_log", "at"),
        ("audit_log", "person_id"),
        ("clinic_notes", "person_id"),
        ("clinic_overrides", "person_id"),
    ):
        op.create_index(f"ix_{table}_{column}", table, [column])
    with op.batch_alter_table("clearances") as batch:
        batch.add_column(sa.Column("clinician_account_id", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("clearances") as batch:
        batch.drop_column("clinician_account_id")
    for table in (
        "clinic_overrides",
        "clinic_notes",
        "audit_log",
        "care_links",
        "invitations",
        "reset_tokens",
        "web_sessions",
        "recovery_codes",
        "accounts",
    ):
        op.drop_table(table)
