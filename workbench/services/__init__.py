"""Use cases shared by the GUI and the CLI. Every change to an engagement goes through here,
so it is validated and written to the audit trail in the same transaction."""
