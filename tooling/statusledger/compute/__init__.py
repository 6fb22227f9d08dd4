"""Pure functions of (records, now): status, uptime, SLA compliance and response metrics.

Nothing here reads files, the clock or the network; `now` is always a parameter, so the site,
the feeds and the CLI get the same figures from the same records. Formulas and every choice
the record format leaves open are written down in tooling/docs/compute.md.
"""
