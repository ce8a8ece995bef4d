"""For the tests of pages kept for visitors (portal.fragments)."""

import re


def without_token(response) -> str:
    """The page but for its security token, masked anew on each response."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.text)
