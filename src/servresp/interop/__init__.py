"""Import and export: RACI spreadsheets, Backstage catalogs and OpenSLO, to and from a model."""
