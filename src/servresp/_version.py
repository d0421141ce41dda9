"""The installed package's version, from its metadata."""

import importlib.metadata

__all__ = ["__version__"]

try:
    __version__ = importlib.metadata.version("servresp")
except importlib.metadata.PackageNotFoundError:  # run from a checkout without installing
    __version__ = "0.0.0+unknown"
