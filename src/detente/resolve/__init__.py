"""Resolvers: actors, places, dates and tolls — each maps text spans to typed, traceable values."""
