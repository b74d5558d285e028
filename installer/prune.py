"""Leave unused Qt plugins, and the libraries only they need, out of the PyInstaller bundle.

PySide6's hooks collect every plugin of a category the app's Qt modules use. Some of those pull in whole
Qt modules the workbench never touches: the virtual keyboard plugin brings QtQuick and QtQml, the GTK
platform theme brings GTK, cairo and pango, the PDF/SVG image formats bring QtPdf and QtSvg, the VNC platform
brings QtNetwork. PyInstaller has no switch for plugins, so the spec hands its TOC to `prune_plugins`:
it drops the plugins and then every library that only they (directly or through each other) link against.
A library something else still needs stays. tests/installer checks the result still starts and that every
remaining library resolves.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import PurePath

# substrings of a plugin's path under .../plugins/; names work for Linux (libqsvg.so), Windows (qsvg.dll), macOS
UNUSED_PLUGINS = (
    "virtualkeyboard",  # platforminputcontexts: QtQuick, QtQml, QtVirtualKeyboard
    "qgtk3",  # platformthemes: GTK 3 and its stack; the app uses the Fusion style everywhere
    "qpdf",  # imageformats: QtPdf
    "qsvg",  # imageformats and iconengines: QtSvg; the app's icons are PNG
    "qeglfs", "qlinuxfb", "qvnc", "qvkkhrdisplay", "qminimalegl",  # full-screen/embedded/remote platforms
    "egldeviceintegrations/", "generic/", "qmltooling/",  # only used by the platforms above, or by QML
)

Entry = tuple[str, str, str]  # PyInstaller TOC entry: (destination name, source path, type code)
Imports = Callable[[str], Iterable[str]]


def _is_unused_plugin(dest: str) -> bool:
    path = dest.replace("\\", "/")
    if "/plugins/" not in path:
        return False
    plugin = path.split("/plugins/", 1)[1].lower()
    return any(marker in plugin for marker in UNUSED_PLUGINS)


def _closure(start: Iterable[str], links: dict[str, set[str]]) -> set[str]:
    """Every library name reachable from `start` through `links` (name → names it links against)."""
    seen: set[str] = set()
    todo = list(start)
    while todo:
        name = todo.pop()
        for needed in links.get(name, ()):
            if needed not in seen:
                seen.add(needed)
                todo.append(needed)
    return seen


def prune_plugins(binaries: list[Entry], imports: Imports) -> tuple[list[Entry], list[str]]:
    """(binaries to keep, destination names left out). `imports(source)` lists the library names a binary
    links against (PyInstaller's bindepend.get_imports, names only)."""
    removed = [entry for entry in binaries if _is_unused_plugin(entry[0])]
    if not removed:
        return binaries, []
    by_name = {_name(dest): src for dest, src, _kind in binaries}
    links = {name: {_name(n) for n in imports(src)} & by_name.keys() for name, src in by_name.items()}
    removed_names = {_name(dest) for dest, _src, _kind in removed}
    only_theirs = _closure(removed_names, links)
    roots = by_name.keys() - removed_names - only_theirs
    still_needed = roots | _closure(roots, links)
    drop = removed_names | (only_theirs - still_needed)
    kept = [entry for entry in binaries if _name(entry[0]) not in drop]
    return kept, sorted(dest for dest, _src, _kind in binaries if _name(dest) in drop)


def drop_links_to(datas: list[Entry], left_out: Iterable[str]) -> list[Entry]:
    """PyInstaller records top-level symbolic links to libraries among the data entries: drop those that would
    point at a library `prune_plugins` left out."""
    gone = {_name(dest) for dest in left_out}
    return [entry for entry in datas if not (entry[2] == "SYMLINK" and _name(entry[0]) in gone)]


def _name(dest: str) -> str:
    return PurePath(dest.replace("\\", "/")).name
