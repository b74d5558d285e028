"""Files and folders: atomic writes, private modes, temporary files swept after a crash (files.py), and
storage faults in plain words (faults.py). Used by every layer that writes a file; imports only domain."""
