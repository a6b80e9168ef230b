"""Message catalogues, one module per area of the console (see lib.i18n)."""
