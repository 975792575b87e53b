"""Every job of the product, written once, whichever door it comes through (the command line, the
JSON API, the web console).

Each job takes the acting person or key (:class:`services.policy.Actor`), checks what it may do in
one place (:mod:`services.policy`: a permission per job, which the doors also check before they read
a request's body), validates, and writes its change with its audit entry in one
all-or-nothing write. It raises the domain's errors (:mod:`graph.errors`), which each door maps to
its own form: an exit code, an HTTP status, a page in Chinese.

- :mod:`services.studios`: create, edit, delist studios; their leaders' changes (Article 9);
- :mod:`services.alliances`: propose, accept, reject, dissolve alliances; what-ifs and their apply;
- :mod:`services.rosters`: load rosters, a union only its own studios; :mod:`services.upload_workers`:
  the processes a server loads uploads in (limits per account, time, memory);
- :mod:`services.lifecycle`: the yearly assessment and its apply, naming, funding (Articles 3, 6–10);
- :mod:`services.keys`: API keys; :mod:`services.accounts` and :mod:`services.sessions`: console
  accounts and their sessions; :mod:`services.audit`: the audit trail;
- :mod:`services.fits`: the fitted matching models a long-running door shares between requests.

Imports go one way: ``api → services → {visualizations, matching, ingest} → graph``.
"""
