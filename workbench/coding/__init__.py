"""A coder's codings held in memory: kept in order as they change (`order`), counted per code
(`tally`), and in their compact form, the spans of each code per transcript (`spans`)."""
