"""The web console: pages in Chinese for union officers and studio leaders, served by the API's
FastAPI app under ``/console/`` (``/`` sends a browser there). See :mod:`api.console.pages`."""
