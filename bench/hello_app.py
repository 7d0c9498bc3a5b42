"""The ceilings `make bench-web` measures Livinglab's pages against, served the same way (gunicorn, 2 sync workers).

`/` is a Flask hello-world; `/rows` is a bare Jinja page listing 20 regencies read with sqlite3 from the data
set's database (BENCH_DB): what a page costs with nothing of the app around it.
"""

import os
import sqlite3

from flask import Flask, render_template_string

app = Flask(__name__)

ROWS = """<!doctype html><html lang="id"><head><meta charset="utf-8"><title>Rows</title></head><body><ul>
{% for code, name in rows %}<li><a href="/regencies/{{ code }}">{{ name }}</a></li>{% endfor %}
</ul></body></html>"""


@app.get("/")
def hello():
    return "Hello, World!"


@app.get("/rows")
def rows():
    with sqlite3.connect(os.environ["BENCH_DB"]) as connection:
        found = connection.execute("SELECT code, name FROM regencies ORDER BY code LIMIT 20").fetchall()
    return render_template_string(ROWS, rows=found)
