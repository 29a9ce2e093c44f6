"""Products (险种). The full catalogue as data, with its pricing bases, comes with the
actuarial engine; this holds what a policy needs to name its product."""
