"""The package's version, in a module of its own so that any module can read it without
importing the package's `__init__` (which imports the stages)."""

__version__ = "1.0.0"
