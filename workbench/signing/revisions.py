"""What a signed PDF said when it was signed, and what later revisions changed.

A PDF grows by incremental updates: each one appends objects and a new trailer after the signed bytes,
so the signature stays intact while a reader shows the newest revision. Everything the workbench shows
about a signed report therefore comes from the signed revision, resolved through pyHanko's historical
resolver (`HistoricalResolver.get_object`). The trap: an IndirectObject taken from a historical trailer
or catalog still points at the latest revision, so it is never dereferenced directly here.

`later_changes` names what the revisions after the signed one change. pyHanko's policy files any rewrite
of the document information (/Info) or of the XMP metadata under LTA_UPDATES, the class of what long-term
archival adds, and ignores a new /Info object; so both are compared here value by value. Archiving tools
(pyHanko's own document-security-store and timestamp updates among them) rewrite the modification date and
the producer, and only those may change. Page changes are named when pyHanko's structural analysis refused
the update.
"""

from __future__ import annotations

import io
from collections.abc import Iterator, Mapping

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.metadata import model as xmp_model
from pyhanko.pdf_utils.metadata.xmp_xml import parse_xmp
from pyhanko.pdf_utils.reader import HistoricalResolver, PdfFileReader

# What archiving a signed PDF rewrites: the last-modified date and the producer, in /Info and in the XMP.
ARCHIVAL_INFO_KEYS = frozenset({"/ModDate", "/Producer"})
ARCHIVAL_XMP_FIELDS = frozenset({xmp_model.XMP_MODDATE, xmp_model.PDF_PRODUCER,
                                 xmp_model.ExpandedName(ns=xmp_model.NS["xmp"], local_name="MetadataDate")})
PREFIXES = {ns: prefix for prefix, ns in xmp_model.NS.items()}


def _resolve(resolver: HistoricalResolver, value: generic.PdfObject) -> generic.PdfObject:
    if isinstance(value, generic.IndirectObject):
        resolved: generic.PdfObject = resolver.get_object(value.reference)
        return resolved
    return value


def _root(resolver: HistoricalResolver) -> generic.DictionaryObject:
    root = _resolve(resolver, resolver.trailer_view.raw_get("/Root"))
    if not isinstance(root, generic.DictionaryObject):
        raise ValueError("the document catalog is not a dictionary")
    return root


def document_info(reader: PdfFileReader, revision: int) -> dict[str, str]:
    """The /Info dictionary as it stood in `revision`, values as text ({} when there is none)."""
    resolver = reader.get_historical_resolver(revision)
    try:
        info = _resolve(resolver, resolver.trailer_view.raw_get("/Info"))
    except KeyError:
        return {}
    if not isinstance(info, generic.DictionaryObject):
        return {}
    return {str(key): str(_resolve(resolver, info.raw_get(key))) for key in info}


def _xmp_fields(resolver: HistoricalResolver) -> dict[str, object]:
    """The XMP properties of a revision by prefixed name, archival dates and producer left out."""
    try:
        stream = _resolve(resolver, _root(resolver).raw_get("/Metadata"))
    except KeyError:
        return {}
    if not isinstance(stream, generic.StreamObject):
        return {"/Metadata": repr(stream)}
    try:
        roots = parse_xmp(io.BytesIO(stream.data))
    except Exception:  # any XML or XMP syntax error: keep the raw bytes to compare
        return {"/Metadata": stream.data}
    return {f"{PREFIXES.get(name.ns, name.ns)}:{name.local_name}": value
            for root in roots for name, value in root if name not in ARCHIVAL_XMP_FIELDS}


def _differences(old: Mapping[str, object], new: Mapping[str, object]) -> list[str]:
    return sorted(key for key in set(old) | set(new) if old.get(key) != new.get(key))


def _page_refs(resolver: HistoricalResolver, node: generic.PdfObject, depth: int = 0) -> Iterator[generic.Reference]:
    if depth > 32 or not isinstance(node, generic.IndirectObject):
        return
    obj = resolver.get_object(node.reference)
    if not isinstance(obj, generic.DictionaryObject):
        return
    if obj.get("/Type") == "/Pages":
        kids = _resolve(resolver, obj.raw_get("/Kids")) if "/Kids" in obj else generic.ArrayObject()
        for kid in kids if isinstance(kids, generic.ArrayObject) else ():
            yield from _page_refs(resolver, kid, depth + 1)
    else:
        yield node.reference


def _content_refs(resolver: HistoricalResolver, page: generic.Reference) -> set[generic.Reference]:
    obj = resolver.get_object(page)
    if not isinstance(obj, generic.DictionaryObject) or "/Contents" not in obj:
        return set()
    contents = obj.raw_get("/Contents")
    refs = {contents.reference} if isinstance(contents, generic.IndirectObject) else set()
    resolved = _resolve(resolver, contents)
    if isinstance(resolved, generic.ArrayObject):
        refs |= {item.reference for item in resolved if isinstance(item, generic.IndirectObject)}
    return refs


def _plain_refs(refs: set[generic.Reference]) -> set[tuple[int, int]]:
    return {(ref.idnum, ref.generation) for ref in refs}


def _changed_pages(reader: PdfFileReader, revision: int) -> list[int]:
    """1-based numbers of the pages whose dictionary or content streams later revisions rewrote or added."""
    last = reader.xrefs.total_revisions - 1
    touched: set[tuple[int, int]] = set()
    for later in range(revision + 1, last + 1):
        touched |= _plain_refs(reader.xrefs.explicit_refs_in_revision(later))
    latest = reader.get_historical_resolver(last)
    signed = reader.get_historical_resolver(revision)
    before = len(list(_page_refs(signed, _root(signed).raw_get("/Pages"))))
    pages = []
    for number, page in enumerate(_page_refs(latest, _root(latest).raw_get("/Pages")), start=1):
        refs = _plain_refs({page} | _content_refs(latest, page))
        if number > before or refs & touched:
            pages.append(number)
    return pages


def _pages_text(pages: list[int]) -> str:
    if len(pages) == 1:
        return f"the content of page {pages[0]}"
    shown = ", ".join(str(n) for n in pages[:8]) + (" …" if len(pages) > 8 else "")
    return f"the content of pages {shown}"


def later_changes(reader: PdfFileReader, revision: int, structure_accepted: bool) -> list[str]:
    """What the revisions after `revision` change, in words ([] when nothing counts as a modification).

    `structure_accepted` is pyHanko's verdict on the later revisions (nothing but long-term-archival
    additions); when it refused them and no page, information or metadata change is found, the change is
    named as other objects of the file."""
    last = reader.xrefs.total_revisions - 1
    if revision >= last:
        return []
    changes = []
    old_info, new_info = document_info(reader, revision), document_info(reader, last)
    keys = [key for key in _differences(old_info, new_info) if key not in ARCHIVAL_INFO_KEYS]
    if keys:
        changes.append(f"the document information ({', '.join(keys)})")
    fields = _differences(_xmp_fields(reader.get_historical_resolver(revision)),
                          _xmp_fields(reader.get_historical_resolver(last)))
    if fields:
        changes.append(f"the XMP metadata ({', '.join(fields)})")
    if structure_accepted:
        return changes
    pages = _changed_pages(reader, revision)
    if pages:
        changes.append(_pages_text(pages))
    if not changes:
        changes.append("other objects of the file")
    return changes
