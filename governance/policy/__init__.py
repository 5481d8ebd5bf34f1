"""The customer-facing privacy policy, rendered from the inventory and checked for completeness.

Entry points:
  governance.policy.render.render_policy(loaded, fmt, template_dir)   Markdown, HTML or PDF
  governance.policy.completeness.check_completeness(loaded)           missing required disclosures
  governance.policy.contradictions.check_contradictions(loaded, text)  a hand-written policy vs the inventory
  governance.policy.versions.save_version / load_version / diff        published versions, material changes
  governance.policy.check.run_policy_check(inventory, policy_file)    all of the above as a CheckResult
"""
