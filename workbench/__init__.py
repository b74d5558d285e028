"""MLOps Audit Workbench: assess how an organisation runs machine learning in production."""

__version__ = "0.1.0"
