"""The analysis stage: fault trees over duties, and change impact and model diff.

Fault trees (docs/faulttrees.md): `servresp.analysis.cutsets` (minimal cut sets),
`probability` (exact, rare-event, min-cut upper bound), `importance` (occurrence, MIF, CIF,
DIF, RAW, RRW), `history` (failure probabilities from facts), `mef` (Open-PSA MEF XML in
and out), `cutsets_report` (``servresp.cutsets/1``); the tree itself is
`servresp.model.faulttree`.
"""
