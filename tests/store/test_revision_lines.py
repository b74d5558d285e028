"""The schema head is read from the migration scripts' `revision` / `down_revision` lines (no alembic, no ast:
every command and the app's first frame ask for it); whatever is not one plain string on such a line, a
line given twice, a merge or a branch is left to alembic's own reading (tests/store/test_migration_0004.py
checks the two agree on the real scripts)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from workbench.store import migrate

ALEMBIC = ("alembic's head", frozenset({"alembic"}))


def scripts(tmp_path: Path, *bodies: str) -> Path:
    folder = tmp_path / "migrations"
    (folder / "versions").mkdir(parents=True)
    for number, body in enumerate(bodies, start=1):
        (folder / "versions" / f"{number:04d}_step.py").write_text(body, encoding="utf-8")
    (folder / "versions" / "helpers.py").write_text("VALUE = 1\n", encoding="utf-8")  # no revision: skipped
    return folder


@pytest.fixture(autouse=True)
def alembic_marked(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    migrate._read_revisions.cache_clear()
    monkeypatch.setattr(migrate, "_alembic_revisions", lambda: ALEMBIC)
    yield
    migrate._read_revisions.cache_clear()


def test_plain_lines_give_the_head_and_every_revision(tmp_path: Path) -> None:
    folder = scripts(tmp_path,
                     '"""First.\n\nRevision ID: a1\n"""\nrevision: str = \'a1\'\ndown_revision: str | None = None\n',
                     "revision = \"b2\"  # the second\ndown_revision: str | None = 'a1'\n"
                     "branch_labels: str | None = None\n")
    assert migrate._read_revisions(folder) == ("b2", frozenset({"a1", "b2"}))


@pytest.mark.parametrize("second", [
    "revision = ('b2')\ndown_revision = 'a1'\n",          # not one plain string on the line
    "revision = 'b2'\nrevision = 'b3'\ndown_revision = 'a1'\n",  # given twice
    "revision = f'b{2}'\ndown_revision = 'a1'\n",
    "revision = 'b2'\ndown_revision = ('a1', 'x9')\n",    # a merge
    "revision = 'b2'\ndown_revision = None\n",            # two heads
    "down_revision = 'a1'\n",                              # no revision of its own
])
def test_anything_unusual_is_left_to_alembic(tmp_path: Path, second: str) -> None:
    folder = scripts(tmp_path, "revision = 'a1'\ndown_revision = None\n", second)
    assert migrate._read_revisions(folder) == ALEMBIC
