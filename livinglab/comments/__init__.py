"""Threaded discussion on pieces: comments, mentions, flags and moderation."""
