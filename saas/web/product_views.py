"""The products on sale, described for someone who has not bought yet (no login)."""
from __future__ import annotations

from flask import render_template

from paas.presale.choices import product_on_sale
from paas.products import catalogue
from saas.transaction import read_only
from saas.web import blueprint


@blueprint.get("/products")
@read_only
def products():
    return render_template("web/products.html", products=catalogue.on_sale())


@blueprint.get("/products/<string(maxlength=32):code>")
@read_only
def product(code: str):
    return render_template("web/product.html", spec=product_on_sale(code))
