"""The yardstick for the web benchmark: a bare Flask app answering ``GET /hello`` with a
short text. bench/web_pages.py serves it under exactly the gunicorn settings of the portal,
so the ratio of the two request rates measures what the portal itself costs."""
from flask import Flask

app = Flask(__name__)


@app.get("/hello")
def hello() -> tuple[str, int, dict[str, str]]:
    return "Hello, world!\n", 200, {"Content-Type": "text/plain; charset=utf-8"}
