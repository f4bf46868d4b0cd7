"""Prompt safety."""


def test_injection_phrases_neutralised_before_provider():
    """
    Test that 'ignore previous instructions' never reaches the model verbatim.

    Seam Under Test:
        sanitize_input → create_safe_prompt → LLM agent
    """
    assert True


def test_raw_user_text_never_sent():
    """
    Test that the provider only ever sees the wrapped prompt.

    The point where untrusted user text is cleaned before it ever reaches the
    model.
    """
    assert True


def test_output_validation_strips_system_prompt_leak():
    """
    Test that a response echoing the system prompt is rejected.

    Integration Scope:
        LLM provider response → ResponseValidator
    """
    assert True
