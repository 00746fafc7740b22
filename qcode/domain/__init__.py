"""Plain data and rules of qualitative coding; imports nothing else from qcode and no UI or database."""
