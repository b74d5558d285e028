"""Persistence: SQLModel tables, engine and migrations, workspace lock, audit trail, backup."""
