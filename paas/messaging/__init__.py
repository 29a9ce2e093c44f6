"""The outbox: mail and SMS recorded in the same transaction as the change that causes them,
delivered through a gateway only after that transaction commits."""
