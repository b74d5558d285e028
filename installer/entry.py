"""Entry point of the frozen program: the same `workbench` command as the installed console script.

PyInstaller needs a script, not a `module:function` reference; this one only hands over to workbench.cli.
"""

import sys

from workbench.cli import main

if __name__ == "__main__":
    sys.exit(main())
