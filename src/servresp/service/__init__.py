"""The query service for other tools: an HTTP API with OpenAPI, and MCP tools for agents.

- `servresp.service.api`: `app(model)`, the ASGI app (FastAPI) serving the CLI's JSON documents;
- `servresp.service.server`: `serve`, the app under uvicorn, reloaded on SIGHUP;
- `servresp.service.tools`: `mcp_server(model)`, the MCP tools and resources for agents;
- `servresp.service.queries`: the answers both share, as plain functions;
- `servresp.service.limits`: `Limits`, the bounds on one request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from servresp._lazy import lazy_exports

if TYPE_CHECKING:
    from servresp.service.api import app
    from servresp.service.limits import Limits
    from servresp.service.server import serve
    from servresp.service.tools import mcp_server

__all__ = ["Limits", "app", "mcp_server", "serve"]

__getattr__, __dir__ = lazy_exports(__name__, {
    "Limits": "servresp.service.limits",
    "app": "servresp.service.api",
    "mcp_server": "servresp.service.tools",
    "serve": "servresp.service.server",
}, __all__)
