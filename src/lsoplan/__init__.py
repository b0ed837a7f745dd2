"""lsoplan: handlingsprogram enligt lagen (2003:778) om skydd mot olyckor."""

__version__ = "0.1.0"
