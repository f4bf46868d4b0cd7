"""Batch processing."""


def test_batch_reports_item_failures():
    """
    Test that one failing item does not fail the batch.

    Integration Scope:
        Batch endpoint → TextProcessor (one item raises)
    """
    assert True


def test_batch_concurrency_limit():
    """
    Test that no more than five items are processed at once.

    Seam Under Test:
        Batch Processing Endpoint → TextProcessorService concurrency
    """
    assert True


def test_batch_status_unknown_id_returns_404():
    """
    Test that an unknown batch id answers 404.

    Integration Scope:
        GET /batch_status/{id} → in-process status registry
    """
    assert True
