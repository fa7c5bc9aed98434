"""A coder's codings held in memory: kept in order as they change (`order`), and counted per code (`tally`)."""
