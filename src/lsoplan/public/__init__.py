"""The public side: an organisation's published pages under /allmanhet/<slug>/, and citizens' views."""
