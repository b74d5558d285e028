"""Catalogs for the tests: the small ones in tests/catalogs/data and a twenty-family one in the shape of
NIST SP 800-53 rev. 5."""

from __future__ import annotations

from pathlib import Path
from typing import Any

FAMILIES = ("Access Control", "Awareness and Training", "Audit and Accountability",
            "Assessment, Authorization, and Monitoring", "Configuration Management", "Contingency Planning",
            "Identification and Authentication", "Incident Response", "Maintenance", "Media Protection",
            "Physical and Environmental Protection", "Planning", "Program Management", "Personnel Security",
            "Personally Identifiable Information Processing and Transparency", "Risk Assessment",
            "System and Services Acquisition", "System and Communications Protection",
            "System and Information Integrity", "Supply Chain Risk Management")


FAMILY_IDS = ("ac", "at", "au", "ca", "cm", "cp", "ia", "ir", "ma", "mp", "pe", "pl", "pm", "ps", "pt", "ra", "sa",
              "sc", "si", "sr")


def family_catalog() -> dict[str, Any]:
    groups = [{"id": family_id, "class": "family", "title": title,
               "controls": [{"id": f"{family_id}-{n}", "class": "SP800-53", "title": f"{title} control {n}",
                             "props": [{"name": "label", "value": f"{family_id.upper()}-{n:02d}"}],
                             "parts": [{"id": f"{family_id}-{n}_smt", "name": "statement",
                                        "prose": f"Keep the {title.lower()} records of every model current."}]}
                            for n in (1, 2)]}
              for family_id, title in zip(FAMILY_IDS, FAMILIES, strict=True)]
    return {"catalog": {"uuid": "0f7c1c55-7a53-4d1f-9f53-2f1a4a0c5e11",
                        "metadata": {"title": "Twenty-family control catalog", "version": "5.2.0",
                                     "last-modified": "2025-08-26T14:33:16.00000-00:00", "oscal-version": "1.1.3"},
                        "groups": groups}}


DATA = Path(__file__).resolve().parents[1] / "catalogs" / "data"


OSCAL_JSON = DATA / "oscal_ml_catalog.json"


OSCAL_YAML = DATA / "oscal_nested_catalog.yaml"


CISO_YAML = DATA / "ciso_ml_library.yaml"
