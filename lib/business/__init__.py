"""The managers' business analyses beyond SPEC's five KPIs (issue 6): why customers
complain, parts feedback to brands, own sales against partner brands, engineer
pay and warranties. Same rules as lib/kpi: portable SQLAlchemy Core, aggregation
in the database, `KpiFilters` where they apply."""
