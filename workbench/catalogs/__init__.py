"""Published control catalogs read into workbench frameworks: OSCAL and CISO Assistant (pure Python, no Qt).

`detect.read_source` reads a file safely, `detect.convert` turns it into a native framework document;
services/frameworks.py validates, previews and stores it.
"""
