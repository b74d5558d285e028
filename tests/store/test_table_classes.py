"""The table classes stay cheap to instantiate: a record is made for every row an auditor adds or imports."""

from __future__ import annotations

import pytest
from sqlmodel import SQLModel

from workbench.store import tables


def table_classes() -> list[type[SQLModel]]:
    return [value for value in vars(tables).values()
            if isinstance(value, type) and issubclass(value, SQLModel) and hasattr(value, "__table__")]


@pytest.mark.parametrize("table", table_classes(), ids=lambda table: table.__name__)
def test_no_table_class_holds_a_pydantic_private_attribute(table: type[SQLModel]) -> None:
    # pydantic deep-copies a private attribute's default into every instance; a Column left under an
    # underscored name in a class body made each new finding copy the whole schema (~0.1 s a record)
    assert not table.__private_attributes__


def test_version_counter_is_the_row_version_column_of_every_record_table() -> None:
    versioned = {table.__name__ for table in table_classes() if table.__mapper__.version_id_col is not None}
    assert versioned == {"Engagement", "Assessment", "ChecklistResponse", "HealthCheckAnswer", "Finding", "ModelAsset",
                         "Risk", "CostItem", "RoadmapItem", "MatrixRow", "Evidence", "Signoff", "ReviewNote"}
    for name in versioned:
        assert getattr(tables, name).__mapper__.version_id_col.name == tables.ROW_VERSION
    # the engagement's row is rewritten by every change of the engagement (updated_at): the app counts its header's
    assert tables.Engagement.__mapper__.version_id_generator is False
