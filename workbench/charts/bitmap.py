"""A chart as the bitmap a PDF embeds, and the fingerprint of the code that draws charts.

`encode_chart(builder, data, width_pt, height_pt, dpi)` draws a chart once into an Agg canvas and
returns its pixels as a PDF image stream: RGB, zlib-compressed (FlateDecode, as reportlab writes an
image), so a report embeds it without drawing, converting or compressing it again. The bytes can be
kept (in memory, in the workspace) and reused. The fastest level (1) is used: on a chart's large flat
areas it compresses three times faster than the default level 6 for streams about an eighth larger
(the eight charts of a sample report: 20 ms instead of 50 ms, 405 KiB instead of 357 KiB).

`chart_code_fingerprint()` digests the code of every module of this package, read through the import
system's loaders *without running it* (so matplotlib is not imported to learn it), plus matplotlib's
version: a cached chart is only reused by the very code that drew it. Line numbers are left out, so
moving code around keeps the caches; changing what any chart function does, or a colour, does not.

This module is what a chart worker process runs (`encode_chart_named`, `warm_up`): it imports
neither reportlab nor the database layer.
"""

from __future__ import annotations

import hashlib
import importlib
import importlib.util
import pkgutil
import re
import types
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

# Bump when the way a figure becomes an image stream changes (colour mode, compression).
ENCODING_VERSION = "rgb-zlib1-2"
COMPRESSION_LEVEL = 1


@dataclass(frozen=True)
class EncodedChart:
    """An RGB image of `width` × `height` pixels as a FlateDecode PDF image stream."""

    width: int
    height: int
    stream: bytes


def encode_chart(builder: Callable[..., None], data: Any, width_pt: float, height_pt: float,
                 dpi: float) -> EncodedChart:
    """Draw the chart at `width_pt` × `height_pt` points and `dpi`; return its image stream."""
    import warnings

    from workbench.charts import render_figure

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # "Glyph ... missing from font": drawn as a box
        figure = render_figure(builder, data, width_pt / 72, height_pt / 72, dpi)
        figure.canvas.draw()
    import numpy

    rgba = numpy.asarray(figure.canvas.buffer_rgba())  # type: ignore[attr-defined]
    height, width = int(rgba.shape[0]), int(rgba.shape[1])
    return EncodedChart(width, height, zlib.compress(rgba[:, :, :3].tobytes(), COMPRESSION_LEVEL))


def builder_name(builder: Callable[..., None]) -> tuple[str, str]:
    """(module, qualified name): how a worker process finds the same builder."""
    return builder.__module__, builder.__qualname__


def resolve_builder(module: str, qualname: str) -> Callable[..., None]:
    if not module.startswith(f"{__package__}."):
        raise ValueError(f"{module} is not a chart module")
    target: Any = importlib.import_module(module)
    for part in qualname.split("."):
        target = getattr(target, part)
    return target  # type: ignore[no-any-return]


def encode_chart_named(module: str, qualname: str, data: Any, width_pt: float, height_pt: float,
                       dpi: float) -> EncodedChart:
    """encode_chart for a builder named by builder_name (picklable: what a worker process is sent)."""
    return encode_chart(resolve_builder(module, qualname), data, width_pt, height_pt, dpi)


def warm_up() -> bool:
    """Import matplotlib's Agg canvas and every chart module, so the first chart starts drawing at once.

    A worker process runs this first. matplotlib's projections module imports the 3-D toolkit only to
    register its projection (about 50 ms of the worker's 0.5 s start, on the report's critical path when the
    pages wait for their charts); no chart is three-dimensional, so the toolkit is marked absent before
    matplotlib loads (it then warns that 3-D axes are unavailable, and carries on).
    """
    import sys
    import warnings

    if "matplotlib.projections" not in sys.modules:
        sys.modules.setdefault("mpl_toolkits.mplot3d", None)  # type: ignore[arg-type]  # "absent" to import
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        import matplotlib.backends.backend_agg  # noqa: F401
        import matplotlib.figure  # noqa: F401

    for name in _chart_modules():
        importlib.import_module(name)
    return True


def _chart_modules() -> list[str]:
    package = importlib.import_module(__package__ or "workbench.charts")
    names = [info.name for info in pkgutil.iter_modules(package.__path__, f"{package.__name__}.")]
    return sorted([package.__name__, *names])


def _digest_code(code: types.CodeType, into: Any) -> None:
    into.update(code.co_name.encode())
    into.update(code.co_code)
    into.update(repr((code.co_names, code.co_varnames, code.co_freevars, code.co_cellvars)).encode())
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            _digest_code(const, into)
        else:
            into.update(repr(const).encode())


@lru_cache(maxsize=1)
def chart_code_fingerprint() -> str:
    """SHA-256 over the code of every chart module, matplotlib's version and ENCODING_VERSION."""
    digest = hashlib.sha256(ENCODING_VERSION.encode())
    for name in _chart_modules():
        spec = importlib.util.find_spec(name)
        loader = spec.loader if spec is not None else None
        get_code = getattr(loader, "get_code", None)
        code = get_code(name) if get_code is not None else None
        if code is None:  # no way to read it without running it: never reuse what it drew
            return "uncached"
        digest.update(name.encode())
        _digest_code(code, digest)
    digest.update(_matplotlib_version().encode())
    return digest.hexdigest()


def _matplotlib_version() -> str:
    """matplotlib's version: from its _version.py where it is a file (importing importlib.metadata to ask
    costs about 40 ms of every report), else from its metadata, else from matplotlib itself."""
    spec = importlib.util.find_spec("matplotlib")  # a top-level package: found, not imported
    for folder in (spec.submodule_search_locations or []) if spec is not None else []:
        try:
            text = (Path(folder) / "_version.py").read_text(encoding="utf-8")
        except OSError:
            continue
        found = re.search(r"^version\s*=\s*[\"']([^\"']+)[\"']", text, re.MULTILINE)
        if found:
            return found.group(1)
    from importlib import metadata

    try:
        return metadata.version("matplotlib")
    except metadata.PackageNotFoundError:  # a bundle without the metadata: the import tells
        import matplotlib

        return str(matplotlib.__version__)


def chart_key(builder: Callable[..., None], data: Any, width_pt: float, height_pt: float, dpi: float) -> str | None:
    """What identifies a chart's bitmap; None when the chart code cannot be fingerprinted."""
    fingerprint = chart_code_fingerprint()
    if fingerprint == "uncached":
        return None
    module, qualname = builder_name(builder)
    text = repr((fingerprint, module, qualname, data, round(width_pt, 3), round(height_pt, 3), dpi))
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
