"""Forward-pass speed and peak memory of our models against the transformers reference, same machine, one run.

Prints one table: for each family, the median time of the reference forward, ours fused (not recording), ours
recording every step, and the ratios. Not a test: timings on shared machines are noisy, so read the ratios.

    .venv/bin/python bench/forward.py [--device cuda] [--repeats 20]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import torch
import transformers

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.append(str(Path(__file__).resolve().parents[1] / "tests"))

from engine.hooks import record  # noqa: E402
from parity import port  # noqa: E402

SMALL = dict(vocab_size=8000, attn_implementation="eager")


def cases():
    from engine.models import albert, bert, glm, gpt, llama, roberta, t5
    yield "bert", transformers.BertForPreTraining(transformers.BertConfig(
        hidden_size=256, num_hidden_layers=4, num_attention_heads=4, intermediate_size=1024, **SMALL)), bert, \
        lambda c: bert.Bert(bert.BertConfig.from_dict(c.to_dict()).replace(heads=("mlm", "nsp")))
    yield "roberta", transformers.RobertaForMaskedLM(transformers.RobertaConfig(
        hidden_size=256, num_hidden_layers=4, num_attention_heads=4, intermediate_size=1024, **SMALL)), roberta, \
        lambda c: roberta.Roberta(roberta.RobertaConfig.from_dict(c.to_dict()))
    yield "albert", transformers.AlbertForPreTraining(transformers.AlbertConfig(
        embedding_size=64, hidden_size=256, num_hidden_layers=4, num_attention_heads=4, intermediate_size=1024,
        **SMALL)), albert, lambda c: albert.Albert(albert.AlbertConfig.from_dict(c.to_dict()))
    yield "gpt2", transformers.GPT2LMHeadModel(transformers.GPT2Config(
        n_embd=256, n_layer=4, n_head=4, **SMALL)), gpt, lambda c: gpt.GPT2(gpt.GPT2Config.from_dict(c.to_dict()))
    yield "llama", transformers.LlamaForCausalLM(transformers.LlamaConfig(
        hidden_size=256, intermediate_size=688, num_hidden_layers=4, num_attention_heads=8, num_key_value_heads=2,
        **SMALL)), llama, lambda c: llama.Llama(llama.LlamaConfig.from_dict(c.to_dict()))
    yield "t5", transformers.T5ForConditionalGeneration(transformers.T5Config(
        d_model=256, d_kv=64, d_ff=1024, num_layers=4, num_heads=4, decoder_start_token_id=0, **SMALL)), t5, \
        lambda c: t5.T5(t5.T5Config.from_dict(c.to_dict()))
    yield "chatglm", transformers.GlmForCausalLM(transformers.GlmConfig(
        hidden_size=256, intermediate_size=688, num_hidden_layers=4, num_attention_heads=8, num_key_value_heads=2,
        head_dim=32, pad_token_id=0, **SMALL)), glm, lambda c: glm.ChatGLM(glm.ChatGLMConfig.from_dict(c.to_dict()))


def median_time(fn, repeats):
    fn()   # warm-up
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        if torch.cuda.is_available():
            torch.cuda.synchronize()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--device", default="cpu")
    parser.add_argument("--repeats", type=int, default=10)
    parser.add_argument("--length", type=int, default=128)
    args = parser.parse_args()
    device = torch.device(args.device)
    print(f"forward pass, batch 2 x {args.length} tokens, {args.device}, median of {args.repeats}")
    print(f"{'family':<9} {'reference ms':>12} {'fused ms':>9} {'record ms':>10} {'fused/ref':>10} {'record/ref':>11}")
    for name, reference, module, build in cases():
        reference.eval().to(device)
        ours = port(reference, module, build(reference.config)).to(device)
        ids = torch.randint(5, 8000, (2, args.length), device=device)
        inputs = {"input_ids": ids}
        if getattr(ours, "is_encoder_decoder", False):   # T5: the decoder reads a target as long as the source
            inputs["decoder_input_ids"] = ids
        with torch.no_grad():
            ref_t = median_time(lambda: reference(**inputs), args.repeats)
            fused_t = median_time(lambda: ours(**inputs), args.repeats)

            def recorded():
                with record(device=None):
                    ours(**inputs)
            rec_t = median_time(recorded, args.repeats)
        print(f"{name:<9} {ref_t * 1e3:12.2f} {fused_t * 1e3:9.2f} {rec_t * 1e3:10.2f} {fused_t / ref_t:10.2f} "
              f"{rec_t / ref_t:11.2f}")


if __name__ == "__main__":
    main()
