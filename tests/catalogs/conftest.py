"""Small catalogs written for the tests (tests/catalogs/data) and helpers to vary them."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from workbench.catalogs.safe_yaml import load_yaml

DATA = Path(__file__).parent / "data"
OSCAL_JSON = DATA / "oscal_ml_catalog.json"
OSCAL_YAML = DATA / "oscal_nested_catalog.yaml"
CISO_YAML = DATA / "ciso_ml_library.yaml"


@pytest.fixture
def oscal_data() -> dict[str, Any]:
    return copy.deepcopy(json.loads(OSCAL_JSON.read_text(encoding="utf-8")))


@pytest.fixture
def ciso_data() -> dict[str, Any]:
    return load_yaml(CISO_YAML.read_text(encoding="utf-8"))
