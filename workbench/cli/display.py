"""Can the desktop app open a window here? Asked before Qt is loaded, so a missing display is told in words.

Without a display, Qt aborts the process (exit 134) with "Could not load the Qt platform plugin "xcb" …
xcb-cursor0 is needed", whether or not that library is the problem. `display_problem` answers first, on
Linux only: no DISPLAY and no WAYLAND_DISPLAY; a system library Qt's X11 plugin needs and cannot load
(named, with the package to install, only when it really is missing); an X server that refuses the
connection. The command line's sub-commands need none of this.
"""

from __future__ import annotations

import ctypes
import os
import sys
from collections.abc import Callable, Mapping

__all__ = ["X11_LIBRARIES", "display_problem"]

# Debian package → the library Qt's X11 plugin loads from it (installer/linux/system-libraries.txt lists the
# same, with the Wayland ones; a test keeps the two in step).
X11_LIBRARIES: dict[str, str] = {
    "libegl1": "libEGL.so.1", "libgl1": "libGL.so.1", "libopengl0": "libOpenGL.so.0",
    "libglvnd0": "libGLdispatch.so.0", "libxkbcommon0": "libxkbcommon.so.0",
    "libxkbcommon-x11-0": "libxkbcommon-x11.so.0", "libfontconfig1": "libfontconfig.so.1",
    "libfreetype6": "libfreetype.so.6", "libdbus-1-3": "libdbus-1.so.3", "libx11-xcb1": "libX11-xcb.so.1",
    "libxcb1": "libxcb.so.1", "libxcb-cursor0": "libxcb-cursor.so.0", "libxcb-icccm4": "libxcb-icccm.so.4",
    "libxcb-keysyms1": "libxcb-keysyms.so.1", "libxcb-shape0": "libxcb-shape.so.0",
    "libxcb-randr0": "libxcb-randr.so.0", "libxcb-render-util0": "libxcb-render-util.so.0",
    "libxcb-image0": "libxcb-image.so.0", "libxcb-xkb1": "libxcb-xkb.so.1",
}
HEADLESS_PLATFORMS = ("offscreen", "minimal", "vnc", "eglfs", "linuxfb", "vkkhrdisplay")
NO_DISPLAY = ("there is no display to open the window on (neither DISPLAY nor WAYLAND_DISPLAY is set); "
              "the command-line commands work without one: workbench --help")


def _loads(library: str) -> bool:
    try:
        ctypes.CDLL(library)
    except OSError:
        return False
    return True


def _x_server_answers(display: str) -> bool:
    """Connect to the X server with libxcb (what Qt would do) and hang up."""
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return True  # reported as a missing library instead
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)
    try:
        return bool(connection) and xcb.xcb_connection_has_error(connection) == 0
    finally:
        if connection:
            xcb.xcb_disconnect(connection)


def display_problem(env: Mapping[str, str] | None = None, *, platform: str | None = None,
                    loads: Callable[[str], bool] = _loads,
                    answers: Callable[[str], bool] = _x_server_answers) -> str:
    """'' when the window can open, else why not in one sentence (for `workbench: …` and exit 2)."""
    env = os.environ if env is None else env
    if not (platform or sys.platform).startswith("linux"):
        return ""
    chosen = env.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")[0].strip()
    if chosen in HEADLESS_PLATFORMS or chosen.startswith("wayland"):
        return ""
    x11, wayland = env.get("DISPLAY", ""), env.get("WAYLAND_DISPLAY", "")
    if wayland and (not x11 or env.get("XDG_SESSION_TYPE") == "wayland"):
        return ""  # Qt takes Wayland on a Wayland session
    if not x11:
        return NO_DISPLAY
    missing = [package for package, library in X11_LIBRARIES.items() if not loads(library)]
    if missing:
        return (f"the desktop app needs {', '.join(missing)}, which {'is' if len(missing) == 1 else 'are'} not "
                f"installed; on Debian or Ubuntu: sudo apt-get install {' '.join(missing)}")
    if not answers(x11):
        return (f"cannot open the display {x11}: no X server answers there (or this user may not use it); "
                "the command-line commands work without one: workbench --help")
    return ""
