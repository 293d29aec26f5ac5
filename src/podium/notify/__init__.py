"""Telling people and systems what happened: customer e-mails from templates over SMTP, and
signed outgoing webhooks with retries, pausing and replay. Both hear about events from the
outbox relay."""
