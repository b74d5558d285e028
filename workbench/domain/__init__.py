"""Pure-Python core: records, frameworks, scoring. Imports nothing from store/, ui/ or Qt."""
