"""Numeric experiments of the chapters, one module per chapter topic."""
