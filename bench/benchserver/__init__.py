"""The portal as bench/national.py serves it with gunicorn: production settings, a fixed
clock, two bare views to compare with, and the number of queries of every response."""
