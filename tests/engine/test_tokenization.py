"""Tokenizers as the seed teaches them: each family's real algorithm, special tokens and framing."""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st
from tokenizers import pre_tokenizers

from engine.tokenization import (
    KINDS,
    RECIPES,
    Encoding,
    bpe_merge_trace,
    build_tokenizer,
    compare,
    load_tokenizer,
    minilm_folder,
    tokenizer_for,
)
from engine.tokenization import build as build_module
from engine.tokenization.corpus import corpus_text

REPO = Path(__file__).resolve().parents[2]

# The special tokens each released tokenizer wraps around one text (None = the text itself).
FRAMING = {
    "bert": ["[CLS]", None, "[SEP]"],
    "bert-chinese": ["[CLS]", None, "[SEP]"],
    "albert": ["[CLS]", None, "[SEP]"],
    "roberta": ["<s>", None, "</s>"],
    "t5": [None, "</s>"],
    "gpt1": [None],
    "gpt2": [None],
    "llama": ["<s>", None],
    "glm": ["[CLS]", None, "<|endoftext|>"],
    "chatglm": ["[gMASK]", "sop", None],
}


@pytest.fixture(scope="module", autouse=True)
def private_cache(tmp_path_factory):
    """Keep the disk cache of this test run out of the user's home."""
    previous = os.environ.get("PLM_EXPLORER_CACHE")
    os.environ["PLM_EXPLORER_CACHE"] = str(tmp_path_factory.mktemp("plm-cache"))
    yield
    if previous is None:
        os.environ.pop("PLM_EXPLORER_CACHE", None)
    else:
        os.environ["PLM_EXPLORER_CACHE"] = previous


def framing_of(encoding: Encoding) -> list[str | None]:
    """The encoding's tokens with each run of ordinary tokens collapsed to None."""
    out: list[str | None] = []
    for token, special in zip(encoding.tokens, encoding.special):
        if special:
            out.append(token)
        elif not out or out[-1] is not None:
            out.append(None)
    return out


# --- every family has a tokenizer of its real kind ----------------------------------------------

@pytest.mark.parametrize("recipe", list(RECIPES))
def test_each_recipe_builds_a_small_tokenizer_of_its_kind(recipe):
    tokenizer = build_tokenizer(recipe)
    assert tokenizer.kind in KINDS
    assert tokenizer.recipe == recipe
    assert 1000 < tokenizer.vocab_size <= RECIPES[recipe].vocab_size
    for role, token in RECIPES[recipe].roles.items():
        assert tokenizer.role_id(role) == tokenizer.token_to_id(token) is not None, (role, token)


def test_kinds_match_the_seed():
    kinds = {name: build_tokenizer(name).kind for name in RECIPES}
    assert kinds["bert"] == kinds["bert-chinese"] == "wordpiece"
    assert kinds["gpt1"] == "char-bpe"
    assert kinds["gpt2"] == kinds["roberta"] == "byte-bpe"
    assert kinds["t5"] == kinds["albert"] == kinds["glm"] == "unigram"
    # LLaMA and ChatGLM2: SentencePiece BPE over characters, rescued by byte fallback.
    assert build_tokenizer("llama").byte_fallback and build_tokenizer("chatglm").byte_fallback


@pytest.mark.parametrize("recipe", list(RECIPES))
def test_specials_are_flagged_where_the_model_puts_them(recipe):
    encoding = build_tokenizer(recipe).encode("Hello world")
    assert framing_of(encoding) == FRAMING[recipe]
    assert not any(encoding.unknown)
    bare = build_tokenizer(recipe).encode("Hello world", add_special_tokens=False)
    assert not any(bare.special)


@pytest.mark.parametrize("recipe", list(RECIPES))
def test_empty_text_gives_only_the_special_tokens(recipe):
    encoding = build_tokenizer(recipe).encode("")
    assert all(encoding.special)
    assert encoding.tokens == [t for t in FRAMING[recipe] if t is not None]


def test_role_ids():
    bert, llama, t5 = build_tokenizer("bert"), build_tokenizer("llama"), build_tokenizer("t5")
    assert bert.role_id("mask") == bert.token_to_id("[MASK]")
    assert bert.role_id("pad") == bert.token_to_id("[PAD]")
    assert llama.role_id("pad") is None  # LLaMA ships no pad token
    assert t5.role_id("eos") == t5.token_to_id("</s>")
    glm = build_tokenizer("glm")
    assert glm.role_id("start") == glm.role_id("sop") == glm.token_to_id("<|startofpiece|>")


# --- byte-level BPE: any text, never unknown ----------------------------------------------------

ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)


@settings(max_examples=150, deadline=None)
@given(text=ANY_TEXT)
@example(text="你好，世界 😂")
@example(text="Tokenizers 🤖 ∑ ñ ﷽ 𝔘𝔫𝔦𝔠𝔬𝔡𝔢\n\t  ")
def test_byte_level_bpe_round_trips_any_unicode_with_no_unknown(text):
    for recipe in ("gpt2", "roberta"):
        tokenizer = build_tokenizer(recipe)
        encoding = tokenizer.encode(text, add_special_tokens=False)
        assert not any(encoding.unknown)
        assert tokenizer.decode(encoding.ids) == text


@settings(max_examples=60, deadline=None)
@given(text=ANY_TEXT)
def test_byte_fallback_never_needs_unknown(text):
    for recipe in ("llama", "chatglm"):
        tokenizer = build_tokenizer(recipe)
        # typing a special token's own spelling ("<unk>") gives that token, as the released tokenizers do
        assume(not any(special in text for special in tokenizer.special_tokens.values()))
        assert not any(tokenizer.encode(text).unknown)


def test_byte_level_alphabet_is_the_256_bytes():
    vocab = build_tokenizer("gpt2").backend.get_vocab()
    assert set(pre_tokenizers.ByteLevel.alphabet()) <= set(vocab)


# --- character-level BPE: unseen characters become the unk token --------------------------------

def test_char_bpe_gives_unk_for_characters_absent_from_its_training_text():
    assert "😂" not in corpus_text()
    gpt1 = build_tokenizer("gpt1")
    encoding = gpt1.encode("the cat 😂")
    assert encoding.tokens == ["the</w>", "cat</w>", "<unk>"]
    assert encoding.unknown == [False, False, True]


def test_char_bpe_alphabet_comes_only_from_the_corpus():
    gpt1 = build_tokenizer("gpt1")
    corpus_chars = set(gpt1.backend.normalizer.normalize_str(corpus_text()))
    for token in gpt1.backend.get_vocab():
        if token != "<unk>":
            assert set(token.replace("</w>", "")) <= corpus_chars, token


def test_char_bpe_marks_word_ends():
    tokens = build_tokenizer("gpt1").encode("unbelievable tokenizers").tokens
    assert len(tokens) > 2  # at least one word is cut into pieces
    assert [i for i, t in enumerate(tokens) if t.endswith("</w>")][-1] == len(tokens) - 1
    assert sum(t.endswith("</w>") for t in tokens) == 2  # one end marker per word


# --- WordPiece ------------------------------------------------------------------------------------

def test_wordpiece_marks_continuation_pieces_with_hashes():
    bert = build_tokenizer("bert")
    encoding = bert.encode("bioluminescence", add_special_tokens=False)
    assert len(encoding) > 1
    assert not encoding.tokens[0].startswith("##")
    assert all(token.startswith("##") for token in encoding.tokens[1:])
    assert bert.decode(encoding.ids) == "bioluminescence"


def test_wordpiece_splits_each_chinese_character():
    encoding = build_tokenizer("bert-chinese").encode("我喜欢自然语言处理", add_special_tokens=False)
    assert encoding.tokens == list("我喜欢自然语言处理")


# --- offsets --------------------------------------------------------------------------------------

@pytest.mark.parametrize("recipe", ["bert", "bert-chinese", "gpt1", "t5", "albert", "llama", "gpt2", "roberta"])
def test_offsets_point_at_the_right_characters(recipe):
    text = "The cat sat on the mat. 猫坐在垫子上。"
    tokenizer = build_tokenizer(recipe)
    encoding = tokenizer.encode(text)
    for token_id, (start, end), special, unknown in zip(encoding.ids, encoding.offsets, encoding.special,
                                                        encoding.unknown):
        if special:
            assert (start, end) == (0, 0)
            continue
        if unknown:  # an unknown character still points at itself
            assert end - start == 1 and ord(text[start]) > 127
            continue
        piece = tokenizer.decode([token_id]).replace("</w>", "").strip().removeprefix("##")
        if "\ufffd" in piece:  # one byte of a multi-byte character: it maps to that whole character
            assert end - start == 1 and ord(text[start]) > 127
            continue
        # Uncased tokenizers lower-case; NFKC (T5, ALBERT) turns "。" into "."
        original = text[start:end].strip().lower()
        assert piece.lower() in (original, original.replace("。", ".")), (piece, original)


def test_pair_offsets_point_into_their_own_segment():
    bert = build_tokenizer("bert")
    first, second = "Hello world", "The cat sat"
    encoding = bert.encode(first, second)
    texts = {0: first, 1: second}
    for token, (start, end), special, segment in zip(encoding.tokens, encoding.offsets, encoding.special,
                                                     encoding.segments):
        if not special:
            assert texts[segment][start:end].lower() == token.removeprefix("##")


# --- pairs ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("recipe", ["bert", "albert"])
def test_bert_style_pairs_carry_segment_ids(recipe):
    encoding = build_tokenizer(recipe).encode("Hello world", "The cat sat")
    assert framing_of(encoding) == ["[CLS]", None, "[SEP]", None, "[SEP]"]
    first_sep = encoding.tokens.index("[SEP]")
    assert encoding.segments == [0] * (first_sep + 1) + [1] * (len(encoding) - first_sep - 1)


def test_roberta_pairs_use_double_separator_and_no_segments():
    encoding = build_tokenizer("roberta").encode("Hello world", "The cat sat")
    assert framing_of(encoding) == ["<s>", None, "</s>", "</s>", None, "</s>"]
    assert set(encoding.segments) == {0}  # RoBERTa dropped segment embeddings with NSP


def test_other_pair_framings():
    assert framing_of(build_tokenizer("t5").encode("a b", "c d")) == [None, "</s>", None, "</s>"]
    assert framing_of(build_tokenizer("llama").encode("a b", "c d")) == ["<s>", None, "<s>", None]
    assert framing_of(build_tokenizer("chatglm").encode("a b", "c d")) == ["[gMASK]", "sop", None, "</s>"]


def test_t5_sentinels_close_the_vocabulary():
    t5 = build_tokenizer("t5")
    assert t5.token_to_id("<extra_id_0>") == t5.vocab_size - 1
    assert t5.token_to_id("<extra_id_19>") < t5.token_to_id("<extra_id_0>")
    assert t5.encode("fill <extra_id_0> here").special.count(True) == 2  # the sentinel and </s>


def test_typed_markup_specials_are_read_but_plain_word_specials_are_not():
    assert "[MASK]" in build_tokenizer("bert").encode("the [MASK] sat").tokens
    chatglm = build_tokenizer("chatglm")
    assert chatglm.role_id("sop") not in chatglm.encode("sop eop", add_special_tokens=False).ids


# --- determinism and caching ---------------------------------------------------------------------

DETERMINISM_RECIPES = ["bert", "gpt1", "t5", "llama", "roberta"]
FINGERPRINTS = """
import hashlib, json
from engine.tokenization import build_tokenizer
names = {names!r}
print(json.dumps({{n: hashlib.sha256(build_tokenizer(n, use_cache=False).backend.to_str().encode()).hexdigest()
                  for n in names}}))
"""


def test_same_corpus_and_settings_give_the_same_vocabulary_twice():
    first = {name: build_tokenizer(name, use_cache=False) for name in DETERMINISM_RECIPES}
    second = {name: build_tokenizer(name, use_cache=False) for name in DETERMINISM_RECIPES}
    for name in DETERMINISM_RECIPES:
        assert first[name].backend.get_vocab() == second[name].backend.get_vocab(), name
        assert first[name].backend.to_str() == second[name].backend.to_str(), name


def test_vocabulary_is_the_same_in_another_process():
    # The disk cache and saved tiny models rely on ids being stable across runs, not just within one.
    script = FINGERPRINTS.format(names=DETERMINISM_RECIPES)
    output = subprocess.run([sys.executable, "-c", script], cwd=REPO, capture_output=True, text=True, check=True,
                            env={**os.environ, "PYTHONPATH": str(REPO)}).stdout
    expected = {name: hashlib.sha256(build_tokenizer(name, use_cache=False).backend.to_str().encode()).hexdigest()
                for name in DETERMINISM_RECIPES}
    assert json.loads(output.strip().splitlines()[-1]) == expected


def test_cache_file_is_written_and_a_corrupt_one_is_rebuilt():
    build_module.clear_memory_cache()
    tokenizer = build_tokenizer("gpt1")
    path = build_module.cache_path("gpt1")
    assert path.is_file() and path.parent == build_module.cache_dir()
    path.write_text("{ this is not a tokenizer")
    build_module.clear_memory_cache()
    rebuilt = build_tokenizer("gpt1")
    assert rebuilt.backend.to_str() == tokenizer.backend.to_str()
    json.loads(path.read_text())  # rewritten as valid JSON
    assert build_tokenizer("gpt1") is rebuilt  # then served from memory


# --- checkpoint tokenizers -----------------------------------------------------------------------

def test_minilm_tokenizer_json_gives_bert_ids_without_padding():
    minilm = load_tokenizer(minilm_folder())
    assert minilm.recipe == "checkpoint" and minilm.kind == "wordpiece"
    encoding = minilm.encode("Hello world")
    assert encoding.ids == [101, 7592, 2088, 102]
    assert encoding.special == [True, False, False, True]
    assert len(minilm.encode(" ".join(["word"] * 300))) > 128  # no truncation unless asked


def test_minilm_reads_chinese_and_emoji_mostly_as_unknown():
    encoding = load_tokenizer(minilm_folder()).encode("你好，世界 😂", add_special_tokens=False)
    assert sum(encoding.unknown) > len(encoding) / 2


def test_vocab_txt_folder_is_read_as_bert_wordpiece(tmp_path):
    (tmp_path / "vocab.txt").write_bytes((minilm_folder() / "vocab.txt").read_bytes())
    tokenizer = load_tokenizer(tmp_path)
    assert tokenizer.encode("Hello world").ids == [101, 7592, 2088, 102]
    assert tokenizer.encode("a", "b").segments == [0, 0, 0, 1, 1]


def test_bad_folders_give_clear_errors(tmp_path):
    with pytest.raises(ValueError, match="not found"):
        load_tokenizer(tmp_path / "missing")
    with pytest.raises(ValueError, match="neither tokenizer.json nor vocab.txt"):
        load_tokenizer(tmp_path)
    (tmp_path / "tokenizer.json").write_text("{}")
    with pytest.raises(ValueError, match="not a readable tokenizer.json"):
        load_tokenizer(tmp_path)


def test_model_names_resolve():
    assert tokenizer_for("bert-tiny").recipe == "bert"
    assert tokenizer_for("gpt3-tiny").recipe == "gpt2"
    assert tokenizer_for("chatglm2-tiny").recipe == "chatglm"
    assert tokenizer_for("minilm").recipe == "checkpoint"
    with pytest.raises(ValueError, match="unknown model"):
        tokenizer_for("no-such-model")


# --- teaching helpers ----------------------------------------------------------------------------

def test_compare_counts_tokens_and_unknowns_per_kind():
    rows = {row["name"]: row for row in compare("the cat sat on the mat 😂")}
    assert set(rows) == {"gpt1", "gpt2", "bert", "t5"}
    for row in rows.values():
        assert {"name", "kind", "tokens", "n_tokens", "n_unknown", "chars_per_token"} <= set(row)
        assert row["n_tokens"] == len(row["tokens"])
    assert rows["gpt1"]["n_unknown"] == 1 and rows["gpt2"]["n_unknown"] == 0


def test_bpe_merge_trace_learns_merges_in_order():
    # "e</w>" (a word-final e, three times in "the") and "e" (inside "then", "they") are different symbols.
    trace = bpe_merge_trace("the the the then they", 3)
    assert trace[:2] == [("t", "h", "th"), ("th", "e</w>", "the</w>")]
    assert all(left + right == merged for left, right, merged in trace)
    assert bpe_merge_trace(["low", "low", "lowest"], 2) == [("l", "o", "lo"), ("lo", "w</w>", "low</w>")]


def test_bpe_merge_trace_of_the_corpus_is_the_gpt1_tokenizers_own_merges():
    trace = bpe_merge_trace(None, 20)
    assert [(left, right) for left, right, _ in trace] == build_tokenizer("gpt1").merges()[:20]
    assert trace[0] == ("t", "h", "th")


# --- command line --------------------------------------------------------------------------------

def _run_cli(argv: list[str]) -> int:
    from engine.commands import tokenize as command

    parser = argparse.ArgumentParser()
    command.add_arguments(parser)
    return command.run(parser.parse_args(argv))


def test_cli_json_has_the_documented_keys(capsys):
    assert _run_cli(["--model", "roberta-tiny", "--text", "Hello world", "--pair", "again", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert {"tokens", "ids", "offsets", "special", "unknown", "segments"} <= set(data)
    assert data["tokens"][0] == "<s>" and all(len(span) == 2 for span in data["offsets"])


def test_cli_compare_prints_a_table(capsys):
    assert _run_cli(["--compare", "--text", "The cat sat on the mat 😂"]) == 0
    out = capsys.readouterr().out
    for name in ("gpt1", "gpt2", "bert", "t5"):
        assert name in out
    assert "chars/token" in out


def test_cli_reports_unknown_models(capsys):
    assert _run_cli(["--model", "nope", "--text", "x"]) == 2
    assert "unknown model" in capsys.readouterr().err


def test_python_dash_m_engine_tokenize():
    result = subprocess.run([sys.executable, "-m", "engine", "tokenize", "--model", "bert-tiny", "--text",
                             "Hello world", "--json"], cwd=REPO, capture_output=True, text=True, check=True)
    assert json.loads(result.stdout)["tokens"][0] == "[CLS]"
