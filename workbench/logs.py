"""Log file set-up: tracebacks go to a file in the platform's log folder, never to the user.

The folder is created 0700 and every log file 0600 (rotated ones too): a traceback may name files and
engagements. What is logged never quotes record text: the command line is logged with its values
redacted (cli.redacted) and SQL errors carry no parameters (store.engine uses hide_parameters).
"""

from __future__ import annotations

import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

import platformdirs

from workbench.fs.files import PRIVATE_FILE, PRIVATE_FOLDER


def log_dir() -> Path:
    override = os.environ.get("WORKBENCH_LOG_DIR")
    return Path(override) if override else Path(platformdirs.user_log_dir("workbench", appauthor=False))


def log_file() -> Path:
    return log_dir() / "workbench.log"


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A RotatingFileHandler whose files, the first and every rotated one, are created 0600."""

    def _open(self):  # type: ignore[no-untyped-def]  # the base method is untyped
        return open(self.baseFilename, self.mode, encoding=self.encoding, errors=self.errors,  # noqa: SIM115
                    opener=lambda name, flags: os.open(name, flags, PRIVATE_FILE))


def configure_logging(level: int = logging.INFO) -> Path:
    """Send log records to a rotating file; returns its path (shown in Help and in error text)."""
    path = log_file()
    root = logging.getLogger()
    for existing in [h for h in root.handlers if isinstance(h, RotatingFileHandler)]:
        if Path(existing.baseFilename) == path.absolute():
            return path
        root.removeHandler(existing)  # the log folder changed (WORKBENCH_LOG_DIR): follow it
        existing.close()
    try:
        path.parent.mkdir(mode=PRIVATE_FOLDER, parents=True, exist_ok=True)
        handler: logging.Handler = PrivateRotatingFileHandler(path, maxBytes=2_000_000, backupCount=3,
                                                              encoding="utf-8")
    except OSError:
        handler = logging.NullHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(level)
    logging.getLogger("pyhanko").setLevel(logging.CRITICAL)
    logging.getLogger("alembic").setLevel(logging.WARNING)
    return path
