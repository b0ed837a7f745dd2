"""Clients for public statistics (Kolada, MCF's and SCB's PxWeb APIs) and the peer-group reference data.

Pure Python: nothing here imports Django. The clients return plain dataclasses
(:class:`~lsoplan.lib.publicdata.observation.Observation`); storing them is the Django app's job.
"""
