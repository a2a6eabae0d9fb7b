"""The encoder family's tiny presets: the golden list of recorded steps, and the fused path agreeing with the
recorded one."""
import pytest
import torch

from engine.api import init_weights
from engine.hooks import name_hook_points, record
from engine.models import albert, bert, roberta

ATTENTION = ["attn.hook_q", "attn.hook_k", "attn.hook_v", "attn.hook_scores", "attn.hook_scaled", "attn.hook_mask",
             "attn.hook_attn_scores", "attn.hook_pattern", "attn.hook_z"]
POST_NORM_BLOCK = ["hook_resid_pre", *ATTENTION, "hook_attn_out", "hook_resid_mid", "hook_normalized_resid_mid",
                   "mlp.hook_pre", "mlp.hook_post", "hook_mlp_out", "hook_resid_post", "hook_normalized_resid_post"]
EMBEDDINGS = ["embeddings.hook_embed", "embeddings.hook_pos_embed", "embeddings.hook_token_type_embed",
              "embeddings.hook_sum", "embeddings.hook_norm"]


def blocks(n):
    return [f"blocks.{i}.{name}" for i in range(n) for name in POST_NORM_BLOCK]


GOLDEN = {
    "bert-tiny": EMBEDDINGS + blocks(4) + ["pooler.hook_out", "mlm_head.hook_transform", "mlm_head.hook_logits",
                                           "nsp_head.hook_logits", "classifier_head.hook_logits"],
    "roberta-tiny": EMBEDDINGS + blocks(4) + ["mlm_head.hook_transform", "mlm_head.hook_logits"],
    "albert-tiny": EMBEDDINGS + ["embed_proj.hook_out"] + blocks(4) + [
        "pooler.hook_out", "mlm_head.hook_transform", "mlm_head.hook_logits", "sop_head.hook_logits"],
}
MODULES = {"bert-tiny": (bert, bert.Bert, bert.BertConfig), "roberta-tiny": (roberta, roberta.Roberta, roberta.RobertaConfig),
           "albert-tiny": (albert, albert.Albert, albert.AlbertConfig)}


def tiny(name):
    module, model_cls, config_cls = MODULES[name]
    model = model_cls(config_cls.from_dict(dict(module.TINY_PRESETS[name], vocab_size=100)))
    init_weights(model, seed=0)
    name_hook_points(model)
    return model.eval()


def batch():
    input_ids = torch.tensor([[5, 17, 42, 9, 33, 8], [5, 21, 60, 8, 1, 1]])
    attention_mask = (input_ids != 1).long()
    return input_ids, attention_mask


@pytest.mark.parametrize("name", GOLDEN)
def test_golden_step_names(name):
    input_ids, attention_mask = batch()
    with torch.no_grad(), record() as cache:
        tiny(name)(input_ids=input_ids, attention_mask=attention_mask)
    assert cache.names() == GOLDEN[name]


@pytest.mark.parametrize("name", GOLDEN)
def test_fused_path_gives_the_recorded_path_outputs(name):
    model = tiny(name)
    input_ids, attention_mask = batch()
    with torch.no_grad():
        with record():
            explicit = model(input_ids=input_ids, attention_mask=attention_mask)
        fused = model(input_ids=input_ids, attention_mask=attention_mask)
    for key, value in explicit.items():
        assert torch.allclose(value, fused[key], atol=1e-5), key


def test_attention_to_padding_is_exactly_zero_and_rows_sum_to_one():
    input_ids, attention_mask = batch()
    with torch.no_grad(), record() as cache:
        tiny("bert-tiny")(input_ids=input_ids, attention_mask=attention_mask)
    pattern = cache["blocks.0.attn.hook_pattern"]              # (B, nh, Tq, Tk)
    assert torch.all(pattern[1, :, :, 4:] == 0)
    assert torch.allclose(pattern.sum(-1), torch.ones(pattern.shape[:-1]))
    mask = cache["blocks.0.attn.hook_mask"]
    assert mask.dtype == torch.bool and mask.shape == (2, 1, 6, 6)
    assert not torch.isinf(cache["blocks.0.attn.hook_attn_scores"]).any()   # finfo.min, never -inf


def test_embedding_sum_is_the_sum_of_its_three_recorded_parts():
    input_ids, attention_mask = batch()
    with torch.no_grad(), record() as cache:
        tiny("bert-tiny")(input_ids=input_ids, attention_mask=attention_mask)
    parts = (cache["embeddings.hook_embed"] + cache["embeddings.hook_pos_embed"]
             + cache["embeddings.hook_token_type_embed"])
    assert torch.allclose(parts, cache["embeddings.hook_sum"])


def test_post_norm_steps_are_transformer_lens_bert_block_steps():
    """resid_mid / resid_post are the sums (as in TransformerLens' BertBlock), normalized_* what LayerNorm makes of
    them; the last is the layer's output and the next layer's resid_pre."""
    input_ids, attention_mask = batch()
    model = tiny("bert-tiny")
    with torch.no_grad(), record() as cache:
        model(input_ids=input_ids, attention_mask=attention_mask)
    block, b = model.blocks[0], "blocks.0."
    assert torch.allclose(cache[b + "hook_resid_mid"], cache[b + "hook_resid_pre"] + cache[b + "hook_attn_out"])
    assert torch.allclose(cache[b + "hook_normalized_resid_mid"], block.attn_norm(cache[b + "hook_resid_mid"]))
    assert torch.allclose(cache[b + "hook_resid_post"],
                          cache[b + "hook_normalized_resid_mid"] + cache[b + "hook_mlp_out"])
    assert torch.equal(cache[b + "hook_normalized_resid_post"], cache["blocks.1.hook_resid_pre"])
    assert torch.equal(cache["embeddings.hook_norm"], cache["blocks.0.hook_resid_pre"])
