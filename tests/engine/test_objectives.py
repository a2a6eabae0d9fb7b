"""Pretraining objectives as data (engine.objectives): MLM's 15% / 80-10-10 over many draws, static vs dynamic
masks, NSP and SOP negatives, CLM's shift, T5 span corruption that reassembles, GLM's positions and mask, and the
`objective` command."""
import json
from collections import Counter

import pytest

from engine.__main__ import main
from engine.api import model_tokenizer
from engine.errors import InputError
from engine.objectives import (IGNORE, Vocabulary, blank_example, build_examples, choose_and_mask, clm_example,
                               fill_spans, mlm_example, rng_for, sentence_pair_examples, span_example, split_documents,
                               split_sentences)
from engine.tokenization.corpus import corpus_text

TEXT = ("The cat sat on the mat. It was warm there, and the dog slept by the door. Then it rained all day long, "
        "so nobody went out. In the evening the rain stopped and the stars came out over the quiet town.")
DOCUMENTS = split_documents(corpus_text())


@pytest.fixture(scope="module")
def bert():
    return Vocabulary.of(model_tokenizer("bert-tiny"))


@pytest.fixture(scope="module")
def t5():
    return Vocabulary.of(model_tokenizer("t5-tiny"))


@pytest.fixture(scope="module")
def glm():
    return Vocabulary.of(model_tokenizer("glm-tiny"))


# --- MLM ------------------------------------------------------------------------------------------------------------

def test_mlm_chooses_15_percent_and_splits_them_80_10_10_over_many_draws(bert):
    ids = bert.frame(bert.content_ids(" ".join(DOCUMENTS[:3])))[:200]
    maskable = [i not in bert.special_ids for i in ids]
    chosen, actions = 0, Counter()
    draws = 400
    for draw in range(draws):
        inputs, labels, decisions = choose_and_mask(ids, maskable, bert, rng_for(7, draw))
        chosen += len(decisions)
        actions.update(d["action"] for d in decisions)
        for position, (original, new, label) in enumerate(zip(ids, inputs, labels)):
            if label == IGNORE:
                assert new == original                       # only chosen positions change or carry a label
            else:
                assert label == original and maskable[position]
        for d in decisions:
            if d["action"] == "mask":
                assert inputs[d["position"]] == bert.mask_id
            elif d["action"] == "random":
                assert inputs[d["position"]] not in bert.special_ids
    assert abs(chosen / (draws * sum(maskable)) - 0.15) < 0.005
    assert abs(actions["mask"] / chosen - 0.8) < 0.02
    assert abs(actions["random"] / chosen - 0.1) < 0.015
    assert abs(actions["keep"] / chosen - 0.1) < 0.015


def test_specials_are_never_masked_and_the_mask_token_is_the_tokenizers_own():
    for model, mask in (("bert-tiny", "[MASK]"), ("roberta-tiny", "<mask>"), ("albert-tiny", "[MASK]")):
        example = mlm_example(model_tokenizer(model), TEXT, seed=3)
        assert example.labels[0] == IGNORE and example.input_ids[0] in Vocabulary.of(model_tokenizer(model)).special_ids
        assert example.labels[-1] == IGNORE
        assert all(d["became"] == mask for d in example.decisions if d["action"] == "mask")
        assert len(example.input_ids) == len(example.labels) == len(example.tokens) == len(example.attention_mask)


def test_dynamic_masks_differ_across_epochs_and_static_ones_do_not(bert):
    dynamic = build_examples("mlm", bert, TEXT, seed=1, epochs=5, dynamic=True)
    static = build_examples("mlm", bert, TEXT, seed=1, epochs=5, dynamic=False)
    assert len({tuple(e.input_ids) for e in dynamic}) == 5
    assert len({tuple(e.input_ids) for e in static}) == 1 and len({tuple(e.labels) for e in static}) == 1
    assert static[0].input_ids == dynamic[0].input_ids            # static = epoch 0's draw, every epoch
    again = build_examples("mlm", bert, TEXT, seed=1, epochs=5, dynamic=True)
    assert [e.input_ids for e in again] == [e.input_ids for e in dynamic]   # seeded
    other = build_examples("mlm", bert, TEXT, seed=2, epochs=1)
    assert other[0].input_ids != dynamic[0].input_ids


def test_mlm_needs_a_mask_token():
    with pytest.raises(InputError, match="no mask token"):
        mlm_example(model_tokenizer("gpt2-tiny"), TEXT)


# --- NSP / SOP ------------------------------------------------------------------------------------------------------

def _segments(example, vocab):
    """The two segments' content ids, read back by segment id."""
    a = [i for i, s in zip(example.input_ids, example.token_type_ids) if s == 0 and i not in vocab.special_ids]
    b = [i for i, s in zip(example.input_ids, example.token_type_ids) if s == 1 and i not in vocab.special_ids]
    return a, b


def test_sop_negatives_are_the_positives_swapped():
    albert = Vocabulary.of(model_tokenizer("albert-tiny"))
    for seed in range(10):
        positive, negative = sentence_pair_examples("sop", albert, TEXT, seed=seed)
        assert (positive.sentence_label, negative.sentence_label) == (0, 1)
        a, b = _segments(positive, albert)
        assert _segments(negative, albert) == (b, a)
        assert positive.tokens[0] == "[CLS]" and positive.tokens.count("[SEP]") == 2
        sentences = split_sentences(TEXT)
        assert positive.summary["first"] in sentences
        assert sentences[sentences.index(positive.summary["first"]) + 1] == positive.summary["second"]


def test_nsp_positives_are_the_next_sentence_and_negatives_come_from_another_document(bert):
    sentences = split_sentences(TEXT)
    seen_documents = set()
    for seed in range(12):
        positive, negative = sentence_pair_examples("nsp", bert, TEXT, seed=seed, documents=DOCUMENTS)
        assert positive.summary["label"] == "IsNext" and negative.summary["label"] == "NotNext"
        first, second = positive.summary["first"], positive.summary["second"]
        assert sentences[sentences.index(first) + 1] == second
        assert negative.summary["first"] == first and negative.summary["second"] not in sentences
        source = negative.decisions[-1]["from"]
        index = int(source.rsplit(" ", 1)[1])
        assert negative.summary["second"] in split_sentences(DOCUMENTS[index])
        seen_documents.add(index)
        assert _segments(positive, bert)[0] == _segments(negative, bert)[0]
    assert len(seen_documents) > 5
    _, negative = sentence_pair_examples("nsp", bert, TEXT, other="A second document. It has two sentences.")
    assert negative.summary["second"] in ("A second document.", "It has two sentences.")


def test_one_sentence_is_cut_in_two_segments(bert):
    positive, negative = sentence_pair_examples("sop", bert, "the quick brown fox jumps over the lazy dog")
    assert positive.summary["first"] == "the quick brown fox" and "note" in positive.decisions[0]


# --- CLM ------------------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("model", ["gpt2-tiny", "llama-tiny", "chatglm2-tiny"])
def test_clm_shifts_inputs_and_labels_by_one_under_the_causal_mask(model):
    tokenizer = model_tokenizer(model)
    example = clm_example(tokenizer, TEXT)
    full = tokenizer.encode(TEXT).ids
    assert example.input_ids == full[:-1] and example.labels == full[1:]
    size = len(example.input_ids)
    assert example.visibility == [[int(k <= q) for k in range(size)] for q in range(size)]


# --- T5 span corruption ---------------------------------------------------------------------------------------------

def test_span_corruption_reassembles_the_text_with_15_percent_in_spans_of_mean_3(t5):
    content = t5.content_ids(" ".join(DOCUMENTS[:2]))[:100]
    text = t5.tokenizer.decode(content)
    content = t5.content_ids(text)
    noise = spans = 0
    for seed in range(60):
        example = span_example(t5, text, seed=seed)
        assert fill_spans(example, t5.sentinel_ids) == content + [t5.eos_id]
        k = example.summary["spans"]
        assert [i for i in example.input_ids if i in t5.sentinel_ids] == t5.sentinel_ids[:k]
        assert [i for i in example.labels if i in t5.sentinel_ids] == t5.sentinel_ids[:k + 1]
        assert example.labels[-2:] == [t5.sentinel_ids[k], t5.eos_id]     # final sentinel, then </s>
        assert example.decoder_input_ids == [t5.pad_id] + example.labels[:-1]
        noise += example.summary["noise"]
        spans += k
    assert noise / (60 * len(content)) == pytest.approx(0.15, abs=0.01)
    assert noise / spans == pytest.approx(3.0, abs=0.3)


def test_t5_has_20_sentinels_and_other_tokenizers_none(t5):
    assert [t5.token(i) for i in t5.sentinel_ids[:2]] == ["<extra_id_0>", "<extra_id_1>"]
    assert len(t5.sentinel_ids) == 20
    long_text = " ".join(DOCUMENTS[:12])
    example = span_example(t5, long_text, seed=0)
    assert example.summary["spans"] == 19 and "note" in example.summary    # capped: one sentinel ends the target
    assert fill_spans(example, t5.sentinel_ids)[:-1] == t5.content_ids(long_text)
    with pytest.raises(InputError, match="sentinel"):
        span_example(model_tokenizer("bert-tiny"), TEXT)


# --- GLM blank infilling --------------------------------------------------------------------------------------------

def test_blank_infilling_positions_mask_and_targets_follow_glm(glm):
    content = glm.content_ids(TEXT)
    ids = glm.frame(content)
    orders = set()
    for seed in range(40):
        example = blank_example(glm, TEXT, seed=seed)
        a = example.part_a_length
        row1, row2 = example.position_ids
        tokens = example.input_ids
        length = len(tokens)
        # Part A: positions 0.., block positions 0, nothing to predict
        assert row1[:a] == list(range(a)) and row2[:a] == [0] * a and example.labels[:a] == [IGNORE] * a
        # mask: Part A sees exactly Part A; Part B sees Part A and itself causally
        for q in range(length):
            expected = [int(k < a or (q >= a and k <= q)) for k in range(length)]
            assert example.visibility[q] == expected
        # Part B: each piece [START] x.., at its [MASK]'s position, block positions 1..n+1, targets shifted by one
        starts = [i for i in range(a, length) if tokens[i] == glm.start_id]
        assert len(starts) == len(example.decisions) and starts[0] == a
        rebuilt = list(tokens[:a])
        for start, end, decision in zip(starts, starts[1:] + [length], example.decisions):
            piece = tokens[start + 1:end]
            assert tokens[row1[start]] == glm.mask_id and decision["mask_position"] == row1[start]
            assert row1[start:end] == [row1[start]] * (end - start)
            assert row2[start:end] == list(range(1, end - start + 1))
            assert example.labels[start:end] == piece + [glm.end_id]
            assert piece == ids[decision["start"]:decision["end"]]
            rebuilt[row1[start]] = piece
        flat = [i for part in rebuilt for i in (part if isinstance(part, list) else [part])]
        assert flat == ids                                          # the [MASK]s filled give the text back
        spans = sorted((d["start"], d["end"]) for d in example.decisions)
        assert all(e1 <= s2 for (_, e1), (s2, _) in zip(spans, spans[1:]))     # never overlapping
        assert example.summary["blanked"] >= 0.15 * len(content)
        orders.add(tuple(example.summary["part_b_order"]))
    assert any(list(order) != sorted(order) for order in orders)   # Part B is shuffled


def test_blank_spans_cover_about_15_percent_with_poisson_lengths(glm):
    text = " ".join(DOCUMENTS[:3])
    n = len(glm.content_ids(text))
    lengths, blanked = [], 0
    for seed in range(40):
        example = blank_example(glm, text, seed=seed)
        lengths += [d["length"] for d in example.decisions]
        blanked += example.summary["blanked"]
    assert 0.15 <= blanked / (40 * n) < 0.2
    assert 2.5 < sum(lengths) / len(lengths) < 4.0   # Poisson(3) without zeros: mean ~3.16


def test_blank_needs_glms_start_token():
    with pytest.raises(InputError, match=r"\[START\]"):
        blank_example(model_tokenizer("bert-tiny"), TEXT)


# --- the command ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("kind,model", [("mlm", "bert-tiny"), ("nsp", "bert-tiny"), ("sop", "albert-tiny"),
                                        ("clm", "gpt2-tiny"), ("span", "t5-tiny"), ("blank", "glm-tiny")])
def test_objective_command_prints_columns_and_json(kind, model, capsys):
    assert main(["objective", kind, "--model", model, "--text", TEXT, "--epochs", "2", "--seed", "4"]) == 0
    out = capsys.readouterr().out
    assert "epoch 1" in out and "epoch 2" in out
    assert main(["objective", kind, "--model", model, "--text", TEXT, "--epochs", "2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["kind"] == kind and len(data["examples"]) == (4 if kind in ("nsp", "sop") else 2)
    example = data["examples"][0]
    assert len(example["tokens"]) == len(example["input_ids"])


def test_objective_command_static_masking_repeats_the_mask(capsys):
    assert main(["objective", "mlm", "--model", "bert-tiny", "--text", TEXT, "--epochs", "3", "--static",
                 "--json"]) == 0
    examples = json.loads(capsys.readouterr().out)["examples"]
    assert len({tuple(e["input_ids"]) for e in examples}) == 1


@pytest.mark.parametrize("argv,message", [
    (["mlm", "--model", "gpt2-tiny", "--text", TEXT], "no mask token"),
    (["span", "--model", "no-such-model", "--text", TEXT], "unknown model"),
    (["blank", "--model", "glm-tiny", "--text", "   "], "empty"),
    (["mlm", "--model", "bert-tiny", "--text", TEXT, "--epochs", "0"], "epochs"),
    (["masking", "--model", "bert-tiny", "--text", TEXT], "invalid choice"),
])
def test_objective_command_errors_are_one_line_and_exit_2(argv, message, capsys):
    try:
        status = main(["objective", *argv])
    except SystemExit as usage_error:    # argparse's mistakes exit from inside the parser
        status = usage_error.code
    assert status == 2
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err
