"""The doors of studio-alliances: the ``alliances`` command line (:mod:`api.cli`), the JSON API
(:mod:`api.routes`) and the web console in Chinese (:mod:`api.console`), all thin adapters onto
:mod:`services`; :mod:`api.app` composes the HTTP doors into one FastAPI app."""
