"""The query service for other tools: an HTTP API with OpenAPI, and MCP tools for agents."""
