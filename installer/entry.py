"""Entry point of the frozen program: the same `workbench` command as the installed console script.

PyInstaller needs a script, not a `module:function` reference; this one only hands over to workbench.cli.
A report's chart worker (workbench/reports/chart_images.py) is a process started from this same program:
freeze_support() runs it, and it never reaches main().
"""

import multiprocessing
import sys

if __name__ == "__main__":
    multiprocessing.freeze_support()
    from workbench.cli import main

    sys.exit(main())
