"""The rule engine: rule packs, the condition language, waivers, baselines and `governance check`.

Entry points: :func:`governance.rules.check.run_check`, :func:`governance.rules.loader.load_rules`,
:func:`governance.rules.engine.evaluate`. Rule files are documented in ``rules/README.md``.
"""
