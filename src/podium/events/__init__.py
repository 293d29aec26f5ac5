"""The outbox: domain events written in the business transaction, delivered after commit."""
