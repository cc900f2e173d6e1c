"""The sentinel API key: the tests search every output for it."""

SENTINEL_KEY = "sk-test-SENTINEL-5f3c9a1e7b"
