"""Geography for capability over area and time (MSBFS 2021:1 12 §): coordinates, grids, areas.

Plain Python on polars columns; every coordinate transformation goes through pyproj and every
point-in-polygon test through shapely, so nothing here does its own geodesy.
"""
