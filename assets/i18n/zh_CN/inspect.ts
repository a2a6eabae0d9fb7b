<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>engine_inspect</name>
    <message>
        <source>{model} has no output head (no MLM or LM head): the logit lens needs the head the model predicts tokens with.</source>
        <translation>{model} 没有输出头（既没有 MLM 头，也没有 LM 头）：logit 透镜需要模型用来预测词元的那个头。</translation>
    </message>
    <message>
        <source>the trace has no layers under {stack} to read with the lens</source>
        <translation>这次运行的记录里，{stack} 下没有可供 logit 透镜读取的层</translation>
    </message>
    <message>
        <source>No [MASK] in the text: every position is read (an MLM head predicts the token at its position).</source>
        <translation>文本中没有 [MASK]：于是读取每个位置（MLM 头预测的是它所在位置上的词元）。</translation>
    </message>
    <message>
        <source>no attention patterns under {stack} in this trace</source>
        <translation>这次运行的记录里，{stack} 下没有注意力权重</translation>
    </message>
    <message>
        <source>no feed-forward steps under {name} in this trace</source>
        <translation>这次运行的记录里，{name} 下没有前馈网络的步骤</translation>
    </message>
    <message>
        <source>{heads} query heads cannot share {kv_heads} key/value heads evenly</source>
        <translation>{heads} 个查询头无法平均分配到 {kv_heads} 个键/值头上</translation>
    </message>
    <message>
        <source>{site} is not an attention layer of {model}</source>
        <translation>{site} 不是 {model} 的注意力层</translation>
    </message>
    <message>
        <source>mask cell ({query}, {key}) is outside the positions</source>
        <translation>掩码单元格 ({query}, {key}) 超出了位置范围</translation>
    </message>
    <message>
        <source>position {position} is outside the {count} tokens</source>
        <translation>位置 {position} 超出了这 {count} 个词元的范围</translation>
    </message>
    <message>
        <source>token id {id} is outside 0..{last}</source>
        <translation>词元编号 {id} 超出了 0..{last} 的范围</translation>
    </message>
    <message>
        <source>positions count from 0</source>
        <translation>位置从 0 开始计数</translation>
    </message>
</context>
<context>
    <name>inspect</name>
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
        <source>self-attention</source>
        <translation>自注意力</translation>
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
        <source>decoder cross-attention</source>
        <translation>解码器交叉注意力</translation>
    </message>
    <message>
        <source>layers</source>
        <translation>各层</translation>
    </message>
    <message>
        <source>zero: the head&apos;s output is 0</source>
        <translation>置零：该头的输出为 0</translation>
    </message>
    <message>
        <source>mean: its mean over the positions</source>
        <translation>均值：取它在各位置上的平均</translation>
    </message>
    <message>
        <source>embeddings</source>
        <translation>嵌入</translation>
    </message>
    <message>
        <source>layer {layer}</source>
        <translation>第 {layer} 层</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>{site} head {head}</source>
        <translation>{site}第 {head} 个头</translation>
    </message>
    <message>
        <source>zeroed: {heads}</source>
        <translation>已置零：{heads}</translation>
    </message>
    <message>
        <source>mean-ablated: {heads}</source>
        <translation>已做均值消融：{heads}</translation>
    </message>
    <message>
        <source>blocked {count} mask cell(s)</source>
        <translation>屏蔽了 {count} 个掩码单元格</translation>
    </message>
    <message>
        <source>replaced {count} token(s)</source>
        <translation>替换了 {count} 个词元</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>no change</source>
        <translation>没有改动</translation>
    </message>
    <message>
        <source>Logit lens</source>
        <translation>logit 透镜</translation>
    </message>
    <message>
        <source>Heads</source>
        <translation>注意力头</translation>
    </message>
    <message>
        <source>Rollout</source>
        <translation>注意力展开</translation>
    </message>
    <message>
        <source>Ablate</source>
        <translation>消融</translation>
    </message>
    <message>
        <source>Demonstrations</source>
        <translation>演示</translation>
    </message>
    <message>
        <source>every position (MLM heads)</source>
        <translation>所有位置（MLM 头）</translation>
    </message>
    <message>
        <source>an MLM head predicts the token at its position: by default only the [MASK]s are read</source>
        <translation>MLM 头预测的是它所在位置上的词元：默认只读取 [MASK] 所在的位置</translation>
    </message>
    <message>
        <source>One row per head. Click a column to sort (a low entropy: a head that looks at few keys; a high share on special tokens: a head parked on [CLS]/[SEP]). Double-click a row to open that head in the step-through.</source>
        <translation>每个头占一行。点击列标题排序（熵低：只看少数几个键的头；特殊词元占比高：停靠在 [CLS]/[SEP] 上的头）。双击一行，在“逐步查看”中打开这个头。</translation>
    </message>
    <message>
        <source>Attention rollout (Abnar &amp; Zuidema 2020): each layer&apos;s heads averaged, half the weight kept on the token itself for the residual path, rows renormalised, multiplied through the layers. Row q: how much of each input token reaches position q.</source>
        <translation>注意力展开（Abnar &amp; Zuidema 2020）：每层的各个头取平均，为残差路径在词元自身上保留一半权重，各行重新归一化，再逐层相乘。第 q 行：每个输入词元有多少到达了位置 q。</translation>
    </message>
    <message>
        <source>after layer </source>
        <translation>经过层数：</translation>
    </message>
    <message>
        <source>Heads to switch off (click; red = off):</source>
        <translation>要关闭的头（点击；红色 = 关闭）：</translation>
    </message>
    <message>
        <source>token </source>
        <translation>词元 </translation>
    </message>
    <message>
        <source>replace it by… (a word; empty: keep)</source>
        <translation>替换为…（留空则不换）</translation>
    </message>
    <message>
        <source>Clear all</source>
        <translation>全部清除</translation>
    </message>
    <message>
        <source>Run with these changes</source>
        <translation>按这些改动运行</translation>
    </message>
    <message>
        <source>Pattern of</source>
        <translation>注意力权重：</translation>
    </message>
    <message>
        <source>head </source>
        <translation>头 </translation>
    </message>
    <message>
        <source>click a cell for its top five tokens</source>
        <translation>点击一个单元格，查看它排名前五的词元</translation>
    </message>
    <message>
        <source>{model}: reading the run of</source>
        <translation>{model}：正在读取这次运行，文本：</translation>
    </message>
    <message>
        <source>{model} ({weights}) on</source>
        <translation>{model}（{weights}），文本：</translation>
    </message>
    <message>
        <source>Run a model on the Step through page (Ctrl+1); this page reads that run.</source>
        <translation>请先在“逐步查看”页（Ctrl+1）运行模型；本页读取那次运行。</translation>
    </message>
    <message>
        <source>{weights} weights</source>
        <translation>{weights} 权重</translation>
    </message>
    <message>
        <source>  ·  random weights: the tools work, the answers mean nothing</source>
        <translation>  ·  随机权重：工具照常工作，但结果没有意义</translation>
    </message>
    <message>
        <source>Each layer&apos;s hidden state through the model&apos;s own output head: its top prediction of the next token. Colour: that prediction&apos;s probability, white 0 → blue {scale}. The last row is the model&apos;s own output. {note}</source>
        <translation>把每一层的隐藏状态送进模型自己的输出头：它对下一个词元的首选预测。颜色：该预测的概率，白色 0 → 蓝色 {scale}。最后一行就是模型自己的输出。{note}</translation>
    </message>
    <message>
        <source>Each layer&apos;s hidden state through the model&apos;s own output head: its top prediction of the token at that position. Colour: that prediction&apos;s probability, white 0 → blue {scale}. The last row is the model&apos;s own output. {note}</source>
        <translation>把每一层的隐藏状态送进模型自己的输出头：它对该位置上词元的首选预测。颜色：该预测的概率，白色 0 → 蓝色 {scale}。最后一行就是模型自己的输出。{note}</translation>
    </message>
    <message>
        <source>{layer}, position {position}: {tops}
probability of the model&apos;s final answer here: {probability}</source>
        <translation>{layer}，位置 {position}：{tops}
模型最终答案在这一层的概率：{probability}</translation>
    </message>
    <message>
        <source>{layer}, position {position}:</source>
        <translation>{layer}，位置 {position}：</translation>
    </message>
    <message>
        <source>probability of the model&apos;s final answer here: {probability}</source>
        <translation>模型最终答案在这一层的概率：{probability}</translation>
    </message>
    <message>
        <source>where</source>
        <translation>所在层</translation>
    </message>
    <message>
        <source>head</source>
        <translation>头</translation>
    </message>
    <message>
        <source>entropy (bits)</source>
        <translation>熵 (bits)</translation>
    </message>
    <message>
        <source>mean distance</source>
        <translation>平均距离</translation>
    </message>
    <message>
        <source>on special tokens</source>
        <translation>特殊词元占比</translation>
    </message>
    <message>
        <source>on the first token</source>
        <translation>首个词元占比</translation>
    </message>
    <message>
        <source>on itself</source>
        <translation>自身占比</translation>
    </message>
    <message>
        <source>position</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>input token</source>
        <translation>输入词元</translation>
    </message>
    <message>
        <source>rollout after layer {layer}</source>
        <translation>第 {layer} 层之后的注意力展开</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>Blocked mask cells (query, key): {cells}  — click cells of the Before pattern to block them in every self-attention layer</source>
        <translation>已屏蔽的掩码单元格（查询, 键）：{cells}  —— 点击“之前”图中的单元格，即可在每个自注意力层中屏蔽它们</translation>
    </message>
    <message>
        <source>{word} gives no token for this model</source>
        <translation>{word} 在这个模型里得不到任何词元</translation>
    </message>
    <message>
        <source>Run a text first (the step-through&apos;s Run).</source>
        <translation>请先运行一段文本（“逐步查看”页的“运行”）。</translation>
    </message>
    <message>
        <source>Nothing to change: click heads off, block mask cells or replace a token.</source>
        <translation>没有改动：请点击关闭一些头、屏蔽掩码单元格，或替换一个词元。</translation>
    </message>
    <message>
        <source>running: {changes}…</source>
        <translation>正在运行：{changes}…</translation>
    </message>
    <message>
        <source>  ·  largest change of any logit {change}; KL per position up to {kl} nats</source>
        <translation>  ·  logit 的最大变化 {change}；各位置的 KL 最高 {kl} nats</translation>
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
        <source>before</source>
        <translation>之前</translation>
    </message>
    <message>
        <source>after (run to see)</source>
        <translation>之后（运行后可见）</translation>
    </message>
    <message>
        <source>after − before</source>
        <translation>之后 − 之前</translation>
    </message>
    <message>
        <source>after</source>
        <translation>之后</translation>
    </message>
    <message>
        <source>this model has no token head: only the patterns compare</source>
        <translation>这个模型没有预测词元的输出头：只能比较注意力权重</translation>
    </message>
    <message>
        <source>before: top 3</source>
        <translation>之前：前 3 名</translation>
    </message>
    <message>
        <source>after: top 3</source>
        <translation>之后：前 3 名</translation>
    </message>
    <message>
        <source>KL (nats)</source>
        <translation>KL (nats)</translation>
    </message>
    <message>
        <source>{position} {token}</source>
        <translation>{position} {token}</translation>
    </message>
    <message>
        <source>largest change: position {position}</source>
        <translation>变化最大：位置 {position}</translation>
    </message>
</context>
<context>
    <name>inspect_demos</name>
    <message>
        <source>RoPE: only m − n matters</source>
        <translation>RoPE：只有 m − n 起作用</translation>
    </message>
    <message>
        <source>Position tables</source>
        <translation>位置表</translation>
    </message>
    <message>
        <source>LayerNorm vs RMSNorm</source>
        <translation>LayerNorm 与 RMSNorm</translation>
    </message>
    <message>
        <source>Pre-norm vs post-norm</source>
        <translation>前置归一化与后置归一化</translation>
    </message>
    <message>
        <source>Feed-forward gate</source>
        <translation>前馈网络的门控</translation>
    </message>
    <message>
        <source>Grouped-query heads</source>
        <translation>分组查询的注意力头</translation>
    </message>
    <message>
        <source>ALBERT: one layer, N times</source>
        <translation>ALBERT：一层用 N 次</translation>
    </message>
    <message>
        <source>pre-norm (GLM&apos;s code, GPT-2, LLaMA)</source>
        <translation>前置归一化（GLM 的代码、GPT-2、LLaMA）</translation>
    </message>
    <message>
        <source>post-norm (BERT, GPT-1, the notes&apos; GLM)</source>
        <translation>后置归一化（BERT、GPT-1、笔记中的 GLM）</translation>
    </message>
    <message>
        <source>DeepNorm (GLM-130B)</source>
        <translation>DeepNorm（GLM-130B）</translation>
    </message>
    <message>
        <source>multi-head (MHA)</source>
        <translation>多头注意力 (MHA)</translation>
    </message>
    <message>
        <source>multi-query (MQA)</source>
        <translation>多查询注意力 (MQA)</translation>
    </message>
    <message>
        <source>grouped-query (GQA)</source>
        <translation>分组查询注意力 (GQA)</translation>
    </message>
    <message>
        <source>position</source>
        <translation>位置</translation>
    </message>
    <message>
        <source>block position (row 2)</source>
        <translation>块位置（第 2 行）</translation>
    </message>
    <message>
        <source>model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>query at m</source>
        <translation>查询位于 m</translation>
    </message>
    <message>
        <source>key at n</source>
        <translation>键位于 n</translation>
    </message>
    <message>
        <source>vector x (numbers)</source>
        <translation>向量 x（数字）</translation>
    </message>
    <message>
        <source>head </source>
        <translation>头 </translation>
    </message>
    <message>
        <source>layers: </source>
        <translation>层数：</translation>
    </message>
    <message>
        <source>Compute</source>
        <translation>计算</translation>
    </message>
    <message>
        <source>layer </source>
        <translation>层 </translation>
    </message>
    <message>
        <source>Compare ALBERT with BERT on the text</source>
        <translation>在这段文本上比较 ALBERT 与 BERT</translation>
    </message>
    <message>
        <source>the same vector, normalised two ways</source>
        <translation>同一个向量，两种归一化</translation>
    </message>
    <message>
        <source>dimension</source>
        <translation>维度</translation>
    </message>
    <message>
        <source>‖hidden state‖ after each layer</source>
        <translation>每层之后的 ‖隐藏状态‖</translation>
    </message>
    <message>
        <source>‖gradient of the layer&apos;s weights‖</source>
        <translation>‖该层权重的梯度‖</translation>
    </message>
    <message>
        <source>act(x): what each activation lets through</source>
        <translation>激活函数 φ(x)：每种激活函数放行多少</translation>
    </message>
    <message>
        <source>act(x) / x over every token and feature of this layer</source>
        <translation>本层所有词元和特征上的 φ(x) / x</translation>
    </message>
    <message>
        <source>fraction of the feature let through</source>
        <translation>特征被放行的比例</translation>
    </message>
    <message>
        <source>cosine of each layer&apos;s output with the layer before</source>
        <translation>每层输出与前一层输出的余弦相似度</translation>
    </message>
    <message>
        <source>layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>GLM&apos;s three placements of LayerNorm, the same random stack (normal 0.02 weights), one language-modelling loss on random tokens.</source>
        <translation>GLM 的三种 LayerNorm 放置方式：同一个随机初始化的层堆叠（权重服从标准差 0.02 的正态分布），在随机词元上计算一次语言模型损失。</translation>
    </message>
    <message>
        <source>{model} (the model of the run)</source>
        <translation>{model}（本次运行的模型）</translation>
    </message>
    <message>
        <source>{preset} ({family})</source>
        <translation>{preset}（{family}）</translation>
    </message>
    <message>
        <source>{model}: learned {table} table, cosine of positions</source>
        <translation>{model}：学到的{table}表，位置两两之间的余弦相似度</translation>
    </message>
    <message>
        <source>sinusoidal table (Vaswani et al. 2017), cosine of positions</source>
        <translation>正弦位置编码表（Vaswani et al. 2017），位置两两之间的余弦相似度</translation>
    </message>
    <message>
        <source>{model}: T5 buckets of key − query (encoder)</source>
        <translation>{model}：T5 对“键 − 查询”距离的分桶（编码器）</translation>
    </message>
    <message>
        <source>{model}: T5 buckets (decoder: the past only)</source>
        <translation>{model}：T5 的分桶（解码器：只看过去）</translation>
    </message>
    <message>
        <source>{model}: T5 learned bias of one head (encoder)</source>
        <translation>{model}：T5 某个头学到的偏置（编码器）</translation>
    </message>
    <message>
        <source>computing the scores of 512 × 512 positions…</source>
        <translation>正在计算 512 × 512 个位置的分数…</translation>
    </message>
    <message>
        <source>query position m</source>
        <translation>查询位置 m</translation>
    </message>
    <message>
        <source>key position n</source>
        <translation>键位置 n</translation>
    </message>
    <message>
        <source>q·k with q at m, k at n: constant along each diagonal m − n</source>
        <translation>q 位于 m、k 位于 n 时的 q·k：沿每条对角线 m − n 保持不变</translation>
    </message>
    <message>
        <source>✔ depends only on m − n</source>
        <translation>✔ 只取决于 m − n</translation>
    </message>
    <message>
        <source>✘ not only on m − n</source>
        <translation>✘ 不只取决于 m − n</translation>
    </message>
    <message>
        <source>interleaved pairs (x[2j], x[2j+1])</source>
        <translation>相邻两维配对 (x[2j], x[2j+1])</translation>
    </message>
    <message>
        <source>rotate-half pairs (x[j], x[j+d/2])</source>
        <translation>前后两半配对 (x[j], x[j+d/2])</translation>
    </message>
    <message>
        <source>the first {turned} of {dims} dimensions turn, the rest pass through</source>
        <translation>{dims} 维中的前 {turned} 维旋转，其余各维原样通过</translation>
    </message>
    <message>
        <source>all {dims} dimensions turn</source>
        <translation>全部 {dims} 维都旋转</translation>
    </message>
    <message>
        <source>score(q at m={m}, k at n={n}) = {score}   ·   m − n = {difference}   ·   the same pair moved together: {shifted}</source>
        <translation>分数（q 位于 m={m}，k 位于 n={n}）= {score}   ·   m − n = {difference}   ·   同一对一起平移后：{shifted}</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>{verdict}: over all 512 × 512 positions the scores along any diagonal differ by at most {deviation} (scores up to {scale}; float32 rounding).  {layout}; {part}.</source>
        <translation>{verdict}：在全部 512 × 512 个位置上，任意一条对角线上的分数最多相差 {deviation}（分数最大约 {scale}；这是 float32 的舍入误差）。  {layout}；{part}。</translation>
    </message>
    <message>
        <source>pairs 1–{count} of {pairs} turned by m·θ_j (blue), n·θ_j (orange)</source>
        <translation>{pairs} 对中的第 1–{count} 对，分别转过 m·θ_j（蓝）和 n·θ_j（橙）</translation>
    </message>
    <message>
        <source>query position</source>
        <translation>查询位置</translation>
    </message>
    <message>
        <source>key position</source>
        <translation>键位置</translation>
    </message>
    <message>
        <source>Cosine similarity of the first {count} learned position vectors with each other. Trained tables show a band: neighbours alike, far positions not. </source>
        <translation>前 {count} 个学到的位置向量两两之间的余弦相似度。训练过的表会呈现一条带：相邻位置相似，相距远的位置不相似。</translation>
    </message>
    <message>
        <source>With random weights it is noise off the diagonal.</source>
        <translation>随机权重下，对角线以外都是噪声。</translation>
    </message>
    <message>
        <source>The original Transformer&apos;s fixed sin/cos table (d = {size}): a smooth band, the same for every model; none of the chapter&apos;s families uses it (BERT and GPT learn theirs).</source>
        <translation>原始 Transformer 固定的 sin/cos 表（d = {size}）：一条平滑的带，对每个模型都一样；本章的模型家族都不用它（BERT 和 GPT 学习自己的位置嵌入）。</translation>
    </message>
    <message>
        <source>T5&apos;s bucket of each (query, key) distance: the near distances one bucket each, farther ones sharing log-spaced buckets, keys to the right in the upper half.</source>
        <translation>T5 给每个（查询, 键）距离分配的桶：近的距离各占一个桶，远的距离共用按对数间隔划分的桶；键在查询右边时用上半部分的桶。</translation>
    </message>
    <message>
        <source>T5&apos;s bucket of each (query, key) distance: the near distances one bucket each, farther ones sharing log-spaced buckets; the decoder tells only the past apart.</source>
        <translation>T5 给每个（查询, 键）距离分配的桶：近的距离各占一个桶，远的距离共用按对数间隔划分的桶；解码器只区分过去的位置。</translation>
    </message>
    <message>
        <source>What head {head} adds to every score before the softmax, by the (query, key) bucket: T5&apos;s only position signal, learned per head, shared by the stack&apos;s layers.</source>
        <translation>第 {head} 个头按（查询, 键）所在的桶，在 softmax 之前给每个分数加上的值：这是 T5 唯一的位置信号，每个头各自学习，同一个编码器或解码器的各层共用。</translation>
    </message>
    <message>
        <source>Type numbers separated by spaces, e.g. 1 2 3 10.</source>
        <translation>请输入用空格分隔的数字，例如 1 2 3 10。</translation>
    </message>
    <message>
        <source>Type at least two numbers.</source>
        <translation>请至少输入两个数字。</translation>
    </message>
    <message>
        <source>x: mean {mean}, standard deviation {std}, rms {rms}.   LayerNorm subtracts the mean, then divides by the standard deviation: mean {ln_mean}, rms {ln_rms}.   RMSNorm only divides by the rms (no mean, no bias: fewer operations, LLaMA&apos;s and T5&apos;s choice): mean {rms_mean} kept, rms {rms_rms}.</source>
        <translation>x：均值 {mean}，标准差 {std}，均方根 {rms}。   LayerNorm 先减去均值，再除以标准差：均值 {ln_mean}，均方根 {ln_rms}。   RMSNorm 只除以均方根（不减均值、没有偏置：运算更少，LLaMA 和 T5 的选择）：均值 {rms_mean} 保留下来，均方根 {rms_rms}。</translation>
    </message>
    <message>
        <source>computing a {depth}-layer stack three ways…</source>
        <translation>正在以三种方式计算 {depth} 层的堆叠…</translation>
    </message>
    <message>
        <source>{depth} layers at initialisation. Pre-norm adds every sub-layer to a stream it never normalises: ‖h‖ grows from {pre_first} to {pre_last}. Post-norm normalises after every sum: ‖h‖ stays {post_last} (√H). Gradients of the layers&apos; weights, first → last: pre-norm {pre_grad_first} → {pre_grad_last}, post-norm {post_grad_first} → {post_grad_last}.</source>
        <translation>{depth} 层，刚初始化时。前置归一化把每个子层的输出加到一条从不归一化的残差流上：‖h‖ 从 {pre_first} 增长到 {pre_last}。后置归一化在每次相加之后都归一化：‖h‖ 保持在 {post_last} (√H)。各层权重的梯度，第一层 → 最后一层：前置归一化 {pre_grad_first} → {pre_grad_last}，后置归一化 {post_grad_first} → {post_grad_last}。</translation>
    </message>
    <message>
        <source>token</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>feature (first {shown} of {count})</source>
        <translation>特征（共 {count} 个，显示前 {shown} 个）</translation>
    </message>
    <message>
        <source>act(x) / x: the share of each feature let through</source>
        <translation>φ(x) / x：每个特征被放行的比例</translation>
    </message>
    <message>
        <source>gated (SwiGLU / gated GELU): act(gate_proj x) multiplies a second projection, up_proj x; the gate is computed from one projection and applied to another</source>
        <translation>门控式（SwiGLU / 门控 GELU）：φ(gate_proj x) 去乘另一个投影 up_proj x；门由一个投影算出，作用在另一个投影上</translation>
    </message>
    <message>
        <source>a plain MLP (GELU/ReLU): the activation gates its own input, act(x) = x · (share let through)</source>
        <translation>普通 MLP（GELU/ReLU）：激活函数给自己的输入做门控，φ(x) = x ·（放行的比例）</translation>
    </message>
    <message>
        <source>Layer {layer}: {kind}. {open} of the values pass more than half, {closed} less than a tenth (GELU(x) = x·Φ(x), SiLU(x) = x·σ(x): both multiply x by a number between 0 and 1; ReLU by exactly 0 or 1).</source>
        <translation>第 {layer} 层：{kind}。{open} 的值放行超过一半，{closed} 放行不到十分之一（GELU(x) = x·Φ(x)，SiLU(x) = x·σ(x)：两者都把 x 乘以 0 到 1 之间的一个数；ReLU 则恰好乘以 0 或 1）。</translation>
    </message>
    <message>
        <source>{count} key/value heads</source>
        <translation>{count} 个键/值头</translation>
    </message>
    <message>
        <source>{count} key/value head</source>
        <translation>{count} 个键/值头</translation>
    </message>
    <message>
        <source>{count} query heads</source>
        <translation>{count} 个查询头</translation>
    </message>
    <message>
        <source>{count} query head</source>
        <translation>{count} 个查询头</translation>
    </message>
    <message>
        <source>{model}: {kind}. {heads} query heads, {kv_heads}: repeat_kv hands each key/value head to {shared}. KV cache per token (all {layers} layers, fp16): {cache}, against {mha} with a key/value head per query head (MHA) and {mqa} with a single one (MQA): {saved} of the full cache saved.</source>
        <translation>{model}：{kind}。{heads} 个查询头，{kv_heads}：repeat_kv 把每个键/值头交给 {shared}使用。每个词元的 KV 缓存（全部 {layers} 层，fp16）：{cache}；若每个查询头各有一个键/值头 (MHA) 则是 {mha}，若只有一个键/值头 (MQA) 则是 {mqa}：比完整缓存节省了 {saved}。</translation>
    </message>
    <message>
        <source>running ALBERT and BERT on the text…</source>
        <translation>正在用 ALBERT 和 BERT 处理这段文本…</translation>
    </message>
    <message>
        <source>{model} ({count} weight sets)</source>
        <translation>{model}（{count} 套权重）</translation>
    </message>
    <message>
        <source>{model}: {layers} layers, {count} distinct sets of layer weights; the hidden states change by {changes} from layer to layer</source>
        <translation>{model}：{layers} 层，{count} 套不同的层权重；隐藏状态逐层变化 {changes}</translation>
    </message>
    <message>
        <source>{model}: {layers} layers, {count} distinct set of layer weights; the hidden states change by {changes} from layer to layer</source>
        <translation>{model}：{layers} 层，{count} 套不同的层权重；隐藏状态逐层变化 {changes}</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>ALBERT applies one layer&apos;s weights at every depth, yet each application reads a different input, so the hidden states keep changing.</source>
        <translation>ALBERT 在每一层深度都使用同一层的权重，但每次读入的输入都不同，所以隐藏状态仍在不断变化。</translation>
    </message>
</context>
<context>
    <name>inspect_parts</name>
    <message>
        <source>h{head}</source>
        <translation>头{head}</translation>
    </message>
    <message>
        <source>layer {layer}</source>
        <translation>第 {layer} 层</translation>
    </message>
    <message>
        <source>layer {layer}, head {head}: click to switch it off</source>
        <translation>第 {layer} 层第 {head} 个头：点击将其关闭</translation>
    </message>
    <message>
        <source>query heads</source>
        <translation>查询头</translation>
    </message>
    <message>
        <source>key/value heads</source>
        <translation>键/值头</translation>
    </message>
    <message>
        <source>kv {group}</source>
        <translation>KV {group}</translation>
    </message>
    <message>
        <source>decoder layer {layer} cross-attention</source>
        <translation>解码器第 {layer} 层交叉注意力</translation>
    </message>
    <message>
        <source>encoder layer {layer}</source>
        <translation>编码器第 {layer} 层</translation>
    </message>
    <message>
        <source>decoder layer {layer}</source>
        <translation>解码器第 {layer} 层</translation>
    </message>
    <message>
        <source>{stack} layer {layer}</source>
        <translation>{stack} 第 {layer} 层</translation>
    </message>
    <message>
        <source>{token} {number}</source>
        <translation>“{token}” {number}</translation>
    </message>
    <message>
        <source>{token}</source>
        <translation>“{token}”</translation>
    </message>
</context>
</TS>
