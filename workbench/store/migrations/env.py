"""Alembic environment: always run from code with a connection handed over in cfg.attributes."""

from __future__ import annotations

from alembic import context

from workbench.store import tables

target_metadata = tables.SQLModel.metadata
connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only when someone runs the alembic CLI by hand
    raise RuntimeError("run migrations through workbench.store.migrate, which passes a connection")

context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True,
                  compare_type=True)
with context.begin_transaction():
    context.run_migrations()
