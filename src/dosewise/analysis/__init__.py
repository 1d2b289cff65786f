"""Personal analysis: is it helping me? (pure core: numpy/scipy)."""
