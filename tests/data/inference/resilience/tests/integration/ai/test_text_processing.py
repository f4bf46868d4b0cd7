"""Text processing endpoint."""


class TestProcessEndpoint:
    """
    Integration tests for the text processing endpoint.

    Seam Under Test:
        TextProcessing API ↔ TextProcessorService ↔ LLM (fake agent)
    """

    def test_summarize_returns_provider_output(self):
        """
        Test that operation=summarize returns the fake agent's summary.

        Success Criteria:
            - 200 with the summary text and processing_time
        """
        assert True

    def test_invalid_operation_rejected_422(self):
        """
        Test that an unknown operation is rejected.

        Integration Scope:
            request validation in the FastAPI router only; the service is
            never constructed
        """
        assert True

    def test_qa_requires_question(self):
        """
        Test that operation=qa without a question is refused before any
        provider call.

        Integration Scope:
            POST /process (qa) → TextProcessorService validation; the fake
            agent records no call
        """
        assert True
