"""The performance benchmark of the design's large study: `python -m benchmarks`."""
