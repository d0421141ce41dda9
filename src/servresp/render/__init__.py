"""Renderers: each maps a value to a `str`; nothing here touches the disk."""
