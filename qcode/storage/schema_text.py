"""Schema additions for word tools: stored segmentation and the full-text index (migration 003)."""
