<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>engine_params</name>
    <message>
        <source>{repo} config.json (Hugging Face hub)</source>
        <translation>{repo} 的 config.json（Hugging Face 模型库）</translation>
    </message>
    <message>
        <source>Liu et al. 2019 (RoBERTa uses BERT-BASE / BERT-LARGE shapes)</source>
        <translation>Liu et al. 2019（RoBERTa 沿用 BERT-BASE / BERT-LARGE 的形状）</translation>
    </message>
    <message>
        <source>model card: {size} (&apos;{chinese}&apos;)</source>
        <translation>模型卡：{size}（“{chinese}”）</translation>
    </message>
    <message>
        <source>fields renamed to transformers&apos; GlmConfig ({fields})</source>
        <translation>字段名已改为 transformers 的 GlmConfig 所用名称（{fields}）</translation>
    </message>
    <message>
        <source>fields renamed to transformers&apos; GlmConfig</source>
        <translation>字段名已改为 transformers 的 GlmConfig 所用名称</translation>
    </message>
    <message>
        <source>Du et al. 2022 (GLM), Table 2 / section 3</source>
        <translation>Du et al. 2022（GLM），表 2 / 第 3 节</translation>
    </message>
    <message>
        <source>Touvron et al. 2023a, Table 2 (dim, heads, layers)</source>
        <translation>Touvron et al. 2023a，表 2（维度、头数、层数）</translation>
    </message>
    <message>
        <source>FFN sizes from the released weights (HF conversion huggyllama/llama-*), 2/3 x 4 x dim rounded up to 256</source>
        <translation>FFN 大小取自发布的权重（HF 转换版 huggyllama/llama-*），即 2/3 × 4 × 维度，向上取整到 256 的倍数</translation>
    </message>
    <message>
        <source>Zeng et al. 2022 (GLM-130B), section 2.1</source>
        <translation>曾奥涵等 2022（GLM-130B），2.1 节</translation>
    </message>
    <message>
        <source>THUDM/GLM-130B configs/model_glm_130b.sh (70 layers, hidden 12288, inner 32768, 96 heads, vocabulary 150528 of icetk, max sequence 2048, layernorm-order post) and tools/convert_tp.py (the checkpoint&apos;s tensor names: GLU dense_h_to_4h, no separate output layer)</source>
        <translation>THUDM/GLM-130B 的 configs/model_glm_130b.sh（70 层，隐藏层 12288，中间层 32768，96 个头，“icetk”词表 150528，最大序列 2048，“layernorm-order post”）和 tools/convert_tp.py（检查点的张量名：GLU dense_h_to_4h，没有单独的输出层）</translation>
    </message>
    <message>
        <source>a tiny configuration of this app, random weights (seeded)</source>
        <translation>本应用的微型配置，随机权重（固定随机种子）</translation>
    </message>
    <message>
        <source>Radford et al. 2018, section 4.1 (12 layers, 768 hidden, 12 heads, FFN 3072)</source>
        <translation>Radford et al. 2018，4.1 节（12 层，隐藏层 768，12 个头，FFN 3072）</translation>
    </message>
    <message>
        <source>Brown et al. 2020, Table 2.1 (no weights or config released)</source>
        <translation>Brown et al. 2020，表 2.1（未发布权重和配置）</translation>
    </message>
    <message>
        <source>GPT-2&apos;s vocabulary {vocab} and n_ctx {n_ctx} (section {section})</source>
        <translation>GPT-2 的词表 {vocab} 与 n_ctx {n_ctx}（{section} 节）</translation>
    </message>
    <message>
        <source>Llama Team 2024 (The Llama 3 Herd of Models), Table {table}</source>
        <translation>Llama 团队 2024（“The Llama 3 Herd of Models”），表 {table}</translation>
    </message>
    <message>
        <source>Lan et al. 2019, Table 1 (ALBERT {size}: {count})</source>
        <translation>Lan et al. 2019，表 1（ALBERT {size}：{count}）</translation>
    </message>
    <message>
        <source>{cite}, section {section} ({remark})</source>
        <translation>{cite}，{section} 节（{remark}）</translation>
    </message>
    <message>
        <source>{cite}, Table {table} ({remark})</source>
        <translation>{cite}，表 {table}（{remark}）</translation>
    </message>
    <message>
        <source>{cite}, section {section}</source>
        <translation>{cite}，{section} 节</translation>
    </message>
    <message>
        <source>{cite}, Table {table}</source>
        <translation>{cite}，表 {table}</translation>
    </message>
    <message>
        <source>edited: {changes}</source>
        <translation>已编辑：{changes}</translation>
    </message>
    <message>
        <source>{paper} (paper) / {released} (released)</source>
        <translation>{paper}（论文）/ {released}（发布版）</translation>
    </message>
    <message>
        <source>Encoder-only</source>
        <translation>仅编码器</translation>
    </message>
    <message>
        <source>Encoder-decoder</source>
        <translation>编码器-解码器</translation>
    </message>
    <message>
        <source>Decoder-only</source>
        <translation>仅解码器</translation>
    </message>
    <message>
        <source>{field} is {value}, outside {low}..{high}</source>
        <translation>{field} 为 {value}，超出 {low}..{high} 的范围</translation>
    </message>
    <message>
        <source>{field} {size} does not split into {heads} heads of equal size (or set head_dim)</source>
        <translation>{field} {size} 无法均分成 {heads} 个等大的头（或设置 head_dim）</translation>
    </message>
    <message>
        <source>{field} {size} does not split into {heads} heads of equal size</source>
        <translation>{field} {size} 无法均分成 {heads} 个等大的头</translation>
    </message>
    <message>
        <source>the {heads} query heads cannot be shared evenly by {kv_heads} key/value heads: make the first a multiple of the second</source>
        <translation>{heads} 个查询头无法由 {kv_heads} 个键/值头平均分担：前者应是后者的整数倍</translation>
    </message>
    <message>
        <source>num_attention_heads ({heads}) must be a multiple of num_key_value_heads ({kv_heads})</source>
        <translation>num_attention_heads（{heads}）必须是 num_key_value_heads（{kv_heads}）的整数倍</translation>
    </message>
    <message>
        <source>embedding_size E = {e} is larger than hidden_size H = {h}: the factorisation V x E + E x H only saves parameters when E &lt; H</source>
        <translation>embedding_size E = {e} 大于 hidden_size H = {h}：分解 V × E + E × H 只有在 E &lt; H 时才省参数</translation>
    </message>
    <message>
        <source>{layers} layers cannot be shared evenly by {groups} groups</source>
        <translation>{layers} 层无法平均分给 {groups} 个参数组</translation>
    </message>
    <message>
        <source>norm_style must be one of {choices}, not {value}</source>
        <translation>norm_style 必须是 {choices} 之一，而不是 {value}</translation>
    </message>
    <message>
        <source>{name} is counted analytically from its released tensors; it cannot be edited. Start from a preset this app builds.</source>
        <translation>{name} 是按发布的张量解析计数的，不能编辑。请从本应用能构建的预设开始。</translation>
    </message>
    <message>
        <source>{family} configs have no field {field}. Did you mean {close}?</source>
        <translation>{family} 的配置没有字段 {field}。是不是想用 {close}？</translation>
    </message>
    <message>
        <source>{family} configs have no field {field}.</source>
        <translation>{family} 的配置没有字段 {field}。</translation>
    </message>
    <message>
        <source>--set takes KEY=VALUE (e.g. num_hidden_layers=6), not {text}.</source>
        <translation>“--set”的格式是 KEY=VALUE（例如 num_hidden_layers=6），而不是 {text}。</translation>
    </message>
    <message>
        <source>No preset called {name}.{hint}</source>
        <translation>没有名为 {name} 的预设。{hint}</translation>
    </message>
    <message>
        <source>{name} has no field {fields}</source>
        <translation>{name} 没有字段 {fields}</translation>
    </message>
    <message>
        <source>Something went wrong: {message}</source>
        <translation>出错了：{message}</translation>
    </message>
    <message>
        <source>2 x layers x kv_heads x head_dim x bytes</source>
        <translation>2 × 层数 × kv_heads × head_dim × 字节数</translation>
    </message>
    <message>
        <source>An encoder reads the whole text at once and generates nothing: it keeps no KV cache.</source>
        <translation>编码器一次读入整段文本、不做生成，因此没有 KV 缓存。</translation>
    </message>
    <message>
        <source>Decoder self-attention, per generated token. Cross-attention keys and values of the source take the same again per source token, computed once per input.</source>
        <translation>这是解码器自注意力每生成一个词元所需的量。源文本的交叉注意力键和值，每个源词元还要再占同样多，每个输入只算一次。</translation>
    </message>
    <message>
        <source>ChatGLM2/3 call this multi-query attention (multi_query_group_num = 2); with 2 key/value groups it is grouped-query attention in today&apos;s terms.</source>
        <translation>ChatGLM2/3 称之为多查询注意力（multi_query_group_num = 2）；有 2 组键/值，按今天的说法是分组查询注意力。</translation>
    </message>
    <message>
        <source>C_forward = 2N + 2 n_layer n_ctx d_attn (Kaplan et al. 2020, Table 1)</source>
        <translation>C_forward = 2N + 2 n_layer n_ctx d_attn（Kaplan et al. 2020，表 1）</translation>
    </message>
    <message>
        <source>N leaves out the embedding tables (token, position, segment) and the pooler, and counts a shared layer once per use; with_output_layer adds the 2·d·V of the vocabulary projection, which the formula leaves out. For T5, n_layer counts attention sub-layers (encoder self, decoder self and cross) and a token is counted through both stacks.</source>
        <translation>N 不含嵌入表（词元、位置、段）和池化层，共享的层按使用次数计；with_output_layer 另加词表投影的 2·d·V，公式本身不含这一项。对 T5，n_layer 计的是注意力子层（编码器自注意力、解码器自注意力和交叉注意力），一个词元要经过两个堆栈。</translation>
    </message>
    <message>
        <source>N leaves out the embedding tables (token, position, segment) and the pooler, and counts a shared layer once per use; with_output_layer adds the 2·d·V of the vocabulary projection, which the formula leaves out. Attention is taken at full context n_ctx, as the formula does.</source>
        <translation>N 不含嵌入表（词元、位置、段）和池化层，共享的层按使用次数计；with_output_layer 另加词表投影的 2·d·V，公式本身不含这一项。注意力按满上下文 n_ctx 计算，与公式一致。</translation>
    </message>
    <message>
        <source>N leaves out the embedding tables (token, position, segment) and the pooler, and counts a shared layer once per use; with_output_layer adds the 2·d·V of the vocabulary projection, which the formula leaves out.</source>
        <translation>N 不含嵌入表（词元、位置、段）和池化层，共享的层按使用次数计；with_output_layer 另加词表投影的 2·d·V，公式本身不含这一项。</translation>
    </message>
    <message>
        <source>514 position rows: positions start after the padding index 1, so 512 usable.</source>
        <translation>514 行位置嵌入：位置从填充索引 1 之后开始，所以可用 512 个。</translation>
    </message>
    <message>
        <source>BERT-BASE with a character-level Chinese WordPiece vocabulary of 21128 entries. No package ships that vocabulary: this preset reads text with the app&apos;s own small trained Chinese WordPiece, whose ids are not the released ones.</source>
        <translation>BERT-BASE，配 21128 项的字级中文 WordPiece 词表。没有软件包附带这份词表：此预设用本应用自己训练的小型中文 WordPiece 读入文本，其编号与发布版不同。</translation>
    </message>
    <message>
        <source>ChatGLM-6B (ChatGLM-1) is GLM&apos;s architecture with 2D positions carried by RoPE (no position tables), GeLU FFN 16384, LayerNorm before each sub-layer (with a (2N)^0.5 residual scale) and an LM head tied to word_embeddings. No reference class exists and this app&apos;s GLM class has learned position tables: its count is analytic, from the released checkpoint&apos;s tensor names and shapes.</source>
        <translation>ChatGLM-6B（ChatGLM-1）是 GLM 架构：二维位置由 RoPE 表示（没有位置表），GeLU 前馈网络 16384，每个子层前有 LayerNorm（残差乘以 (2N)^0.5），LM 头与 word_embeddings 绑定。没有参考实现类，而本应用的 GLM 类用的是学习得到的位置表：因此它的参数量按发布的检查点中张量的名称和形状解析计算。</translation>
    </message>
    <message>
        <source>ChatGLM2: RoPE on half of each head, SwiGLU, RMSNorm, multi-query attention with 2 key/value groups, q/k/v biases; output layer not tied; 32K context.</source>
        <translation>ChatGLM2：RoPE 只作用于每个头的一半维度，SwiGLU，RMSNorm，2 组键/值的多查询注意力，q/k/v 带偏置；输出层不绑定；32K 上下文。</translation>
    </message>
    <message>
        <source>ChatGLM3: ChatGLM2&apos;s architecture (same parameter count) with 8K context and a new prompt format.</source>
        <translation>ChatGLM3：沿用 ChatGLM2 的架构（参数量相同），8K 上下文，新的提示格式。</translation>
    </message>
    <message>
        <source>English GLM-10B: GPT-2 BPE plus GLM&apos;s special tokens, padded to 50304 (glm-10b-chinese has 50048). Two learned position tables of max_sequence_length + 1 rows (2D positions); pre-norm order of the released code; LM head tied to the token embeddings.</source>
        <translation>英文 GLM-10B：GPT-2 的 BPE 加上 GLM 的特殊词元，填充到 50304（glm-10b-chinese 为 50048）。两张学习得到的位置表，各 max_sequence_length + 1 行（二维位置）；采用发布代码中的前置归一化顺序；LM 头与词嵌入绑定。</translation>
    </message>
    <message>
        <source>GLM-130B: DeepNorm (post-norm with a (2N)^0.5-scaled residual), RoPE for positions and a GeGLU feed-forward (dense_h_to_4h of 2 x 32768: gate | up). This app&apos;s GLM class has DeepNorm but cannot express GeGLU or RoPE (it has a learned position table and a plain GeLU FFN), so the count is analytic, from the released tensor layout; the class&apos;s own count for this config is shown beside it. 128.7B computed (output layer tied to the word embeddings) vs the stated 130B; a separate output layer would add 1.85B.</source>
        <translation>GLM-130B：DeepNorm（残差乘以 (2N)^0.5 的后置归一化），位置用 RoPE，前馈网络为 GeGLU（dense_h_to_4h 为 2 × 32768：门控 | 上投影）。本应用的 GLM 类有 DeepNorm，但表达不了 GeGLU 和 RoPE（它用学习得到的位置表和普通的 GeLU 前馈网络），所以参数量按发布的张量布局解析计算；该类对此配置自己的计数显示在旁边。计算得 128.7B（输出层与词嵌入绑定），所述为 130B；若有单独的输出层，会再多 1.85B。</translation>
    </message>
    <message>
        <source>Hidden 768 and FFN 3072 (the chapter&apos;s table swaps the two). Post-norm, LM head tied.</source>
        <translation>隐藏层 768，FFN 3072（章节中的表把两者写反了）。后置归一化，LM 头绑定。</translation>
    </message>
    <message>
        <source>No weights were released: the numbers are the paper&apos;s. Sparse (banded) layers have the same parameters as dense ones, so the count does not depend on the attention pattern.</source>
        <translation>没有发布权重：数字取自论文。稀疏（带状）层与稠密层的参数相同，因此计数与注意力模式无关。</translation>
    </message>
    <message>
        <source>One layer&apos;s parameters shared by all layers (num_hidden_groups=1); E=128.</source>
        <translation>所有层共用一层的参数（num_hidden_groups=1）；E=128。</translation>
    </message>
    <message>
        <source>Pre-norm with a final LayerNorm; FFN 4 x n_embd; LM head tied to wte.</source>
        <translation>前置归一化，最后有一个 LayerNorm；FFN 为 4 × n_embd；LM 头与“wte”绑定。</translation>
    </message>
    <message>
        <source>Released April 2024 (not 2023, as the chapter says); 128K-token tiktoken vocabulary, RoPE base 500000; GQA with 8 key/value heads.</source>
        <translation>2024 年 4 月发布（不是章节所说的 2023 年）；128K 词元的“tiktoken”词表，RoPE 基数 500000；GQA，8 个键/值头。</translation>
    </message>
    <message>
        <source>Released February 2023; context 2048, full multi-head attention.</source>
        <translation>2023 年 2 月发布；上下文 2048，完整的多头注意力。</translation>
    </message>
    <message>
        <source>Released July 2023; context 4096.</source>
        <translation>2023 年 7 月发布；上下文 4096。</translation>
    </message>
    <message>
        <source>Released July 2023; context 4096; grouped-query attention, 8 key/value heads for 64 query heads.</source>
        <translation>2023 年 7 月发布；上下文 4096；分组查询注意力，64 个查询头共用 8 个键/值头。</translation>
    </message>
    <message>
        <source>Released July 2024; 128K context by &apos;llama3&apos; RoPE scaling (factor 8 over 8192); GQA with 8 key/value heads for 128 query heads.</source>
        <translation>2024 年 7 月发布；借助“llama3”RoPE 缩放达到 128K 上下文（在 8192 基础上放大 8 倍）；GQA，128 个查询头共用 8 个键/值头。</translation>
    </message>
    <message>
        <source>T5 1.0: ReLU feed-forward; the LM head is the shared embedding table (tied). Heads x d_kv = {product} differs from d_model = {d_model}: T5 allows it.</source>
        <translation>T5 1.0：ReLU 前馈网络；LM 头就是共享的嵌入表（绑定）。头数 × d_kv = {product}，与 d_model = {d_model} 不同：T5 允许这样。</translation>
    </message>
    <message>
        <source>T5 1.0: ReLU feed-forward; the LM head is the shared embedding table (tied).</source>
        <translation>T5 1.0：ReLU 前馈网络；LM 头就是共享的嵌入表（绑定）。</translation>
    </message>
    <message>
        <source>T5 v1.1: gated-GELU feed-forward (wi_0, wi_1, wo) and an LM head of its own (not tied); pre-trained on C4 only. Heads x d_kv = {product} differs from d_model = {d_model}: T5 allows it.</source>
        <translation>T5 v1.1：门控 GELU 前馈网络（“wi_0”“wi_1”“wo”），LM 头独立（不绑定）；只在 C4 上预训练。头数 × d_kv = {product}，与 d_model = {d_model} 不同：T5 允许这样。</translation>
    </message>
    <message>
        <source>T5 v1.1: gated-GELU feed-forward (wi_0, wi_1, wo) and an LM head of its own (not tied); pre-trained on C4 only.</source>
        <translation>T5 v1.1：门控 GELU 前馈网络（“wi_0”“wi_1”“wo”），LM 头独立（不绑定）；只在 C4 上预训练。</translation>
    </message>
    <message>
        <source>Table 2.1 lists d_model 2048 with 24 heads of d_head 128, which do not multiply out (24 x 128 = 3072). We keep d_model 2048, which gives the stated 1.3B, and use 16 heads of 128 (= 2048); the head count does not change the parameter count. No weights were released: the numbers are the paper&apos;s. Sparse (banded) layers have the same parameters as dense ones, so the count does not depend on the attention pattern.</source>
        <translation>表 2.1 列出 d_model 2048、24 个头、d_head 128，三者乘不上（24 × 128 = 3072）。这里保留 d_model 2048（得到所述的 1.3B），用 16 个 128 维的头（= 2048）；头数不影响参数量。没有发布权重：数字取自论文。稀疏（带状）层与稠密层的参数相同，因此计数与注意力模式无关。</translation>
    </message>
    <message>
        <source>Table 2.1 lists d_model 5140 with 40 heads of d_head 128 (40 x 128 = 5120). We use 5120, the product of the stated heads: it gives 12.85B; d_model 5140 (not divisible by 40 heads) would give 12.95B. The paper rounds either to 13.0B. No weights were released: the numbers are the paper&apos;s. Sparse (banded) layers have the same parameters as dense ones, so the count does not depend on the attention pattern.</source>
        <translation>表 2.1 列出 d_model 5140、40 个头、d_head 128（40 × 128 = 5120）。这里用 5120，即所述头数的乘积：得到 12.85B；d_model 5140（不能被 40 个头整除）会得到 12.95B。论文把两者都取整为 13.0B。没有发布权重：数字取自论文。稀疏（带状）层与稠密层的参数相同，因此计数与注意力模式无关。</translation>
    </message>
</context>
<context>
    <name>param_table</name>
    <message>
        <source>{count} ≈ {human}, {share} of the total</source>
        <translation>{count} ≈ {human}，占总数的 {share}</translation>
    </message>
</context>
<context>
    <name>params</name>
    <message>
        <source>Components</source>
        <translation>组件</translation>
    </message>
    <message>
        <source>Memory &amp;&amp; compute</source>
        <translation>内存与计算</translation>
    </message>
    <message>
        <source>ALBERT&apos;s savings</source>
        <translation>ALBERT 的节省</translation>
    </message>
    <message>
        <source>Scaling</source>
        <translation>规模</translation>
    </message>
    <message>
        <source>Config editor</source>
        <translation>配置编辑器</translation>
    </message>
    <message>
        <source>ALBERT vs BERT</source>
        <translation>ALBERT 对比 BERT</translation>
    </message>
    <message>
        <source>one of each</source>
        <translation>每族一个</translation>
    </message>
    <message>
        <source>{family} ({group})</source>
        <translation>{family}（{group}）</translation>
    </message>
    <message>
        <source>yes</source>
        <translation>是</translation>
    </message>
    <message>
        <source>no</source>
        <translation>否</translation>
    </message>
    <message>
        <source>(too large to run here: counted on the meta device)</source>
        <translation>（太大，无法在本机运行：在“meta”设备上计数）</translation>
    </message>
    <message>
        <source>filter presets…</source>
        <translation>筛选预设…</translation>
    </message>
    <message>
        <source>&lt;b&gt;Presets to compare&lt;/b&gt; (any size: large ones are counted on the meta device, never allocated)</source>
        <translation>&lt;b&gt;要比较的预设&lt;/b&gt;（任意大小：大模型在“meta”设备上计数，从不真正分配内存）</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>清空</translation>
    </message>
    <message>
        <source>Something went wrong: {message}</source>
        <translation>出错了：{message}</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>whole model</source>
        <translation>整个模型</translation>
    </message>
    <message>
        <source>one layer of each stack</source>
        <translation>每个堆栈的一层</translation>
    </message>
    <message>
        <source>scale</source>
        <translation>刻度</translation>
    </message>
    <message>
        <source>auto (log when sizes differ over {times}×)</source>
        <translation>自动（大小相差超过 {times} 倍时用对数）</translation>
    </message>
    <message>
        <source>linear</source>
        <translation>线性</translation>
    </message>
    <message>
        <source>log</source>
        <translation>对数</translation>
    </message>
    <message>
        <source>the engine&apos;s own breakdown keys</source>
        <translation>引擎自己的分项</translation>
    </message>
    <message>
        <source>Tick presets on the left (or a quick pick) to compare them.</source>
        <translation>在左侧勾选预设（或用快捷选择）来比较。</translation>
    </message>
    <message>
        <source>tied</source>
        <translation>绑定</translation>
    </message>
    <message>
        <source>Parameters by component: whole model</source>
        <translation>各组件参数量：整个模型</translation>
    </message>
    <message>
        <source>Parameters by component: one layer of each stack</source>
        <translation>各组件参数量：每个堆栈的一层</translation>
    </message>
    <message>
        <source>parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <source>Log scale: each bar&apos;s length is its total; a segment&apos;s length is not its share (read the table, or hover a segment).</source>
        <translation>对数刻度：条的长度表示总数；各段的长度不代表占比（请看表格，或把鼠标移到段上）。</translation>
    </message>
    <message>
        <source>weights at fp32 / fp16 / int8</source>
        <translation>fp32 / fp16 / int8 权重</translation>
    </message>
    <message>
        <source>KV cache at full context: MHA / this model / MQA</source>
        <translation>满上下文的 KV 缓存：MHA / 本模型 / MQA</translation>
    </message>
    <message>
        <source>forward FLOPs per token</source>
        <translation>每个词元的前向 FLOPs</translation>
    </message>
    <message>
        <source>Chart</source>
        <translation>图表</translation>
    </message>
    <message>
        <source>Tick presets on the left to see their memory and compute.</source>
        <translation>在左侧勾选预设，查看它们的内存与计算量。</translation>
    </message>
    <message>
        <source>bytes of weights</source>
        <translation>权重字节数</translation>
    </message>
    <message>
        <source>MHA (one kv head per query head)</source>
        <translation>MHA（每个查询头一个 KV 头）</translation>
    </message>
    <message>
        <source>this model</source>
        <translation>本模型</translation>
    </message>
    <message>
        <source>MQA (one kv head)</source>
        <translation>MQA（只有一个 KV 头）</translation>
    </message>
    <message>
        <source>{name} (encoder: none)</source>
        <translation>{name}（编码器：无）</translation>
    </message>
    <message>
        <source>bytes of keys and values at full context (fp16)</source>
        <translation>满上下文时键和值的字节数（fp16）</translation>
    </message>
    <message>
        <source>ALBERT size</source>
        <translation>ALBERT 尺寸</translation>
    </message>
    <message>
        <source>share layers</source>
        <translation>跨层共享参数</translation>
    </message>
    <message>
        <source>num_hidden_groups = 1: one set of layer parameters used by every layer; off: num_hidden_groups = num_hidden_layers (one set per layer, as BERT)</source>
        <translation>num_hidden_groups = 1：所有层共用一套层参数；关闭：num_hidden_groups = num_hidden_layers（每层一套，与 BERT 相同）</translation>
    </message>
    <message>
        <source>factorise embeddings</source>
        <translation>分解词嵌入</translation>
    </message>
    <message>
        <source>V × E + E × H instead of V × H; off: embedding_size = hidden_size</source>
        <translation>用 V × E + E × H 代替 V × H；关闭：embedding_size = hidden_size</translation>
    </message>
    <message>
        <source>Parameters ({e}): they shrink</source>
        <translation>参数量（{e}）：大幅减少</translation>
    </message>
    <message>
        <source>Forward FLOPs per token: they do not</source>
        <translation>每个词元的前向 FLOPs：几乎不变</translation>
    </message>
    <message>
        <source>ALBERT with neither switch still has its E → H projection (H × H + H): that is what separates it from BERT of the same shape.</source>
        <translation>两个开关都关闭时，ALBERT 仍保留 E → H 投影（H × H + H），这正是它与同形状 BERT 的差别。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Sharing on&lt;/b&gt;: {depth} layers use {sets} set of {each}, saving {saved} parameters.</source>
        <translation>&lt;b&gt;共享开启&lt;/b&gt;：{depth} 层共用 {sets} 组参数（每组 {each} 个），省下 {saved} 个参数。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Sharing off&lt;/b&gt;: {sets} sets, one per layer.</source>
        <translation>&lt;b&gt;共享关闭&lt;/b&gt;：{sets} 组参数，每层一组。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Factorised&lt;/b&gt;: V × E + E × H = {factorised} instead of V × H = {full}, {saving} smaller (the notes say about 80%).</source>
        <translation>&lt;b&gt;分解开启&lt;/b&gt;：V × E + E × H = {factorised}，而 V × H = {full}，减少 {saving}（笔记说约 80%）。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Not factorised&lt;/b&gt;: E = H, the embedding is V × H (plus an H × H projection).</source>
        <translation>&lt;b&gt;未分解&lt;/b&gt;：E = H，嵌入为 V × H（另有一个 H × H 投影）。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Trade-off&lt;/b&gt;: {params} parameters = {ratio} of BERT&apos;s {bert}, but forward FLOPs per token {flops} = {flops_ratio} of BERT&apos;s: the shared layer still runs {depth} times.</source>
        <translation>&lt;b&gt;代价&lt;/b&gt;：参数 {params} 个，是 BERT（{bert}）的 {ratio}；但每个词元的前向 FLOPs 为 {flops}，是 BERT 的 {flops_ratio}：共享的层仍要运行 {depth} 次。</translation>
    </message>
    <message>
        <source>Series</source>
        <translation>系列</translation>
    </message>
    <message>
        <source>over</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>log scale</source>
        <translation>对数刻度</translation>
    </message>
    <message>
        <source>&lt;b&gt;Where the study notes differ.&lt;/b&gt; Their GPT table swaps hidden size and FFN size (cells in red below). They date LLaMA-3 to {notes_date}; it was released in &lt;b&gt;{actual_date}&lt;/b&gt; ({source}).</source>
        <translation>&lt;b&gt;笔记与原始资料不一致之处。&lt;/b&gt;笔记的 GPT 表把隐藏层大小和 FFN 大小写反了（下方红色单元格）。笔记把 LLaMA-3 的发布时间写成 {notes_date}，实际是 &lt;b&gt;{actual_date}&lt;/b&gt;（{source}）。</translation>
    </message>
    <message>
        <source>no token count stated</source>
        <translation>未给出词元数</translation>
    </message>
    <message>
        <source>(stated {figure})</source>
        <translation>（所述 {figure}）</translation>
    </message>
    <message>
        <source>{series}: {quantity}</source>
        <translation>{series}：{quantity}</translation>
    </message>
    <message>
        <source>Training tokens: {sources}</source>
        <translation>训练词元数来源：{sources}</translation>
    </message>
    <message>
        <source>Start from</source>
        <translation>从预设开始</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <source>Run this model in the step-through (random weights)</source>
        <translation>在“逐步查看”页中运行此模型（随机权重）</translation>
    </message>
    <message>
        <source>config.json: {field} (preset: {value})</source>
        <translation>config.json：{field}（预设值：{value}）</translation>
    </message>
    <message>
        <source>auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>Source: {source}</source>
        <translation>来源：{source}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Cannot be built:&lt;/b&gt; {problems}</source>
        <translation>&lt;b&gt;无法构建：&lt;/b&gt;{problems}</translation>
    </message>
    <message>
        <source>Preset and edited, by component</source>
        <translation>预设与编辑后，按组件</translation>
    </message>
    <message>
        <source>Fix the configuration first.</source>
        <translation>请先修正配置。</translation>
    </message>
    <message>
        <source>Too large to random-initialise here: {need} of fp32 weights, {free} free.</source>
        <translation>太大，无法在本机随机初始化：fp32 权重需 {need}，空闲 {free}。</translation>
    </message>
    <message>
        <source>It fits ({need} at fp32), but random-initialising {count} parameters takes a while (in the background; Cancel discards it).</source>
        <translation>放得下（fp32 需 {need}），但随机初始化 {count} 个参数要一段时间（在后台进行；点“取消”即放弃）。</translation>
    </message>
    <message>
        <source>Opens {name} in the step-through with seeded random weights ({need} at fp32).</source>
        <translation>在“逐步查看”页中以固定随机种子的随机权重打开 {name}（fp32 需 {need}）。</translation>
    </message>
    <message>
        <source>No preset called {names} (`python -m engine presets` lists them).</source>
        <translation>没有名为 {names} 的预设（`python -m engine presets` 可列出全部）。</translation>
    </message>
    <message>
        <source>Export table as CSV…</source>
        <translation>导出表格为 CSV…</translation>
    </message>
    <message>
        <source>Chart as PNG…</source>
        <translation>导出图表为 PNG…</translation>
    </message>
    <message>
        <source>Chart as SVG…</source>
        <translation>导出图表为 SVG…</translation>
    </message>
    <message>
        <source>This panel has no chart.</source>
        <translation>此面板没有图表。</translation>
    </message>
    <message>
        <source>Nothing to export yet.</source>
        <translation>还没有可导出的内容。</translation>
    </message>
    <message>
        <source>Export table as CSV</source>
        <translation>导出表格为 CSV</translation>
    </message>
    <message>
        <source>Export chart as {kind}</source>
        <translation>导出图表为 {kind}</translation>
    </message>
    <message>
        <source>No preset called {name} to edit.</source>
        <translation>没有名为 {name} 的预设可编辑。</translation>
    </message>
</context>
<context>
    <name>params_model</name>
    <message>
        <source>token embeddings</source>
        <translation>词嵌入</translation>
    </message>
    <message>
        <source>embeddings.token (V × H, or V × E in ALBERT)</source>
        <translation>embeddings.token（V × H；ALBERT 中为 V × E）</translation>
    </message>
    <message>
        <source>position embeddings</source>
        <translation>位置嵌入</translation>
    </message>
    <message>
        <source>embeddings.position, GLM&apos;s embeddings.block_position, T5&apos;s relative position bias</source>
        <translation>embeddings.position、GLM 的 embeddings.block_position、T5 的相对位置偏置</translation>
    </message>
    <message>
        <source>segment embeddings</source>
        <translation>段嵌入</translation>
    </message>
    <message>
        <source>embeddings.segment (token types)</source>
        <translation>embeddings.segment（词元类型）</translation>
    </message>
    <message>
        <source>embedding projection E→H</source>
        <translation>嵌入投影 E→H</translation>
    </message>
    <message>
        <source>embeddings.projection: ALBERT&apos;s E × H + H</source>
        <translation>embeddings.projection：ALBERT 的 E × H + H</translation>
    </message>
    <message>
        <source>attention q</source>
        <translation>注意力 q</translation>
    </message>
    <message>
        <source>*.attn.q (weights and biases)</source>
        <translation>*.attn.q（权重和偏置）</translation>
    </message>
    <message>
        <source>attention k</source>
        <translation>注意力 k</translation>
    </message>
    <message>
        <source>attention v</source>
        <translation>注意力 v</translation>
    </message>
    <message>
        <source>attention o</source>
        <translation>注意力 o</translation>
    </message>
    <message>
        <source>*.attn.o (output projection)</source>
        <translation>*.attn.o（输出投影）</translation>
    </message>
    <message>
        <source>cross-attention q/k/v/o</source>
        <translation>交叉注意力 q/k/v/o</translation>
    </message>
    <message>
        <source>decoder.cross_attn.* (T5)</source>
        <translation>decoder.cross_attn.*（T5）</translation>
    </message>
    <message>
        <source>FFN</source>
        <translation>前馈网络 FFN</translation>
    </message>
    <message>
        <source>*.mlp.* (in / gate / up / out)</source>
        <translation>*.mlp.in、*.mlp.gate、*.mlp.up、*.mlp.out（输入 / 门控 / 上投影 / 输出）</translation>
    </message>
    <message>
        <source>norms</source>
        <translation>归一化</translation>
    </message>
    <message>
        <source>embeddings.norm, each layer&apos;s norms, the final norm</source>
        <translation>embeddings.norm、每层的归一化、最后的归一化</translation>
    </message>
    <message>
        <source>pooler</source>
        <translation>池化层</translation>
    </message>
    <message>
        <source>pooler ([CLS] dense + tanh)</source>
        <translation>池化层：[CLS] 上的全连接层 + 双曲正切激活</translation>
    </message>
    <message>
        <source>heads</source>
        <translation>头数</translation>
    </message>
    <message>
        <source>heads.* (MLM, NSP, SOP, LM, classifier)</source>
        <translation>heads.mlm、heads.nsp 等输出头（MLM、NSP、SOP、LM、分类器）</translation>
    </message>
    <message>
        <source>output heads</source>
        <translation>输出头</translation>
    </message>
    <message>
        <source>other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>anything else</source>
        <translation>其余一切</translation>
    </message>
    <message>
        <source>{head} head&apos;s output weight is the token embedding table ({owner}), counted once</source>
        <translation>{head} 头的输出权重就是词嵌入表（{owner}），只计一次</translation>
    </message>
    <message>
        <source>encoder</source>
        <translation>编码器</translation>
    </message>
    <message>
        <source>decoder</source>
        <translation>解码器</translation>
    </message>
    <message>
        <source>+ tied</source>
        <translation>+ 绑定</translation>
    </message>
    <message>
        <source>one layer</source>
        <translation>每层</translation>
    </message>
    <message>
        <source>layers (uses)</source>
        <translation>层数（使用次数）</translation>
    </message>
    <message>
        <source>parameter sets</source>
        <translation>参数组数</translation>
    </message>
    <message>
        <source>all layers (counted once)</source>
        <translation>全部层（共享的只计一次）</translation>
    </message>
    <message>
        <source>layer 1 also has</source>
        <translation>第 1 层另有</translation>
    </message>
    <message>
        <source>total (body, no heads)</source>
        <translation>总数（主体，不含输出头）</translation>
    </message>
    <message>
        <source>total with heads</source>
        <translation>总数（含输出头）</translation>
    </message>
    <message>
        <source>stated (paper / model card)</source>
        <translation>所述（论文 / 模型卡）</translation>
    </message>
    <message>
        <source>counted analytically; this app&apos;s {module_class} would build {count}</source>
        <translation>按发布的张量解析计数；本应用的 {module_class} 会得到 {count}</translation>
    </message>
    <message>
        <source>one layer of each stack</source>
        <translation>每个堆栈的一层</translation>
    </message>
    <message>
        <source>whole model</source>
        <translation>整个模型</translation>
    </message>
    <message>
        <source>component</source>
        <translation>组件</translation>
    </message>
    <message>
        <source>unknown</source>
        <translation>未知</translation>
    </message>
    <message>
        <source>no (free {free})</source>
        <translation>放不下（空闲 {free}）</translation>
    </message>
    <message>
        <source>yes, even fp32 (free {free})</source>
        <translation>可以，fp32 也行（空闲 {free}）</translation>
    </message>
    <message>
        <source>only {dtypes} (free {free})</source>
        <translation>仅 {dtypes}（空闲 {free}）</translation>
    </message>
    <message>
        <source>parameters</source>
        <translation>参数量</translation>
    </message>
    <message>
        <source>weights fp32</source>
        <translation>权重 fp32</translation>
    </message>
    <message>
        <source>fits CPU memory?</source>
        <translation>CPU 内存放得下？</translation>
    </message>
    <message>
        <source>fits GPU memory?</source>
        <translation>GPU 显存放得下？</translation>
    </message>
    <message>
        <source>attention (kv / q heads)</source>
        <translation>注意力（KV 头 / 查询头）</translation>
    </message>
    <message>
        <source>KV cache per token (fp16)</source>
        <translation>每个词元的 KV 缓存（fp16）</translation>
    </message>
    <message>
        <source>KV at full context</source>
        <translation>满上下文的 KV</translation>
    </message>
    <message>
        <source>… with MHA</source>
        <translation>… 若用 MHA</translation>
    </message>
    <message>
        <source>… with MQA</source>
        <translation>… 若用 MQA</translation>
    </message>
    <message>
        <source>forward FLOPs / token</source>
        <translation>每个词元的前向 FLOPs</translation>
    </message>
    <message>
        <source>… with output layer</source>
        <translation>… 含输出层</translation>
    </message>
    <message>
        <source>encoder: no KV cache</source>
        <translation>编码器：无 KV 缓存</translation>
    </message>
    <message>
        <source>no GPU here</source>
        <translation>本机无 GPU</translation>
    </message>
    <message>
        <source>{formula} = 2 × {layers} × {kv_heads} × {head_dim} × 2 bytes</source>
        <translation>{formula} = 2 × {layers} × {kv_heads} × {head_dim} × 2 字节</translation>
    </message>
    <message>
        <source>Weights only (no activations, no optimizer); &apos;fits&apos; leaves a fifth spare, as the loader&apos;s check does. KV cache: 2 (K and V) × layers × kv_heads × head_dim × 2 bytes per token; GQA and MQA share key/value heads between query heads, which is what they save.</source>
        <translation>只算权重（不含激活值和优化器状态）；“放得下”留出五分之一余量，与加载器的检查一致。KV 缓存：每个词元 2（K 和 V）× 层数 × kv_heads × head_dim × 2 字节；GQA 和 MQA 让多个查询头共用键/值头，省下的正是这部分。</translation>
    </message>
    <message>
        <source>memory and compute</source>
        <translation>内存与计算</translation>
    </message>
    <message>
        <source>preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <source>about 80%</source>
        <translation>约 80%</translation>
    </message>
    <message>
        <source>ALBERT: shared + factorised</source>
        <translation>ALBERT：共享 + 分解</translation>
    </message>
    <message>
        <source>shared layers only</source>
        <translation>只共享层</translation>
    </message>
    <message>
        <source>factorised embedding only</source>
        <translation>只分解嵌入</translation>
    </message>
    <message>
        <source>neither (one set per layer, V × H)</source>
        <translation>都不用：每层一套，V × H</translation>
    </message>
    <message>
        <source>saving</source>
        <translation>节省</translation>
    </message>
    <message>
        <source>the notes say</source>
        <translation>笔记所说</translation>
    </message>
    <message>
        <source>The saving grows with H: the notes&apos; &apos;about 80%&apos; holds for base (83%); large, xlarge and xxlarge save more. Counted without the projection&apos;s bias (H).</source>
        <translation>节省随 H 增大：笔记的“约 80%”只对 base 大致成立（83%）；large、xlarge、xxlarge 省得更多。计算时不含投影层的偏置（H 个）。</translation>
    </message>
    <message>
        <source>embedding saving per ALBERT size</source>
        <translation>各 ALBERT 尺寸的嵌入节省</translation>
    </message>
    <message>
        <source>ALBERT (as switched)</source>
        <translation>ALBERT（按开关）</translation>
    </message>
    <message>
        <source>{sets} × {each} ({depth} uses)</source>
        <translation>{sets} × {each}（使用 {depth} 次）</translation>
    </message>
    <message>
        <source>layers, counted once</source>
        <translation>各层（只计一次）</translation>
    </message>
    <message>
        <source>parameter sets × each</source>
        <translation>参数组 × 每组</translation>
    </message>
    <message>
        <source>total (body)</source>
        <translation>总数（主体）</translation>
    </message>
    <message>
        <source>forward FLOPs per token</source>
        <translation>每个词元的前向 FLOPs</translation>
    </message>
    <message>
        <source>weights at {dtype}</source>
        <translation>{dtype} 权重</translation>
    </message>
    <message>
        <source>ALBERT beside BERT</source>
        <translation>ALBERT 与 BERT 对照</translation>
    </message>
    <message>
        <source>count</source>
        <translation>计数</translation>
    </message>
    <message>
        <source>Brown et al. 2020, Table 2.1 caption and section 2.2: every size trained on 300 billion tokens</source>
        <translation>Brown et al. 2020，表 2.1 的说明及 2.2 节：每个尺寸都训练了 3000 亿个词元</translation>
    </message>
    <message>
        <source>Touvron et al. 2023a, Table 2</source>
        <translation>Touvron et al. 2023a，表 2</translation>
    </message>
    <message>
        <source>Touvron et al. 2023b, Table 1</source>
        <translation>Touvron et al. 2023b，表 1</translation>
    </message>
    <message>
        <source>Meta, Llama 3 model card (April 2024): over 15T tokens</source>
        <translation>Meta，Llama 3 模型卡（2024 年 4 月）：超过 15T 词元</translation>
    </message>
    <message>
        <source>about 15T</source>
        <translation>约 15T</translation>
    </message>
    <message>
        <source>Llama Team 2024, The Llama 3 Herd of Models: about 15T tokens</source>
        <translation>Llama 团队 2024，“The Llama 3 Herd of Models”：约 15T 词元</translation>
    </message>
    <message>
        <source>about 1T</source>
        <translation>约 1T</translation>
    </message>
    <message>
        <source>Raffel et al. 2019, section 3.7: 1M steps of 2^11 × 512 tokens, about 1 trillion</source>
        <translation>Raffel et al. 2019，3.7 节：1M 步，每步 2^11 × 512 个词元，约 1 万亿</translation>
    </message>
    <message>
        <source>Radford et al. 2018 give no token count (BooksCorpus)</source>
        <translation>Radford et al. 2018 未给出词元数（BooksCorpus）</translation>
    </message>
    <message>
        <source>Radford et al. 2019 give no token count (WebText, 40 GB of text)</source>
        <translation>Radford et al. 2019 未给出词元数（WebText，40 GB 文本）</translation>
    </message>
    <message>
        <source>T5 v1.1 came after the paper (C4 only); no token count stated</source>
        <translation>T5 v1.1 在论文之后发布（只用 C4）；未给出词元数</translation>
    </message>
    <message>
        <source>not stated</source>
        <translation>未说明</translation>
    </message>
    <message>
        <source>Feb 2023</source>
        <translation>2023 年 2 月</translation>
    </message>
    <message>
        <source>Jul 2023</source>
        <translation>2023 年 7 月</translation>
    </message>
    <message>
        <source>Apr 2024</source>
        <translation>2024 年 4 月</translation>
    </message>
    <message>
        <source>Meta, 18 April 2024 (the notes say 2023)</source>
        <translation>Meta，2024 年 4 月 18 日（笔记写作 2023 年）</translation>
    </message>
    <message>
        <source>Jul 2024</source>
        <translation>2024 年 7 月</translation>
    </message>
    <message>
        <source>Llama Team 2024</source>
        <translation>Llama 团队 2024</translation>
    </message>
    <message>
        <source>google-research/text-to-text-transfer-transformer (released checkpoints, after the paper)</source>
        <translation>google-research/text-to-text-transfer-transformer（论文之后发布的检查点）</translation>
    </message>
    <message>
        <source>T5 sizes</source>
        <translation>T5 各尺寸</translation>
    </message>
    <message>
        <source>all of them</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>layers</source>
        <translation>层数</translation>
    </message>
    <message>
        <source>width (hidden size)</source>
        <translation>宽度（隐藏层大小）</translation>
    </message>
    <message>
        <source>FFN size</source>
        <translation>FFN 大小</translation>
    </message>
    <message>
        <source>attention heads</source>
        <translation>注意力头数</translation>
    </message>
    <message>
        <source>key/value heads</source>
        <translation>键/值头数</translation>
    </message>
    <message>
        <source>context (tokens)</source>
        <translation>上下文（词元）</translation>
    </message>
    <message>
        <source>vocabulary</source>
        <translation>词表大小</translation>
    </message>
    <message>
        <source>training tokens</source>
        <translation>训练词元数</translation>
    </message>
    <message>
        <source>generation</source>
        <translation>代</translation>
    </message>
    <message>
        <source>released</source>
        <translation>发布</translation>
    </message>
    <message>
        <source>stated</source>
        <translation>所述</translation>
    </message>
    <message>
        <source>width</source>
        <translation>宽度</translation>
    </message>
    <message>
        <source>kv heads</source>
        <translation>KV 头数</translation>
    </message>
    <message>
        <source>context</source>
        <translation>上下文</translation>
    </message>
    <message>
        <source>tokens: source</source>
        <translation>词元数来源</translation>
    </message>
    <message>
        <source>config: source</source>
        <translation>配置来源</translation>
    </message>
    <message>
        <source>Parameters are counted here (engine.params, each tensor once); &apos;stated&apos; is the paper&apos;s or model card&apos;s figure. T5&apos;s layers are encoder + decoder; its context is the 512 tokens it was trained on (relative positions have no hard limit). A token count is left out where the paper gives none.</source>
        <translation>参数量由本应用计数（engine.params，每个张量只计一次）；“所述”是论文或模型卡给出的数字。T5 的层数为编码器 + 解码器；上下文是训练时用的 512 个词元（相对位置没有硬上限）。论文没有给出词元数的就留空。</translation>
    </message>
    <message>
        <source>scaling</source>
        <translation>规模</translation>
    </message>
    <message>
        <source>“2023年4月” (April 2023)</source>
        <translation>2023 年 4 月</translation>
    </message>
    <message>
        <source>April 2024</source>
        <translation>2024 年 4 月</translation>
    </message>
    <message>
        <source>Meta, &apos;Introducing Meta Llama 3&apos;, 18 April 2024</source>
        <translation>Meta，“Introducing Meta Llama 3”，2024 年 4 月 18 日</translation>
    </message>
    <message>
        <source>hidden size</source>
        <translation>隐藏层大小</translation>
    </message>
    <message>
        <source>swapped</source>
        <translation>写反了</translation>
    </message>
    <message>
        <source>the notes swap hidden and FFN size</source>
        <translation>笔记把隐藏层大小和 FFN 大小写反了</translation>
    </message>
    <message>
        <source>{model} in the notes</source>
        <translation>笔记中的 {model}</translation>
    </message>
    <message>
        <source>The study notes&apos; GPT table heads its columns &apos;Hidden_size&apos; and &apos;注意力维度&apos; (attention size): the first holds the FFN size, the second the hidden size. GPT-1 is hidden 768, FFN 3072, 12 heads, 12 layers (Radford et al. 2018, section 4.1). The notes date LLaMA-3 to April 2023; it was released in April 2024.</source>
        <translation>笔记中的 GPT 表把两列标为“Hidden_size”和“注意力维度”：前者其实是 FFN 大小，后者才是隐藏层大小。GPT-1 是隐藏层 768、FFN 3072、12 个头、12 层（Radford et al. 2018，4.1 节）。笔记把 LLaMA-3 的发布时间写成 2023 年 4 月，实际是 2024 年 4 月。</translation>
    </message>
    <message>
        <source>where the notes differ</source>
        <translation>笔记与原始资料不一致之处</translation>
    </message>
    <message>
        <source>row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>{label} (empty: the family&apos;s default)</source>
        <translation>{label}（空：该族的默认值）</translation>
    </message>
    <message>
        <source>layers (encoder, for T5)</source>
        <translation>层数（T5 为编码器层数）</translation>
    </message>
    <message>
        <source>decoder layers (empty: = num_layers)</source>
        <translation>解码器层数（空：= num_layers）</translation>
    </message>
    <message>
        <source>hidden size H</source>
        <translation>隐藏层大小 H</translation>
    </message>
    <message>
        <source>key/value heads (GQA, MQA = 1; empty: = heads)</source>
        <translation>键/值头数（GQA；MQA = 1；空：= 头数）</translation>
    </message>
    <message>
        <source>size of each head</source>
        <translation>每个头的维度</translation>
    </message>
    <message>
        <source>size of each head (empty: H / heads)</source>
        <translation>每个头的维度（空：H / 头数）</translation>
    </message>
    <message>
        <source>FFN size (empty: 4 × H)</source>
        <translation>FFN 大小（空：4 × H）</translation>
    </message>
    <message>
        <source>vocabulary V</source>
        <translation>词表大小 V</translation>
    </message>
    <message>
        <source>embedding size E (ALBERT; = H: not factorised)</source>
        <translation>嵌入大小 E（ALBERT；= H：不分解）</translation>
    </message>
    <message>
        <source>parameter groups (ALBERT; = layers: no sharing)</source>
        <translation>参数组数（ALBERT；= 层数：不共享）</translation>
    </message>
    <message>
        <source>layers in each group (ALBERT)</source>
        <translation>每组的层数（ALBERT）</translation>
    </message>
    <message>
        <source>max positions</source>
        <translation>最大位置数</translation>
    </message>
    <message>
        <source>segment types</source>
        <translation>段类型数</translation>
    </message>
    <message>
        <source>norm placement (GLM)</source>
        <translation>归一化位置（GLM）</translation>
    </message>
    <message>
        <source>2D positions (GLM&apos;s second table)</source>
        <translation>二维位置（GLM 的第二张位置表）</translation>
    </message>
    <message>
        <source>feed-forward (T5)</source>
        <translation>前馈网络（T5）</translation>
    </message>
    <message>
        <source>LM head tied to the embeddings</source>
        <translation>LM 头与嵌入绑定</translation>
    </message>
    <message>
        <source>preset: {name}</source>
        <translation>预设：{name}</translation>
    </message>
    <message>
        <source>edited: cannot be built</source>
        <translation>编辑后：无法构建</translation>
    </message>
    <message>
        <source>change</source>
        <translation>变化</translation>
    </message>
    <message>
        <source>KV cache at full context</source>
        <translation>满上下文的 KV 缓存</translation>
    </message>
    <message>
        <source>fits {device}?</source>
        <translation>{device} 放得下？</translation>
    </message>
    <message>
        <source>config editor</source>
        <translation>配置编辑器</translation>
    </message>
    <message>
        <source>BERT, same shape</source>
        <translation>同形状的 BERT</translation>
    </message>
    <message>
        <source>edited</source>
        <translation>编辑后</translation>
    </message>
</context>
</TS>
