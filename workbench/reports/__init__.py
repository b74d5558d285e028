"""PDF deliverables with reportlab platypus: the full audit report and the executive summary.

Headless and workspace-free: services/deliverables.py gathers a `data.ReportData` and calls
`build.render`. Modules: fonts (embedded DejaVu + CJK fallback), text (the one escaping path for user
text), styles, document (template, page furniture, contents, watermark, signature area), context (cells,
tables, chart images), sections/ (one module per section), build (assembly).
"""
