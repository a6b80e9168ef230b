"""KPI definitions (SPEC.md "KPI definitions"), computed in the database.

One function per figure; the pages and `python -m lib.report` call the same
functions. Each takes an engine (or a Connection), a `KpiFilters` and, where
the definition has settings, a `KpiSettings`; what comes back is already
grouped (dataclasses, or small pandas DataFrames).

Modules: `filters` and `settings` (inputs), `sql` (portable date/time SQL),
`common` (shared predicates), then one module per KPI area.
"""
