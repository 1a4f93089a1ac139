"""Model backends. Each module here imports heavy libraries at the top: import them lazily."""
