"""The web explorer's built front end, shipped as package data (no CDN, works offline).

`ASSETS` is the folder holding ``index.html`` and its bundled script and style; the HTTP
service serves it at ``/``, and ``servresp site`` (`servresp.service.explorer.site`) copies it
beside the data it embeds. The sources are in ``web/`` at the repository root (``make explorer``).
"""

from pathlib import Path

__all__ = ["ASSETS"]

ASSETS = Path(__file__).parent / "assets"
"""The built front end: ``index.html``, ``explorer.js`` and ``explorer.css``."""
