"""The site's icon at the address browsers ask for by themselves (``/favicon.ico``), besides
the link in every page's head: no 404 in the log for each new visitor."""
from __future__ import annotations

from flask import current_app, send_from_directory

from saas.web import blueprint


@blueprint.get("/favicon.ico")
def favicon():
    return send_from_directory(current_app.static_folder, "favicon.ico", mimetype="image/vnd.microsoft.icon", max_age=86400)
