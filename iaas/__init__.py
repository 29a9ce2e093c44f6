"""Infrastructure adapters. Each port has an embedded default that needs nothing installed
and a cloud implementation chosen by configuration in ``portal``. Nothing connects at import."""
