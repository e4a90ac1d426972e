"""Life experiences: the question bank, the rule language, the adaptive flow and deadline maths.

Plain Python with no web framework, so every decision can be tested without a request.
"""
