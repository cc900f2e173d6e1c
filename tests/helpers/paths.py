"""Where things are in the checkout."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "fixtures"
SEED_000 = FIXTURES / "articles" / "000_7a43b438991ae711.txt"
SEED_001 = FIXTURES / "articles" / "001_0ae1607b2b57d138.txt"
