"""Safety engine: interactions, titration plans, red flags (pure core)."""
