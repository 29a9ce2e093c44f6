"""Customers (投保人, 被保险人): identity, contact details and bank accounts."""
