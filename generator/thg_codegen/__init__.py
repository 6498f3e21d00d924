"""THG Connect client generator."""

__version__ = "0.1.0"
