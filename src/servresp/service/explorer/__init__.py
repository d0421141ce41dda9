"""The web explorer's built front end, shipped as package data (no CDN, works offline).

`ASSETS` is the folder holding ``index.html`` and its bundled scripts and styles; the HTTP
service serves it at ``/`` and ``servresp docs --site`` copies it beside the data it embeds.
"""

from pathlib import Path

__all__ = ["ASSETS"]

ASSETS = Path(__file__).parent / "assets"
"""The built front end (``index.html`` and ``assets/*``); empty until the front end is built."""
