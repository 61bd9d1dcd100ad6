"""Storage: how the log is kept (how its events are encoded, where and how they are stored)."""
