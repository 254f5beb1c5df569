"""RareTrace: offline, traceable rare-disease differential diagnosis."""

__version__ = "0.1.0"
