"""The assistant: passages like the evidence already gathered, and the coder's own codes
proposed for passages not yet coded, learned from that coder's codings only. It never writes
a quote and never uses the network; what it proposes lives in a coder file of its own
(`assistant-<coder>`) until a person accepts each proposal.

Modules: `passages.py` (the units it ranks), `features.py` (TF-IDF over words and their
stems), `similar.py` (more like this), `model.py` (the per-coder classifiers), `suggest.py`
(train, propose, keep apart), `store.py` (the suggestions file: write, accept, reject),
`duplicates.py` (codes that look like one), `evaluation.py` (how good it is, measured).
"""
