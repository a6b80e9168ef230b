"""Console users: passwords, lockout, sessions that can be ended, the admin CLI."""
