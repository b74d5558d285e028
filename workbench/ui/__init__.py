"""PySide6 desktop app: the only package that imports Qt. Thin shells over services/."""

from workbench.ui.feature_check import quicker_feature_check

quicker_feature_check()
