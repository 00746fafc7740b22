"""Schema additions for reports: SQL views of frequencies and coded passages (migration 002)."""
