"""What each model family's tokenizer is: algorithm, vocabulary size, special tokens, post-processing.

These are descriptions only; training.py turns them into real `tokenizers` objects. Vocabulary sizes
are small on purpose (tiny models stay tiny); the real sizes are in `real_vocab`.

Special-token choices follow the released Hugging Face tokenizers; where a choice had to be made,
the recipe's `notes` say so (the GUI can show them).
"""

from __future__ import annotations

from dataclasses import dataclass

KINDS = ("wordpiece", "char-bpe", "byte-bpe", "unigram")

# T5 reserves 100 sentinels; our small vocabulary keeps 20 (<extra_id_0> .. <extra_id_19>).
T5_SENTINELS = 20


@dataclass(frozen=True)
class Recipe:
    name: str
    family: str  # which released tokenizer it imitates
    kind: str  # one of KINDS: the algorithm family of the backend model
    vocab_size: int  # target total, specials included (a small corpus may stop a little short)
    head_specials: tuple[str, ...]  # special tokens given the first ids, in this order
    tail_specials: tuple[str, ...]  # tokens appended after the learned vocabulary, in this order
    roles: dict[str, str]  # role -> token string (several roles may share one token)
    single: str | None  # TemplateProcessing for one text ("$A" = the text); None: see training.py
    pair: str | None  # ... for a pair ("$B:1" = second text with segment id 1)
    real_vocab: int = 0  # vocabulary size of the released tokenizer
    byte_fallback: bool = False  # unknown characters become <0xNN> byte tokens instead of unk
    notes: str = ""

    @property
    def special_tokens(self) -> list[str]:
        return list(self.head_specials) + list(self.tail_specials)

    def describe(self, vocab_size: int | None = None) -> str:
        roles = ", ".join(f"{role}={token}" for role, token in self.roles.items())
        fallback = ", byte fallback" if self.byte_fallback else ""
        size = vocab_size or self.vocab_size
        return f"{self.name} ({self.family}): {self.kind}{fallback}, vocab {size} (real {self.real_vocab}); {roles}"

    def __str__(self) -> str:
        return self.describe()


_BERT_SPECIALS = ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]")
_BERT_ROLES = {"pad": "[PAD]", "unk": "[UNK]", "cls": "[CLS]", "sep": "[SEP]", "mask": "[MASK]"}
_BERT_SINGLE = "[CLS] $A [SEP]"
_BERT_PAIR = "[CLS] $A [SEP] $B:1 [SEP]:1"

RECIPES: dict[str, Recipe] = {
    recipe.name: recipe
    for recipe in [
        Recipe(
            name="bert",
            family="bert-base-uncased",
            kind="wordpiece",
            vocab_size=3000,
            head_specials=_BERT_SPECIALS,
            tail_specials=(),
            roles=_BERT_ROLES,
            single=_BERT_SINGLE,
            pair=_BERT_PAIR,
            real_vocab=30522,
            notes=(
                "Uncased: lower-cases and strips accents. The alphabet keeps only the 300 most frequent "
                "characters, so rare Chinese characters and emoji become [UNK], as in bert-base-uncased. "
                "Real BERT puts [PAD]=0, [UNK]=100, [CLS]=101, [SEP]=102, [MASK]=103 with [unusedN] slots "
                "between; here they simply take ids 0-4."
            ),
        ),
        Recipe(
            name="bert-chinese",
            family="bert-base-chinese",
            kind="wordpiece",
            vocab_size=4000,
            head_specials=_BERT_SPECIALS,
            tail_specials=(),
            roles=_BERT_ROLES,
            single=_BERT_SINGLE,
            pair=_BERT_PAIR,
            real_vocab=21128,
            notes=(
                "Every CJK character is split off as its own token (BertNormalizer handle_chinese_chars); "
                "the whole corpus alphabet is kept. Cased (bert-base-chinese ships do_lower_case=false)."
            ),
        ),
        Recipe(
            name="roberta",
            family="roberta-base",
            kind="byte-bpe",
            vocab_size=3000,
            head_specials=("<s>", "<pad>", "</s>", "<unk>"),
            tail_specials=("<mask>",),
            roles={"bos": "<s>", "cls": "<s>", "pad": "<pad>", "eos": "</s>", "sep": "</s>", "unk": "<unk>",
                   "mask": "<mask>"},
            single=None,  # RobertaProcessing: <s> A </s> and <s> A </s></s> B </s>, all segment 0
            pair=None,
            real_vocab=50265,
            notes="Byte-level BPE over the 256 bytes: never [UNK]. <mask> is last and absorbs the space before it.",
        ),
        Recipe(
            name="albert",
            family="albert-base-v2",
            kind="unigram",
            vocab_size=3000,
            head_specials=("<pad>", "<unk>", "[CLS]", "[SEP]", "[MASK]"),
            tail_specials=(),
            roles={"pad": "<pad>", "unk": "<unk>", "cls": "[CLS]", "sep": "[SEP]", "mask": "[MASK]"},
            single=_BERT_SINGLE,
            pair=_BERT_PAIR,
            real_vocab=30000,
            notes="SentencePiece Unigram, lower-cased, accents stripped, BERT-style [CLS]/[SEP] framing.",
        ),
        Recipe(
            name="t5",
            family="t5-small",
            kind="unigram",
            vocab_size=3000,
            head_specials=("<pad>", "</s>", "<unk>"),
            # Descending, so <extra_id_0> gets the highest id, as in T5.
            tail_specials=tuple(f"<extra_id_{i}>" for i in reversed(range(T5_SENTINELS))),
            roles={"pad": "<pad>", "eos": "</s>", "unk": "<unk>"},
            single="$A </s>",
            pair="$A </s> $B </s>",  # T5 gives every token segment id 0
            real_vocab=32100,
            notes=(
                f"SentencePiece Unigram with NFKC (so a full-width '，' becomes ','), no byte fallback. "
                f"{T5_SENTINELS} sentinels instead of 100. The decoder starts from <pad>."
            ),
        ),
        Recipe(
            name="gpt1",
            family="openai-gpt",
            kind="char-bpe",
            vocab_size=3000,
            head_specials=("<unk>",),
            tail_specials=(),
            roles={"unk": "<unk>"},
            single="$A",
            pair="$A $B",
            real_vocab=40478,
            notes=(
                "Character-level BPE with '</w>' ending each word, lower-cased. Its alphabet is only the "
                "characters of the training text: anything else (an emoji) becomes <unk>. openai-gpt has "
                "no other special token and adds none."
            ),
        ),
        Recipe(
            name="gpt2",
            family="gpt2 (GPT-3 uses the same tokenizer)",
            kind="byte-bpe",
            vocab_size=3000,
            head_specials=(),
            tail_specials=("<|endoftext|>",),
            roles={"eot": "<|endoftext|>", "bos": "<|endoftext|>", "eos": "<|endoftext|>"},
            single="$A",
            pair="$A $B",
            real_vocab=50257,
            notes="Byte-level BPE; <|endoftext|> is its only special token and is never added automatically.",
        ),
        Recipe(
            name="llama",
            family="LLaMA 1/2",
            # LLaMA's SentencePiece model is BPE (not Unigram) over characters, with byte fallback:
            # kind names the backend algorithm, byte_fallback says why it never needs <unk>.
            kind="char-bpe",
            vocab_size=3000,
            head_specials=("<unk>", "<s>", "</s>"),
            tail_specials=(),
            roles={"unk": "<unk>", "bos": "<s>", "eos": "</s>"},
            single="<s> $A",
            pair="<s> $A <s>:1 $B:1",
            real_vocab=32000,
            byte_fallback=True,
            notes=(
                "SentencePiece BPE ('▁' marks a word start) with byte fallback: <0x00>..<0xFF> follow the "
                "specials (ids 3-258). Prepends <s>. LLaMA has no pad token (role 'pad' is None). "
                "LLaMA 3 switched to a byte-level BPE of 128k tokens."
            ),
        ),
        Recipe(
            name="glm",
            family="glm-large-chinese",
            kind="unigram",
            vocab_size=3000,
            head_specials=("<unk>", "<|endoftext|>", "[CLS]", "[SEP]", "[MASK]", "[sMASK]", "[gMASK]",
                           "<|startofpiece|>", "<|endofpiece|>"),
            tail_specials=(),
            # The paper's [START]/[END] are named <|startofpiece|>/<|endofpiece|> in the released
            # tokenizer; we keep those names and expose them under both roles (start=sop, end=eop).
            # glm-large-chinese pads with <|endoftext|> (its eos); we follow it rather than add <pad>.
            roles={"unk": "<unk>", "cls": "[CLS]", "sep": "[SEP]", "eos": "<|endoftext|>", "pad": "<|endoftext|>",
                   "mask": "[MASK]", "smask": "[sMASK]", "gmask": "[gMASK]",
                   "sop": "<|startofpiece|>", "start": "<|startofpiece|>",
                   "eop": "<|endofpiece|>", "end": "<|endofpiece|>"},
            # The released GLM tokenizers build "[CLS] A <|endoftext|>" and refuse pairs; for a pair we
            # choose "[CLS] A [SEP] B <|endoftext|>" (GLM has no segment embedding: all segment 0).
            single="[CLS] $A <|endoftext|>",
            pair="[CLS] $A [SEP] $B <|endoftext|>",
            real_vocab=50048,
            notes=(
                "SentencePiece (Chinese GLM). Part B spans start with <|startofpiece|> (the paper's [START]) "
                "and end with <|endofpiece|>. The English GLM checkpoints use GPT-2's byte-level BPE instead."
            ),
        ),
        Recipe(
            name="chatglm",
            family="chatglm2-6b",
            kind="char-bpe",  # SentencePiece BPE with byte fallback, like LLaMA
            vocab_size=3000,
            head_specials=("<unk>", "<s>", "</s>"),
            # Appended after the SentencePiece vocabulary in this order, as ChatGLM2's SPTokenizer does.
            tail_specials=("[MASK]", "[gMASK]", "[sMASK]", "sop", "eop"),
            # ChatGLM2 pads with the <unk> id (its pad_id is the SentencePiece unk id).
            roles={"unk": "<unk>", "bos": "<s>", "eos": "</s>", "pad": "<unk>", "mask": "[MASK]",
                   "gmask": "[gMASK]", "smask": "[sMASK]", "sop": "sop", "eop": "eop"},
            # ChatGLM2/3 prefix every input with [gMASK] sop; a pair becomes [gMASK] sop A B </s>.
            # (ChatGLM-6B v1 instead appended [gMASK] <sop> at the end.)
            single="[gMASK] sop $A",
            pair="[gMASK] sop $A $B </s>",
            real_vocab=64794,
            byte_fallback=True,
            notes=(
                "SentencePiece BPE with byte fallback. 'sop' and 'eop' are ordinary-looking words, so like "
                "ChatGLM2 we never read them out of typed text; [MASK]/[gMASK]/[sMASK] typed in text are."
            ),
        ),
    ]
}
