"""A tiny shop: prices, a cache and checkout."""
