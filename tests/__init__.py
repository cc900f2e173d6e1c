"""The test suite; ``tests.helpers`` holds what the tests (and ``bench/``) share."""
