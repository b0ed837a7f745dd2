"""Stations and response areas (programme content), and capability over area and time."""
