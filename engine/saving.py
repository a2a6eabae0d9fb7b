"""Saving a model as a Hugging Face checkpoint folder, the inverse of engine.checkpoint.load_checkpoint:

    config.json               the family's config (its fields already carry the Hugging Face names), model_type
                              and architectures, so transformers and engine.load both know what to build
    model.safetensors         every parameter under its Hugging Face name (tied copies once, as transformers saves)
    tokenizer.json            the model's tokenizer as it is, with tokenizer_config.json and special_tokens_map.json
                              naming its special tokens' roles

Each family's FamilySpec.hf_renames maps Hugging Face names onto ours; SAVE_RENAMES below is the way back, one table
per family (our name -> Hugging Face name, plus GPT's transpose: its Conv1D stores (in, out)). Every save checks
itself: the names it writes are run through the family's own hf_renames, and must come back as exactly the
parameters saved, tensor for tensor. A table that drifts from its family fails loudly, never writes a folder that
reopens wrong.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import torch

from engine.errors import ExportError
from engine.weights import rename, transpose

# our name -> Hugging Face name; a third element transforms the tensor on the way out
_BERT_LAYER = r"^blocks\.(\d+)\."
_BERT_BODY = [
    (r"^embeddings\.token\.", "{p}embeddings.word_embeddings."),
    (r"^embeddings\.position\.", "{p}embeddings.position_embeddings."),
    (r"^embeddings\.segment\.", "{p}embeddings.token_type_embeddings."),
    (r"^embeddings\.norm\.", "{p}embeddings.LayerNorm."),
    (_BERT_LAYER + r"attn\.(query|key|value)\.", r"{p}encoder.layer.\1.attention.self.\2."),
    (_BERT_LAYER + r"attn\.output\.", r"{p}encoder.layer.\1.attention.output.dense."),
    (_BERT_LAYER + r"attn_norm\.", r"{p}encoder.layer.\1.attention.output.LayerNorm."),
    (_BERT_LAYER + r"mlp\.intermediate\.", r"{p}encoder.layer.\1.intermediate.dense."),
    (_BERT_LAYER + r"mlp\.output\.", r"{p}encoder.layer.\1.output.dense."),
    (_BERT_LAYER + r"mlp_norm\.", r"{p}encoder.layer.\1.output.LayerNorm."),
    (r"^pooler\.dense\.", "{p}pooler.dense."),
]


def _body(prefix: str) -> list:
    return [(pattern, replacement.replace("{p}", prefix)) for pattern, replacement in _BERT_BODY]


_ALBERT_LAYER = r"^layer_groups\.(\d+)\.(\d+)\."
_ALBERT_HF = r"albert.encoder.albert_layer_groups.\1.albert_layers.\2."
_GPT_LAYER = r"^blocks\.(\d+)\."
_GPT_BODY = [
    (_GPT_LAYER + r"(attn|mlp)\.(c_attn|c_proj|c_fc)\.weight$", r"transformer.h.\1.\2.\3.weight", transpose),
    (_GPT_LAYER + r"(attn|mlp)\.(c_attn|c_proj|c_fc)\.bias$", r"transformer.h.\1.\2.\3.bias"),
    (_GPT_LAYER + r"(ln_1|ln_2)\.", r"transformer.h.\1.\2."),
    (r"^ln_f\.", "transformer.ln_f."),
    (r"^lm_head\.weight$", "lm_head.weight"),
]
_GPT2_NAMES = [(r"^embeddings\.wte\.", "transformer.wte."), (r"^embeddings\.wpe\.", "transformer.wpe.")] + _GPT_BODY
_LLAMA = [
    (r"^embeddings\.token\.", "model.embed_tokens."),
    (r"^blocks\.(\d+)\.attn\.(q_proj|k_proj|v_proj|o_proj)\.", r"model.layers.\1.self_attn.\2."),
    (r"^blocks\.(\d+)\.mlp\.(gate_proj|up_proj|down_proj|gate_up_proj)\.", r"model.layers.\1.mlp.\2."),
    (r"^blocks\.(\d+)\.(input_layernorm|post_attention_layernorm)\.", r"model.layers.\1.\2."),
    (r"^norm\.", "model.norm."),
    (r"^lm_head\.", "lm_head."),
]

SAVE_RENAMES: dict[str, list] = {
    "bert": _body("bert.") + [
        (r"^mlm_head\.dense\.", "cls.predictions.transform.dense."),
        (r"^mlm_head\.norm\.", "cls.predictions.transform.LayerNorm."),
        (r"^mlm_head\.bias$", "cls.predictions.bias"),
        (r"^mlm_head\.decoder\.weight$", "cls.predictions.decoder.weight"),   # only when not tied
        (r"^nsp_head\.classifier\.", "cls.seq_relationship."),
        (r"^classifier_head\.classifier\.", "classifier."),
    ],
    "roberta": _body("roberta.") + [
        (r"^mlm_head\.dense\.", "lm_head.dense."),
        (r"^mlm_head\.norm\.", "lm_head.layer_norm."),
        (r"^mlm_head\.bias$", "lm_head.bias"),
        (r"^mlm_head\.decoder\.weight$", "lm_head.decoder.weight"),
    ],
    "albert": [
        (r"^embeddings\.token\.", "albert.embeddings.word_embeddings."),
        (r"^embeddings\.position\.", "albert.embeddings.position_embeddings."),
        (r"^embeddings\.segment\.", "albert.embeddings.token_type_embeddings."),
        (r"^embeddings\.norm\.", "albert.embeddings.LayerNorm."),
        (r"^embed_proj\.dense\.", "albert.encoder.embedding_hidden_mapping_in."),
        (_ALBERT_LAYER + r"attn\.(query|key|value)\.", _ALBERT_HF + r"attention.\3."),
        (_ALBERT_LAYER + r"attn\.output\.", _ALBERT_HF + "attention.dense."),
        (_ALBERT_LAYER + r"attn_norm\.", _ALBERT_HF + "attention.LayerNorm."),
        (_ALBERT_LAYER + r"mlp\.intermediate\.", _ALBERT_HF + "ffn."),
        (_ALBERT_LAYER + r"mlp\.output\.", _ALBERT_HF + "ffn_output."),
        (_ALBERT_LAYER + r"mlp_norm\.", _ALBERT_HF + "full_layer_layer_norm."),
        (r"^pooler\.dense\.", "albert.pooler."),
        (r"^mlm_head\.dense\.", "predictions.dense."),
        (r"^mlm_head\.norm\.", "predictions.LayerNorm."),
        (r"^mlm_head\.bias$", "predictions.bias"),
        (r"^mlm_head\.decoder\.weight$", "predictions.decoder.weight"),
        (r"^sop_head\.classifier\.", "sop_classifier.classifier."),
        (r"^classifier_head\.classifier\.", "classifier."),
    ],
    "t5": [
        (r"^shared\.", "shared."),
        (r"^(encoder|decoder)\.blocks\.(\d+)\.attn\.", r"\1.block.\2.layer.0.SelfAttention."),
        (r"^(encoder|decoder)\.blocks\.(\d+)\.attn_norm\.", r"\1.block.\2.layer.0.layer_norm."),
        (r"^decoder\.blocks\.(\d+)\.cross_attn\.", r"decoder.block.\1.layer.1.EncDecAttention."),
        (r"^decoder\.blocks\.(\d+)\.cross_norm\.", r"decoder.block.\1.layer.1.layer_norm."),
        (r"^encoder\.blocks\.(\d+)\.mlp\.", r"encoder.block.\1.layer.1.DenseReluDense."),
        (r"^encoder\.blocks\.(\d+)\.mlp_norm\.", r"encoder.block.\1.layer.1.layer_norm."),
        (r"^decoder\.blocks\.(\d+)\.mlp\.", r"decoder.block.\1.layer.2.DenseReluDense."),
        (r"^decoder\.blocks\.(\d+)\.mlp_norm\.", r"decoder.block.\1.layer.2.layer_norm."),
        (r"^(encoder|decoder)\.final_norm\.", r"\1.final_layer_norm."),
        (r"^lm_head\.proj\.", "lm_head."),
    ],
    "gpt1": [(r"^embeddings\.wte\.", "transformer.tokens_embed."),
             (r"^embeddings\.wpe\.", "transformer.positions_embed.")] + _GPT_BODY,
    "gpt2": _GPT2_NAMES,
    "gpt3": _GPT2_NAMES,
    "llama": _LLAMA,
    "chatglm": _LLAMA,
    "glm": [   # THUDM's Megatron names (pre-norm GLM; GLM_RENAMES reads nothing else)
        (r"^embeddings\.token\.", "word_embeddings."),
        (r"^embeddings\.position\.", "transformer.position_embeddings."),
        (r"^embeddings\.block_position\.", "transformer.block_position_embeddings."),
        (r"^blocks\.(\d+)\.attn\.(query_key_value|dense)\.", r"transformer.layers.\1.attention.\2."),
        (r"^blocks\.(\d+)\.mlp\.(dense_h_to_4h|dense_4h_to_h)\.", r"transformer.layers.\1.mlp.\2."),
        (r"^blocks\.(\d+)\.(input_layernorm|post_attention_layernorm|post_mlp_layernorm)\.",
         r"transformer.layers.\1.\2."),
        (r"^final_layernorm\.", "transformer.final_layernorm."),
    ],
}

# config.json "architectures": the transformers class that reads the folder (GPT-3 has none: never released)
ARCHITECTURES = {"bert": "BertForPreTraining", "roberta": "RobertaForMaskedLM", "albert": "AlbertForPreTraining",
                 "t5": "T5ForConditionalGeneration", "gpt1": "OpenAIGPTLMHeadModel", "gpt2": "GPT2LMHeadModel",
                 "llama": "LlamaForCausalLM", "chatglm": "GlmForCausalLM", "glm": "GLMModel"}
# model_type of families whose FamilySpec lists none (no transformers class of their own)
MODEL_TYPES = {"gpt3": "gpt3", "glm": "glm"}
# tokenizer_config.json keys for our token roles
TOKEN_ROLES = {"cls": "cls_token", "sep": "sep_token", "pad": "pad_token", "unk": "unk_token", "mask": "mask_token",
               "bos": "bos_token", "eos": "eos_token"}


@dataclass
class Saved:
    """What save_pretrained wrote, and whether engine.load reads it back as the same family."""
    folder: Path
    files: list[str] = field(default_factory=list)
    tensors: int = 0
    parameters: int = 0
    reopens: bool = True
    note: str = ""


def hf_state_dict(loaded) -> dict[str, torch.Tensor]:
    """{Hugging Face name: tensor (CPU, float32, contiguous)} of every parameter of `loaded`, tied copies once
    (under the first name the module registers: the embedding table, not the head that shares it)."""
    family = loaded.family.name
    if family not in SAVE_RENAMES:
        raise ExportError(f"Saving {loaded.family.title} models in the Hugging Face format is not supported yet.")
    rules = [(re.compile(rule[0]), rule[1], rule[2] if len(rule) > 2 else None) for rule in SAVE_RENAMES[family]]
    state, unnamed = {}, []
    for name, parameter in loaded.module.named_parameters():   # tied parameters appear once
        for pattern, replacement, transform in rules:
            if pattern.search(name):
                tensor = parameter.detach().to("cpu", torch.float32)
                state[pattern.sub(replacement, name)] = (transform(tensor) if transform else tensor).contiguous()
                break
        else:
            unnamed.append(name)
    if unnamed:
        raise ExportError(f"{loaded.name}: no Hugging Face name for {', '.join(unnamed[:6])}"
                          f"{' ...' if len(unnamed) > 6 else ''} ({loaded.family.title} is saved with its "
                          f"{'pre-norm layout only' if family == 'glm' else 'released layout'}).")
    _check_round_trip(loaded, state)
    return state


def _check_round_trip(loaded, state: dict[str, torch.Tensor]) -> None:
    """The family's own loading table must map the names back onto exactly the saved parameters."""
    renamed, report = rename(state, loaded.family.hf_renames)
    ours = {name: p for name, p in loaded.module.named_parameters()}
    problems = report.unexpected + report.dropped + sorted(set(ours) ^ set(renamed))
    if not problems:
        problems = [name for name, tensor in renamed.items()
                    if not torch.equal(tensor, ours[name].detach().to("cpu", torch.float32))]
    if problems:
        raise ExportError(f"Saving {loaded.name} would not load back the same weights (the save table of "
                          f"{loaded.family.title} disagrees with its loading table at {', '.join(problems[:6])}).")


def hf_config(loaded) -> dict:
    """config.json: the config's fields (already Hugging Face names), model_type and architectures."""
    family = loaded.family
    values = json.loads(json.dumps(loaded.config.to_dict(), default=list))   # tuples -> lists
    model_type = family.hf_model_types[0] if family.hf_model_types else MODEL_TYPES.get(family.name, family.name)
    config = {"model_type": model_type}
    if family.name in ARCHITECTURES:
        config["architectures"] = [ARCHITECTURES[family.name]]
    config.update(values)
    config["torch_dtype"] = "float32"
    return config


def _reopen_note(loaded, config: dict) -> tuple[bool, str]:
    from engine.models import family_for_config

    found = family_for_config(config)
    if found is loaded.family:
        return True, ""
    reads = f"reads it as {found.title}" if found is not None else "does not know its model_type"
    return False, (f"engine.load cannot reopen this {loaded.family.title} folder yet: config.json says model_type "
                   f"{config['model_type']!r} and the app {reads} (the {loaded.family.title} family lists no "
                   f"model_type of its own). The weights are saved under their Hugging Face names.")


def _write_json(path: Path, data: dict) -> None:
    from engine.files import atomic_write

    def write(temporary: Path) -> None:
        temporary.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    atomic_write(path, write)


def save_pretrained(loaded, folder: str | Path, extra: dict[str, dict] | None = None) -> Saved:
    """Write `loaded` into `folder` (created when missing; files of the same names replaced) as a Hugging Face
    checkpoint. extra: more JSON files to write beside it ({"training.json": {...}})."""
    from safetensors.torch import save_file

    from engine.files import atomic_write

    folder = Path(folder).expanduser()
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"{folder} is a file; give the name of a folder to save into.")
    state = hf_state_dict(loaded)            # checked before anything is written
    config = hf_config(loaded)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ExportError(f"Cannot create the folder {folder}: {error.strerror or error}.") from None
    saved = Saved(folder, tensors=len(state), parameters=sum(t.numel() for t in state.values()))
    _write_json(folder / "config.json", config)
    atomic_write(folder / "model.safetensors",
                 lambda temporary: save_file(state, str(temporary), metadata={"format": "pt"}))
    saved.files += ["config.json", "model.safetensors"]
    tokenizer = loaded.tokenizer
    if tokenizer is not None:
        atomic_write(folder / "tokenizer.json", lambda temporary: tokenizer.backend.save(str(temporary)))
        roles = {key: tokenizer.special_tokens[role] for role, key in TOKEN_ROLES.items()
                 if role in tokenizer.special_tokens}
        limit = loaded.max_length
        _write_json(folder / "tokenizer_config.json",
                    {"tokenizer_class": "PreTrainedTokenizerFast", **roles,
                     **({"model_max_length": limit} if limit is not None else {})})
        _write_json(folder / "special_tokens_map.json", roles)
        saved.files += ["tokenizer.json", "tokenizer_config.json", "special_tokens_map.json"]
    for name, data in (extra or {}).items():
        _write_json(folder / name, data)
        saved.files.append(name)
    saved.reopens, saved.note = _reopen_note(loaded, config)
    return saved
