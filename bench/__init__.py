"""Benchmarks and evaluations, run from the project root as modules: ``python -m bench.<name> --help``."""
