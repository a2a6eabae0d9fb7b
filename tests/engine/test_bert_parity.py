"""BERT matches transformers' BertForPreTraining: every layer, every attention map, both heads."""
import pytest
import torch
import transformers

from engine.models import bert
from parity import assert_close, padded_batch, port, run_recorded

SIZES = [  # (hidden, layers, heads, intermediate): include head counts that are not powers of two
    (32, 2, 4, 37),
    (30, 3, 5, 64),
    (48, 1, 3, 20),
]


@pytest.mark.parametrize("hidden,layers,heads,intermediate", SIZES)
def test_bert_for_pretraining_matches_reference(hidden, layers, heads, intermediate):
    torch.manual_seed(hidden)
    hf_config = transformers.BertConfig(vocab_size=97, hidden_size=hidden, num_hidden_layers=layers,
                                        num_attention_heads=heads, intermediate_size=intermediate,
                                        max_position_embeddings=40, attn_implementation="eager")
    reference = transformers.BertForPreTraining(hf_config).eval()
    ours = port(reference, bert, bert.Bert(bert.BertConfig.from_dict(hf_config.to_dict()).replace(heads=("mlm", "nsp"))))

    input_ids, attention_mask = padded_batch(97)
    token_type_ids = torch.zeros_like(input_ids)
    token_type_ids[:, 4:] = 1
    with torch.no_grad():
        expected = reference(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids,
                             output_hidden_states=True, output_attentions=True)
    outputs, cache = run_recorded(ours, input_ids=input_ids, attention_mask=attention_mask,
                                  token_type_ids=token_type_ids)

    assert_close(cache["embeddings.hook_norm"], expected.hidden_states[0], "embeddings")
    for i in range(layers):
        assert_close(cache[f"blocks.{i}.hook_normalized_resid_post"], expected.hidden_states[i + 1],
                     f"layer {i} hidden states")
        assert_close(cache[f"blocks.{i}.attn.hook_pattern"], expected.attentions[i], f"layer {i} attention")
    assert_close(outputs["mlm"], expected.prediction_logits, "MLM logits")
    assert_close(outputs["nsp"], expected.seq_relationship_logits, "NSP logits")


def test_sequence_classifier_head_matches_reference():
    torch.manual_seed(1)
    hf_config = transformers.BertConfig(vocab_size=50, hidden_size=24, num_hidden_layers=2, num_attention_heads=2,
                                        intermediate_size=30, num_labels=3, attn_implementation="eager")
    reference = transformers.BertForSequenceClassification(hf_config).eval()
    config = bert.BertConfig.from_dict(hf_config.to_dict()).replace(heads=("classifier",), num_labels=3)
    ours = port(reference, bert, bert.Bert(config))
    input_ids, attention_mask = padded_batch(50)
    with torch.no_grad():
        expected = reference(input_ids=input_ids, attention_mask=attention_mask).logits
    outputs, _ = run_recorded(ours, input_ids=input_ids, attention_mask=attention_mask)
    assert_close(outputs["classifier"], expected, "classifier logits")
