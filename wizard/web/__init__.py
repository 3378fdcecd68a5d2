"""The questionnaire in the browser: `beleidsnotitie web` (a local server on 127.0.0.1).

Imported only by that command, so the other commands never load starlette or uvicorn.
- `server`: binds the port, prints the address with the access token, opens the browser.
- `guard`: host check, access token and cookie, CSRF, size limits, security headers.
- `app`: the routes and templates (NL Design System CSS, vendored in static/vendor).
- `walk_adapter`: the pages' face of the answering session (wizard/answering.py): addresses and forms.
"""
