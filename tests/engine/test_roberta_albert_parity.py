"""RoBERTa and ALBERT match transformers' RobertaForMaskedLM and AlbertForPreTraining."""
import pytest
import torch
import transformers

from engine.models import albert, roberta
from parity import assert_close, padded_batch, port, run_recorded


@pytest.mark.parametrize("hidden,layers,heads", [(32, 2, 4), (30, 3, 5)])
def test_roberta_for_masked_lm_matches_reference(hidden, layers, heads):
    torch.manual_seed(hidden)
    hf_config = transformers.RobertaConfig(vocab_size=90, hidden_size=hidden, num_hidden_layers=layers,
                                           num_attention_heads=heads, intermediate_size=41,
                                           max_position_embeddings=40, attn_implementation="eager")
    reference = transformers.RobertaForMaskedLM(hf_config).eval()
    ours = port(reference, roberta, roberta.Roberta(roberta.RobertaConfig.from_dict(hf_config.to_dict())))
    input_ids, attention_mask = padded_batch(90)
    input_ids[attention_mask == 0] = hf_config.pad_token_id   # RoBERTa derives positions from the padding id
    with torch.no_grad():
        expected = reference(input_ids=input_ids, attention_mask=attention_mask,
                             output_hidden_states=True, output_attentions=True)
    outputs, cache = run_recorded(ours, input_ids=input_ids, attention_mask=attention_mask)

    assert_close(cache["embeddings.hook_norm"], expected.hidden_states[0], "embeddings")
    for i in range(layers):
        assert_close(cache[f"blocks.{i}.hook_normalized_resid_post"], expected.hidden_states[i + 1],
                     f"layer {i} hidden states")
        assert_close(cache[f"blocks.{i}.attn.hook_pattern"], expected.attentions[i], f"layer {i} attention")
    assert_close(outputs["mlm"], expected.logits, "MLM logits")


def test_roberta_positions_start_past_the_padding_index():
    ids = torch.tensor([[0, 7, 8, 2, 1, 1]])   # <s> a b </s> <pad> <pad>, pad id 1
    assert roberta.position_ids_past_padding(ids, 1).tolist() == [[2, 3, 4, 5, 1, 1]]


@pytest.mark.parametrize("groups,inner", [(1, 1), (2, 1), (1, 2)])
def test_albert_for_pretraining_matches_reference(groups, inner):
    torch.manual_seed(groups * 10 + inner)
    hf_config = transformers.AlbertConfig(vocab_size=80, embedding_size=12, hidden_size=30, num_hidden_layers=4,
                                          num_hidden_groups=groups, inner_group_num=inner, num_attention_heads=5,
                                          intermediate_size=37, max_position_embeddings=40,
                                          attn_implementation="eager")
    reference = transformers.AlbertForPreTraining(hf_config).eval()
    ours = port(reference, albert, albert.Albert(albert.AlbertConfig.from_dict(hf_config.to_dict())))
    input_ids, attention_mask = padded_batch(80)
    with torch.no_grad():
        expected = reference(input_ids=input_ids, attention_mask=attention_mask,
                             output_hidden_states=True, output_attentions=True)
    outputs, cache = run_recorded(ours, input_ids=input_ids, attention_mask=attention_mask)

    for i in range(4 * inner):   # one recorded step per application of a (shared) layer
        assert_close(cache[f"blocks.{i}.attn.hook_pattern"], expected.attentions[i], f"application {i} attention")
        assert_close(cache[f"blocks.{i}.hook_normalized_resid_post"], expected.hidden_states[i + 1],
                     f"application {i} output")
    assert_close(outputs["mlm"], expected.prediction_logits, "MLM logits")
    assert_close(outputs["sop"], expected.sop_logits, "SOP logits")


def test_albert_shares_one_layer_across_all_applications():
    model = albert.Albert(albert.AlbertConfig(vocab_size=50, embedding_size=8, hidden_size=16,
                                              num_hidden_layers=6, num_attention_heads=2, intermediate_size=32))
    shared = sum(p.numel() for p in model.layer_groups.parameters())
    unshared_bert_like = 6 * sum(p.numel() for p in model.layer_groups[0][0].parameters())
    assert shared * 6 == unshared_bert_like
