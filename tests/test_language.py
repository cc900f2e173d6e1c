"""Language detection (py3langid, with the stop-word guess for short texts) and the offline engine's
refusal of languages it has no rules for (issue 18)."""

from __future__ import annotations

import pytest

from tests.helpers.cli import run_cli, without_configuration
from verifier.analysis.pipeline import AnalyzeOptions, Pipeline
from verifier.engines.base import Capabilities
from verifier.errors import InputError
from verifier.ingest.article import article_from_text
from verifier.text.language import identify_language

GERMAN = ("Die Bundesregierung will die Mehrwertsteuer im kommenden Jahr nicht erhöhen. Das sagte der "
          "Finanzminister am Montag in Berlin vor Journalisten. Die Opposition warf ihm vor, die Haushaltslage "
          "zu beschönigen, und forderte einen Nachtragshaushalt noch vor der Sommerpause.")
SPANISH = ("El Gobierno no subirá el IVA el año que viene, según declaró el lunes el ministro de Hacienda ante "
           "los periodistas en Madrid. La oposición le acusó de maquillar las cuentas públicas y exigió un "
           "presupuesto rectificativo antes del verano.")
CHINESE = ("财政部长周一在北京对记者表示，政府明年不会提高增值税。反对党指责他粉饰财政状况，"
           "并要求在夏季休会前提交补充预算。经济学家认为，今年的财政赤字可能超过预期。")


@pytest.mark.parametrize("text, code", [(GERMAN, "de"), (SPANISH, "es"), (CHINESE, "zh")])
def test_other_languages_are_detected(text, code):
    assert identify_language(text)[0] == code
    assert article_from_text(text).language == code


@pytest.mark.parametrize("text, code", [
    ("Le ministre a dit que tout allait bien.", "fr"),
    ("The minister said all was well.", "en"),
    ('Macron a dit : « Non. »', "fr"),        # py3langid alone: Galician
    ("Hello.", "en"),                           # py3langid alone: Breton
    ("Some text here.", "en"),
])
def test_short_french_and_english_snippets_keep_the_stop_word_guess(text, code):
    assert identify_language(text)[0] == code


class _FrEnEngine:
    name, model, prompt_id = "fake", "m", "p"
    capabilities = Capabilities(cacheable=False, languages=("fr", "en"))

    def analyze(self, article, output_language):  # pragma: no cover - never reached when refused
        raise AssertionError("the engine should not be asked")


def test_naming_the_language_with_lang_skips_the_check():
    # --lang keeps its meaning: the offline engine's pipeline, chosen by the caller
    article = article_from_text(GERMAN, source="artikel.txt")

    class Answered(Exception):
        pass

    class Engine(_FrEnEngine):
        def analyze(self, article, output_language):
            raise Answered(output_language)

    with pytest.raises(Answered, match="fr"):
        Pipeline(Engine(), AnalyzeOptions(output_language="fr", use_cache=False)).analyze(article)


def test_the_pipeline_refuses_a_language_the_engine_does_not_read():
    article = article_from_text(GERMAN, source="artikel.txt")
    with pytest.raises(InputError) as caught:
        Pipeline(_FrEnEngine(), AnalyzeOptions(use_cache=False)).analyze(article)
    message = str(caught.value)
    assert message == ("artikel.txt: the fake engine reads French and English; this article is German (de). "
                       "Use --engine llm for other languages")
    assert caught.value.exit_code == 3


@pytest.mark.parametrize("text, name", [(GERMAN, "German (de)"), (SPANISH, "Spanish (es)"), (CHINESE, "Chinese (zh)")])
def test_offline_cli_refuses_in_one_line(tmp_path, text, name):
    path = tmp_path / "article.txt"
    path.write_text(text, encoding="utf-8")
    result = run_cli("claims", str(path), "--engine", "offline")
    assert result.returncode == 3
    err = without_configuration(result.stderr.decode())
    lines = err.strip().splitlines()
    assert len(lines) == 1 and name in lines[0] and "--engine llm" in lines[0], err
    assert result.stdout == b""
