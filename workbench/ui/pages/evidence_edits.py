"""The evidence step's changes, each one undoable service call: attach, describe, link, unlink and remove files.

Apart from the page, which asks (file dialogs, the link dialog) and reads files in workers, so what each change does
and how it is undone is in one place. Removing keeps the bytes in the undo command, so Ctrl+Z re-attaches the very
same file (same SHA-256, same uid, same links); a removal is based on the versions shown and refused if one of the
files changed meanwhile.
"""

from __future__ import annotations

from typing import Any

from workbench.services import evidence as evidence_service
from workbench.services import records as record_service
from workbench.ui.pages.evidence_widgets import link_name
from workbench.ui.session import EngagementSession

Loaded = tuple[str, bytes, str]  # a file read to attach: name, bytes, modified time (evidence_widgets.read_files)
Kept = tuple[dict[str, Any], bytes]  # a file read before removing it: its record and its bytes


class EvidenceEdits:
    """Changes to the engagement's evidence through the session; each returns whether it went through."""

    def __init__(self, session: EngagementSession) -> None:
        self.session = session

    def _apply(self, text: str, redo: Any, undo: Any) -> bool:
        return self.session.apply(text, redo, undo, {"evidence"})

    def _versions(self, uids: list[str]) -> dict[str, int | None]:
        """The versions of these files as shown: a removal is refused if one changed meanwhile."""
        return {uid: self.session.version_of("evidence", uid) for uid in uids}

    def describe(self, record: dict[str, Any], name: str, value: Any) -> None:
        ws, key, uid, old = self.session.ws, self.session.uid, record["uid"], record.get(name)

        def put(held: Any) -> None:  # based on the version shown: changed meanwhile, it is refused and reloaded
            record_service.update_record(ws, key, "evidence", uid, {name: held},
                                         seen_version=self.session.version_of("evidence", uid))

        self._apply(f"Edit description of {record['file_name']}", lambda: put(value), lambda: put(old))

    def attach(self, files: list[Loaded]) -> list[str] | None:
        """Attach files read from disk as one step; the new uids (redo keeps them), or None if refused."""
        ws, key = self.session.ws, self.session.uid
        uids: list[str] = []

        def redo() -> None:
            again = list(uids)
            uids.clear()
            for index, (name, data, captured) in enumerate(files):
                uid = again[index] if index < len(again) else None
                uids.append(evidence_service.attach_bytes(ws, key, data, name, captured_at=captured, uid=uid))

        def undo() -> None:
            evidence_service.remove_evidence_files(ws, key, uids[::-1], self._versions(uids))

        text = f"Attach {files[0][0]}" if len(files) == 1 else f"Attach {len(files)} files"
        return uids if self._apply(text, redo, undo) else None

    def link(self, record: dict[str, Any], targets: list[tuple[str, str]]) -> bool:
        """Link one file to what it supports: (kind, key) pairs of findings, checklist items, models, risks."""
        ws, key, uid = self.session.ws, self.session.uid, record["uid"]
        made: list[str] = []

        def redo() -> None:
            made.clear()
            made.extend(evidence_service.link_evidence(ws, key, uid, kind, target) for kind, target in targets)

        def undo() -> None:
            for link_uid in made:
                evidence_service.unlink_evidence(ws, key, link_uid)

        names = ", ".join(link_name(self.session, {"target_kind": k, "target_key": t}) for k, t in targets)
        return self._apply(f"Link {record['file_name']} to {names}", redo, undo)

    def unlink(self, record: dict[str, Any], link: dict[str, Any]) -> bool:
        ws, key = self.session.ws, self.session.uid
        current = {"uid": link["uid"]}

        def redo() -> None:
            evidence_service.unlink_evidence(ws, key, current["uid"])

        def undo() -> None:
            current["uid"] = evidence_service.link_evidence(ws, key, record["uid"], link["target_kind"],
                                                            link["target_key"])

        return self._apply(f"Unlink {record['file_name']} from {link_name(self.session, link)}", redo, undo)

    def remove(self, records: list[dict[str, Any]], kept: list[Kept]) -> str | None:
        """Remove files whose bytes were read (`kept`, for undo); what was done in words, or None if refused."""
        ws, key = self.session.ws, self.session.uid
        uids = [r["uid"] for r in records]
        links = {r["uid"]: [(link["target_kind"], link["target_key"]) for link in r.get("links", [])]
                 for r in records}

        def redo() -> None:
            evidence_service.remove_evidence_files(ws, key, uids, self._versions(uids))

        def undo() -> None:
            for meta, data in kept:
                evidence_service.attach_bytes(
                    ws, key, data, meta["file_name"], description=meta.get("description") or "",
                    media_type=meta.get("media_type"), captured_at=meta.get("captured_at"),
                    links=links[meta["uid"]], uid=meta["uid"])

        text = f"Remove {records[0]['file_name']}" if len(records) == 1 else f"Remove {len(records)} files"
        return text if self._apply(text, redo, undo) else None
