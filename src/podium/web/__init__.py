"""The operations dashboard: server-rendered pages (Jinja2 + vendored htmx) on the API's server."""
