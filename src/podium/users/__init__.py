"""Dashboard users: people who sign in with an e-mail and a password."""
