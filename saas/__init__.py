"""Front ends: the policyholder web, the back-office console and the JSON API (SMS later).
Thin: parse input, call one ``paas`` service, render. The app itself is assembled in ``portal``."""
