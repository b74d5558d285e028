"""Small catalogs written for the tests (tests/catalogs/data) and helpers to vary them."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

from tests.helpers.catalogs import CISO_YAML, OSCAL_JSON
from workbench.catalogs.safe_yaml import load_yaml


@pytest.fixture
def oscal_data() -> dict[str, Any]:
    return copy.deepcopy(json.loads(OSCAL_JSON.read_text(encoding="utf-8")))


@pytest.fixture
def ciso_data() -> dict[str, Any]:
    return load_yaml(CISO_YAML.read_text(encoding="utf-8"))
