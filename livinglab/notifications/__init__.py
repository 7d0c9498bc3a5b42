"""Follows and notifications: who hears about what, in the app and by e-mail."""
