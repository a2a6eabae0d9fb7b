"""The parameter counts of the reference classes in `transformers`, for the accounting tests and the benchmark.
Only tests and bench/ import this: `transformers` is a test dependency, never the app's."""
from __future__ import annotations

from typing import Any

from engine.params import _preset, config_of


def reference_counts(preset) -> dict[str, Any] | None:
    """Build the matching `transformers` classes on the meta device and count their parameters (each tensor once):
    the body class and the class with this preset's heads. None where no reference class exists."""
    import torch
    import transformers as tf

    preset = _preset(preset)
    if preset.extra.get("analytic"):
        return None
    c = config_of(preset.family, preset.config)
    family = preset.family
    keep = lambda *names: {n: getattr(c, n) for n in names}   # noqa: E731
    untie = False
    if family == "bert":
        config = tf.BertConfig(**keep("vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads",
                                      "intermediate_size", "max_position_embeddings", "type_vocab_size"))
        body = lambda: tf.BertModel(config)   # noqa: E731
        heads = (lambda: tf.BertForPreTraining(config)) if set(c.heads) == {"mlm", "nsp"} else None
        names = ("BertModel", "BertForPreTraining")
    elif family == "roberta":
        config = tf.RobertaConfig(**keep("vocab_size", "hidden_size", "num_hidden_layers", "num_attention_heads",
                                         "intermediate_size", "max_position_embeddings", "type_vocab_size",
                                         "pad_token_id"))
        body = lambda: tf.RobertaModel(config, add_pooling_layer=False)   # noqa: E731
        heads = (lambda: tf.RobertaForMaskedLM(config)) if set(c.heads) == {"mlm"} else None
        names = ("RobertaModel(add_pooling_layer=False)", "RobertaForMaskedLM")
    elif family == "albert":
        config = tf.AlbertConfig(**keep("vocab_size", "embedding_size", "hidden_size", "num_hidden_layers",
                                        "num_hidden_groups", "inner_group_num", "num_attention_heads",
                                        "intermediate_size", "max_position_embeddings", "type_vocab_size"))
        body = lambda: tf.AlbertModel(config)   # noqa: E731
        heads = (lambda: tf.AlbertForPreTraining(config)) if set(c.heads) == {"mlm", "sop"} else None
        names = ("AlbertModel", "AlbertForPreTraining")
    elif family == "t5":
        config = tf.T5Config(**keep("vocab_size", "d_model", "d_kv", "d_ff", "num_layers", "num_heads",
                                    "relative_attention_num_buckets", "feed_forward_proj", "tie_word_embeddings"),
                             num_decoder_layers=c.n_decoder_layers)
        body = lambda: tf.T5Model(config)   # noqa: E731
        heads = lambda: tf.T5ForConditionalGeneration(config)   # noqa: E731
        names = ("T5Model", "T5ForConditionalGeneration")
        untie = not c.tie_word_embeddings
    elif family == "gpt1":
        config = tf.OpenAIGPTConfig(**keep("vocab_size", "n_positions", "n_embd", "n_layer", "n_head"))
        body = lambda: tf.OpenAIGPTModel(config)   # noqa: E731
        heads = lambda: tf.OpenAIGPTLMHeadModel(config)   # noqa: E731
        names = ("OpenAIGPTModel", "OpenAIGPTLMHeadModel")
    elif family in ("gpt2", "gpt3"):
        config = tf.GPT2Config(**keep("vocab_size", "n_positions", "n_embd", "n_layer", "n_head", "n_inner"))
        body = lambda: tf.GPT2Model(config)   # noqa: E731
        heads = lambda: tf.GPT2LMHeadModel(config)   # noqa: E731
        names = ("GPT2Model", "GPT2LMHeadModel")
    elif family == "llama":
        config = tf.LlamaConfig(**keep("vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers",
                                       "num_attention_heads", "num_key_value_heads", "head_dim",
                                       "tie_word_embeddings", "attention_bias", "mlp_bias"))
        body = lambda: tf.LlamaModel(config)   # noqa: E731
        heads = lambda: tf.LlamaForCausalLM(config)   # noqa: E731
        names = ("LlamaModel", "LlamaForCausalLM")
    elif family == "chatglm":
        config = tf.GlmConfig(**keep("vocab_size", "hidden_size", "intermediate_size", "num_hidden_layers",
                                     "num_attention_heads", "num_key_value_heads", "head_dim", "tie_word_embeddings",
                                     "attention_bias"), pad_token_id=None)
        body = lambda: tf.GlmModel(config)   # noqa: E731
        heads = lambda: tf.GlmForCausalLM(config)   # noqa: E731
        names = ("GlmModel", "GlmForCausalLM")
    else:
        return None

    def count(build) -> int:
        with torch.device("meta"):
            module = build()
        total = sum(p.numel() for p in module.parameters())   # parameters() lists a tied tensor once
        if untie and module.get_output_embeddings() is not None \
                and module.get_output_embeddings().weight is module.get_input_embeddings().weight:
            # transformers 5 always ties T5's LM head (T5Config forces tie_word_embeddings=True and keeps the flag
            # only as scale_decoder_outputs); the released v1.1 weights carry a separate lm_head.weight
            total += module.get_output_embeddings().weight.numel()
        return total

    return {"classes": names, "total": count(body), "total_with_heads": count(heads) if heads else None}


