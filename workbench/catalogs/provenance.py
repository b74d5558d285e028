"""One line saying where an imported framework came from, for reports, the CLI and the GUI."""

from __future__ import annotations

from typing import Any

# the file formats a framework is imported from (catalogs.detect), as a report or the GUI names them
FORMAT_LABELS = {
    "workbench": "Workbench framework file",
    "oscal-catalog": "OSCAL catalog",
    "oscal-resolved-profile": "OSCAL resolved-profile catalog",
    "ciso-assistant": "CISO Assistant library",
}


def provenance_line(document: dict[str, Any]) -> str:
    """'OSCAL catalog, version 5.0.1 (OSCAL 1.0.0), last modified … · file X · SHA-256 … · imported …'; '' if none."""
    provenance = document.get("provenance")
    if not isinstance(provenance, dict):
        return ""
    raw_source = provenance.get("source")
    source: dict[str, Any] = raw_source if isinstance(raw_source, dict) else {}
    kind = FORMAT_LABELS.get(str(provenance.get("format")), str(provenance.get("format") or "imported file"))
    details = [f"version {source['version']}" if source.get("version") else ""]
    if source.get("oscal-version"):
        details.append(f"OSCAL {source['oscal-version']}")
    if source.get("last-modified"):
        details.append(f"last modified {str(source['last-modified'])[:10]}")
    if source.get("provider"):
        details.append(f"provider {source['provider']}")
    parts = [", ".join([kind, *filter(None, details)])]
    if provenance.get("file"):
        parts.append(f"file {provenance['file']}")
    if provenance.get("sha256"):
        parts.append(f"SHA-256 {provenance['sha256']}")
    if provenance.get("imported_at"):
        parts.append(f"imported {str(provenance['imported_at']).replace('T', ' ').replace('Z', ' UTC')}")
    return " · ".join(parts)
