"""kg: a knowledge graph of Persian news."""

__version__ = "0.1.0"
