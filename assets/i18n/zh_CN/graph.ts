<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>arch_scene</name>
    <message>
        <source>input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>embedding</source>
        <translation>嵌入</translation>
    </message>
    <message>
        <source>positions (RoPE)</source>
        <translation>位置（RoPE）</translation>
    </message>
    <message>
        <source>position bias</source>
        <translation>位置偏置</translation>
    </message>
    <message>
        <source>projection</source>
        <translation>投影</translation>
    </message>
    <message>
        <source>norm</source>
        <translation>归一化</translation>
    </message>
    <message>
        <source>self-attention</source>
        <translation>自注意力</translation>
    </message>
    <message>
        <source>cross-attention</source>
        <translation>交叉注意力</translation>
    </message>
    <message>
        <source>feed-forward</source>
        <translation>前馈网络</translation>
    </message>
    <message>
        <source>add (residual sum)</source>
        <translation>相加（残差求和）</translation>
    </message>
    <message>
        <source>block</source>
        <translation>块</translation>
    </message>
    <message>
        <source>pooler</source>
        <translation>池化层</translation>
    </message>
    <message>
        <source>head</source>
        <translation>输出头</translation>
    </message>
    <message>
        <source>other</source>
        <translation>其他</translation>
    </message>
    <message>
        <source>data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>residual (skip)</source>
        <translation>残差（跳连）</translation>
    </message>
    <message>
        <source>cross: encoder → decoder</source>
        <translation>交叉：编码器 → 解码器</translation>
    </message>
    <message>
        <source>positions</source>
        <translation>位置信息</translation>
    </message>
    <message>
        <source>into the next layer (× N)</source>
        <translation>进入下一层（× N）</translation>
    </message>
    <message>
        <source>, … ({count} layers)</source>
        <translation>，…（共 {count} 层）</translation>
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
        <source>{count} params, shared by {repeat} layers</source>
        <translation>{count} 参数，{repeat} 层共享</translation>
    </message>
    <message>
        <source>{count} params / layer</source>
        <translation>每层 {count} 参数</translation>
    </message>
    <message>
        <source>{count} params</source>
        <translation>{count} 参数</translation>
    </message>
    <message>
        <source>tied to the {name}</source>
        <translation>与{name}共享权重</translation>
    </message>
    <message>
        <source>same parameters as layer {layers}</source>
        <translation>与第 {layers} 层参数相同</translation>
    </message>
    <message>
        <source>the encoder {name}, shared</source>
        <translation>与编码器的{name}共享</translation>
    </message>
    <message>
        <source>the decoder {name}, shared</source>
        <translation>与解码器的{name}共享</translation>
    </message>
    <message>
        <source>the {name}, shared</source>
        <translation>与{name}共享</translation>
    </message>
    <message>
        <source>parameters: {count} in {repeat} layers (layers {layers})</source>
        <translation>参数：{count}，共 {repeat} 层（第 {layers} 层）</translation>
    </message>
    <message>
        <source>parameters: {count}</source>
        <translation>参数：{count}</translation>
    </message>
    <message>
        <source>parameters: {count} ({each} per layer × {repeat})</source>
        <translation>参数：{count}（每层 {each} × {repeat}）</translation>
    </message>
    <message>
        <source>no parameters of its own</source>
        <translation>没有自己的参数</translation>
    </message>
    <message>
        <source>shared: {sets} parameter set applied {repeat} times</source>
        <translation>共享：{sets} 组参数被使用 {repeat} 次</translation>
    </message>
    <message>
        <source>output shape: {shape}</source>
        <translation>输出形状：{shape}</translation>
    </message>
    <message>
        <source>tied: {what}</source>
        <translation>权重共享：{what}</translation>
    </message>
    <message>
        <source>same parameters as {node}</source>
        <translation>与此共享参数：{node}</translation>
    </message>
    <message>
        <source>{kind}: layers {layers}</source>
        <translation>{kind}：第 {layers} 层</translation>
    </message>
    <message>
        <source>steps ({count}): {steps}</source>
        <translation>步骤（{count}）：{steps}</translation>
    </message>
    <message>
        <source>differs: {aspects}</source>
        <translation>差异：{aspects}</translation>
    </message>
    <message>
        <source>Legend</source>
        <translation>图例</translation>
    </message>
    <message>
        <source>{label}: shared × {repeat} (1 parameter set)</source>
        <translation>{label}：共享 × {repeat}（1 组参数）</translation>
    </message>
    <message>
        <source>{label}: shared × {repeat} ({sets} parameter sets)</source>
        <translation>{label}：共享 × {repeat}（{sets} 组参数）</translation>
    </message>
    <message>
        <source>layers {layers} · {count} params</source>
        <translation>第 {layers} 层 · {count} 参数</translation>
    </message>
    <message>
        <source>click here to unfold the layers</source>
        <translation>点击此处展开各层</translation>
    </message>
    <message>
        <source>encoder layer {layers}</source>
        <translation>编码器第 {layers} 层</translation>
    </message>
    <message>
        <source>decoder layer {layers}</source>
        <translation>解码器第 {layers} 层</translation>
    </message>
    <message>
        <source>layer {layers}</source>
        <translation>第 {layers} 层</translation>
    </message>
    <message>
        <source>: the parameters of layer {layers}</source>
        <translation>：使用第 {layers} 层的参数</translation>
    </message>
    <message>
        <source>click here to fold the layers</source>
        <translation>点击此处折叠各层</translation>
    </message>
    <message>
        <source>shared × {repeat}</source>
        <translation>共享 × {repeat}</translation>
    </message>
    <message>
        <source>{line} (carries the residual)</source>
        <translation>{line}（带残差）</translation>
    </message>
    <message>
        <source>There is nothing to export yet: no graph is drawn.</source>
        <translation>还没有可导出的内容：尚未画出结构图。</translation>
    </message>
    <message>
        <source>The PNG could not be encoded ({reason}).</source>
        <translation>无法编码 PNG（{reason}）。</translation>
    </message>
    <message>
        <source>The graph could not be drawn as SVG (the generator produced no document).</source>
        <translation>无法把结构图画成 SVG（生成器没有产生文档）。</translation>
    </message>
</context>
<context>
    <name>engine_graph</name>
    <message>
        <source>token embedding ({rows} x {width})</source>
        <translation>词元嵌入（{rows} × {width}）</translation>
    </message>
    <message>
        <source>position embedding ({rows} x {width})</source>
        <translation>位置嵌入（{rows} × {width}）</translation>
    </message>
    <message>
        <source>block position embedding (2D positions, row 2) ({rows} x {width})</source>
        <translation>块位置嵌入（二维位置的第 2 行）（{rows} × {width}）</translation>
    </message>
    <message>
        <source>segment embedding ({rows} x {width})</source>
        <translation>段嵌入（{rows} × {width}）</translation>
    </message>
    <message>
        <source>embedding table ({rows} x {width})</source>
        <translation>嵌入表（{rows} × {width}）</translation>
    </message>
    <message>
        <source>RoPE cos/sin tables, {rot} of {dims} dims, interleaved pairs</source>
        <translation>RoPE cos/sin 表，{dims} 维中的 {rot} 维，两两交错</translation>
    </message>
    <message>
        <source>RoPE cos/sin tables, {rot} of {dims} dims</source>
        <translation>RoPE cos/sin 表，{dims} 维中的 {rot} 维</translation>
    </message>
    <message>
        <source>RoPE cos/sin tables, interleaved pairs</source>
        <translation>RoPE cos/sin 表，两两交错</translation>
    </message>
    <message>
        <source>RoPE cos/sin tables</source>
        <translation>RoPE cos/sin 表</translation>
    </message>
    <message>
        <source>relative position bias ({buckets} buckets x {heads} heads)</source>
        <translation>相对位置偏置（{buckets} 个桶 × {heads} 个头）</translation>
    </message>
    <message>
        <source>final norm (released tensors only)</source>
        <translation>最终归一化（仅见于发布的张量）</translation>
    </message>
    <message>
        <source>{part} (released tensors only)</source>
        <translation>{part}（仅见于发布的张量）</translation>
    </message>
    <message>
        <source>final {norm}</source>
        <translation>最终 {norm}</translation>
    </message>
    <message>
        <source>embedding {norm}</source>
        <translation>嵌入层 {norm}</translation>
    </message>
    <message>
        <source>self-attention ({heads} heads, {kv} key/value heads)</source>
        <translation>自注意力（{heads} 个头，{kv} 个键/值头）</translation>
    </message>
    <message>
        <source>self-attention ({heads} heads)</source>
        <translation>自注意力（{heads} 个头）</translation>
    </message>
    <message>
        <source>cross-attention ({heads} heads, {kv} key/value heads)</source>
        <translation>交叉注意力（{heads} 个头，{kv} 个键/值头）</translation>
    </message>
    <message>
        <source>cross-attention ({heads} heads)</source>
        <translation>交叉注意力（{heads} 个头）</translation>
    </message>
    <message>
        <source>feed-forward {act} (gated) ({hidden} -&gt; {ffn} -&gt; {out})</source>
        <translation>前馈网络 {act}，门控（{hidden} → {ffn} → {out}）</translation>
    </message>
    <message>
        <source>feed-forward GELU (tanh) ({hidden} -&gt; {ffn} -&gt; {out})</source>
        <translation>前馈网络 GELU，双曲正切近似（{hidden} → {ffn} → {out}）</translation>
    </message>
    <message>
        <source>feed-forward {act} ({hidden} -&gt; {ffn} -&gt; {out})</source>
        <translation>前馈网络 {act}（{hidden} → {ffn} → {out}）</translation>
    </message>
    <message>
        <source>projection ({inputs} -&gt; {outputs})</source>
        <translation>投影（{inputs} → {outputs}）</translation>
    </message>
    <message>
        <source>classifier head</source>
        <translation>分类输出头</translation>
    </message>
    <message>
        <source>{name} head</source>
        <translation>{name} 输出头</translation>
    </message>
    <message>
        <source>encoder block</source>
        <translation>编码器块</translation>
    </message>
    <message>
        <source>decoder block</source>
        <translation>解码器块</translation>
    </message>
    <message>
        <source>block</source>
        <translation>块</translation>
    </message>
    <message>
        <source>add</source>
        <translation>相加</translation>
    </message>
    <message>
        <source>pooler</source>
        <translation>池化层</translation>
    </message>
    <message>
        <source>decoder input ids</source>
        <translation>解码器输入 ID</translation>
    </message>
    <message>
        <source>input ids</source>
        <translation>输入 ID</translation>
    </message>
    <message>
        <source>token type ids</source>
        <translation>词元类型 ID</translation>
    </message>
    <message>
        <source>dense</source>
        <translation>稠密</translation>
    </message>
    <message>
        <source>banded</source>
        <translation>带状</translation>
    </message>
    <message>
        <source>not in the released tensors: counted 0 (this app&apos;s class approximates the model)</source>
        <translation>发布的张量中没有它：计为 0（本应用的类只是近似该模型）</translation>
    </message>
    <message>
        <source>in the released tensors, not in this app&apos;s class: no step of a trace shows it</source>
        <translation>发布的张量中有，本应用的类中没有：追踪的任何步骤都不会显示它</translation>
    </message>
    <message>
        <source>Built on meta with {a} of {b} encoder layers and {c} of {d} decoder layers and traced once; the other layers repeat the last probed one.</source>
        <translation>在 “meta” 设备上只构建了编码器 {b} 层中的 {a} 层、解码器 {d} 层中的 {c} 层，并追踪一次；其余各层沿用最后探测的那一层。</translation>
    </message>
    <message>
        <source>Built on meta with {a} of {b} layers and traced once; the other layers repeat the last probed one (every layer was built to read which kind each is).</source>
        <translation>在 “meta” 设备上只构建了 {b} 层中的 {a} 层并追踪一次；其余各层沿用最后探测的那一层（为了读出每层的种类，每一层都构建过）。</translation>
    </message>
    <message>
        <source>Built on meta with {a} of {b} layers and traced once; the other layers repeat the last probed one.</source>
        <translation>在 “meta” 设备上只构建了 {b} 层中的 {a} 层并追踪一次；其余各层沿用最后探测的那一层。</translation>
    </message>
    <message>
        <source>Parameters are counted from the released tensor layout (analytic); the boxes are this app&apos;s {name} class, which approximates it. {rest}</source>
        <translation>参数按发布的张量布局计算（解析计数）；图中的方框是本应用的 {name} 类，它只是近似该模型。{rest}</translation>
    </message>
</context>
<context>
    <name>engine_traits</name>
    <message>
        <source>pre-norm (a norm before each sub-layer; the residual stream is never normalised)</source>
        <translation>前置归一化（每个子层之前做归一化；残差流本身从不归一化）</translation>
    </message>
    <message>
        <source>post-norm (a norm after each residual add)</source>
        <translation>后置归一化（每次残差相加之后做归一化）</translation>
    </message>
    <message>
        <source>pre-norm</source>
        <translation>前置归一化</translation>
    </message>
    <message>
        <source>post-norm</source>
        <translation>后置归一化</translation>
    </message>
    <message>
        <source>mixed</source>
        <translation>混合</translation>
    </message>
    <message>
        <source>no norm</source>
        <translation>无归一化</translation>
    </message>
    <message>
        <source>none</source>
        <translation>无</translation>
    </message>
    <message>
        <source>residual scaled by {scale} before each add</source>
        <translation>每次相加前残差乘以 {scale}</translation>
    </message>
    <message>
        <source>residual added as it is</source>
        <translation>残差原样相加</translation>
    </message>
    <message>
        <source>a final norm after the last block</source>
        <translation>最后一个块之后有最终归一化</translation>
    </message>
    <message>
        <source>no final norm</source>
        <translation>没有最终归一化</translation>
    </message>
    <message>
        <source>{act} (gated) feed-forward, a gate multiplies the activation</source>
        <translation>{act} 门控前馈网络，门控值与激活值相乘</translation>
    </message>
    <message>
        <source>{act} feed-forward, a gate multiplies the activation</source>
        <translation>{act} 前馈网络，门控值与激活值相乘</translation>
    </message>
    <message>
        <source>GELU (tanh) feed-forward</source>
        <translation>GELU（双曲正切近似）前馈网络</translation>
    </message>
    <message>
        <source>GELU (tanh)</source>
        <translation>GELU（双曲正切近似）</translation>
    </message>
    <message>
        <source>{act} (gated) feed-forward</source>
        <translation>{act} 门控前馈网络</translation>
    </message>
    <message>
        <source>{act} feed-forward</source>
        <translation>{act} 前馈网络</translation>
    </message>
    <message>
        <source>{act} (gated)</source>
        <translation>{act}（门控）</translation>
    </message>
    <message>
        <source>{kind}: {heads} query heads share {kv} key/value head(s)</source>
        <translation>{kind}：{heads} 个查询头共享 {kv} 个键/值头</translation>
    </message>
    <message>
        <source>{kind}: every head its own keys and values</source>
        <translation>{kind}：每个头有自己的键和值</translation>
    </message>
    <message>
        <source>{heads} heads x {dims} dims</source>
        <translation>{heads} 个头 × 每头 {dims} 维</translation>
    </message>
    <message>
        <source>hidden {hidden}, feed-forward {ffn}</source>
        <translation>隐藏维度 {hidden}，前馈网络 {ffn}</translation>
    </message>
    <message>
        <source>learned absolute positions, 2D (a second, block position table)</source>
        <translation>可学习的绝对位置嵌入，二维（第二张块位置表）</translation>
    </message>
    <message>
        <source>learned absolute positions, 2D</source>
        <translation>可学习的二维绝对位置</translation>
    </message>
    <message>
        <source>learned absolute positions</source>
        <translation>可学习的绝对位置嵌入</translation>
    </message>
    <message>
        <source>relative position bias (learned per head and distance bucket)</source>
        <translation>相对位置偏置（按头和距离桶学习）</translation>
    </message>
    <message>
        <source>relative position bias</source>
        <translation>相对位置偏置</translation>
    </message>
    <message>
        <source>RoPE (rotary) on {rot} of {dims} dims per head, interleaved pairs</source>
        <translation>RoPE（旋转位置编码），作用于每头 {dims} 维中的 {rot} 维，两两交错</translation>
    </message>
    <message>
        <source>RoPE (rotary) on {rot} of {dims} dims per head</source>
        <translation>RoPE（旋转位置编码），作用于每头 {dims} 维中的 {rot} 维</translation>
    </message>
    <message>
        <source>RoPE (rotary), interleaved pairs</source>
        <translation>RoPE（旋转位置编码），两两交错</translation>
    </message>
    <message>
        <source>RoPE (rotary)</source>
        <translation>RoPE（旋转位置编码）</translation>
    </message>
    <message>
        <source>no bias terms</source>
        <translation>没有偏置项</translation>
    </message>
    <message>
        <source>biases in {parts}</source>
        <translation>偏置：{parts}</translation>
    </message>
    <message>
        <source>attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <source>feed-forward</source>
        <translation>前馈网络</translation>
    </message>
    <message>
        <source>norms</source>
        <translation>归一化层</translation>
    </message>
    <message>
        <source>attention {names} only</source>
        <translation>仅注意力的 {names}</translation>
    </message>
    <message>
        <source>feed-forward {names} only</source>
        <translation>仅前馈网络的 {names}</translation>
    </message>
    <message>
        <source>cross-attention to the encoder</source>
        <translation>对编码器的交叉注意力</translation>
    </message>
    <message>
        <source>no cross-attention</source>
        <translation>没有交叉注意力</translation>
    </message>
    <message>
        <source>{own} parameter set(s) shared by {depth} layers</source>
        <translation>{depth} 层共享 {own} 组参数</translation>
    </message>
    <message>
        <source>each layer its own parameters</source>
        <translation>每层有自己的参数</translation>
    </message>
    <message>
        <source>every layer alike</source>
        <translation>各层相同</translation>
    </message>
    <message>
        <source>the module is this app&apos;s approximation of the released model</source>
        <translation>该模块是本应用对发布模型的近似</translation>
    </message>
</context>
<context>
    <name>graph</name>
    <message>
        <source>BERT vs LLaMA: the three changes</source>
        <translation>BERT 对比 LLaMA：三处改动</translation>
    </message>
    <message>
        <source>GPT-1 vs GPT-2: where the norm goes</source>
        <translation>GPT-1 对比 GPT-2：归一化的位置</translation>
    </message>
    <message>
        <source>GLM: pre-norm, post-norm, DeepNorm</source>
        <translation>GLM：前置归一化、后置归一化与 DeepNorm</translation>
    </message>
    <message>
        <source>norm</source>
        <translation>归一化</translation>
    </message>
    <message>
        <source>norm placement</source>
        <translation>归一化的位置</translation>
    </message>
    <message>
        <source>residual scale</source>
        <translation>残差缩放</translation>
    </message>
    <message>
        <source>final norm</source>
        <translation>最终归一化</translation>
    </message>
    <message>
        <source>feed-forward</source>
        <translation>前馈网络</translation>
    </message>
    <message>
        <source>attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <source>heads</source>
        <translation>头</translation>
    </message>
    <message>
        <source>widths</source>
        <translation>宽度</translation>
    </message>
    <message>
        <source>position</source>
        <translation>位置编码</translation>
    </message>
    <message>
        <source>biases</source>
        <translation>偏置</translation>
    </message>
    <message>
        <source>cross-attention</source>
        <translation>交叉注意力</translation>
    </message>
    <message>
        <source>sharing</source>
        <translation>参数共享</translation>
    </message>
    <message>
        <source>layer kinds</source>
        <translation>层的种类</translation>
    </message>
    <message>
        <source>Encoder-only</source>
        <translation>仅编码器</translation>
    </message>
    <message>
        <source>Decoder-only</source>
        <translation>仅解码器</translation>
    </message>
    <message>
        <source>Encoder-decoder</source>
        <translation>编码器-解码器</translation>
    </message>
    <message>
        <source>, </source>
        <translation>、</translation>
    </message>
    <message>
        <source>{kind} (layers {layers})</source>
        <translation>{kind}（第 {layers} 层）</translation>
    </message>
    <message>
        <source>{placement} with {norm}</source>
        <translation>{placement}，使用 {norm}</translation>
    </message>
    <message>
        <source>{position} positions</source>
        <translation>位置：{position}</translation>
    </message>
    <message>
        <source>{a} vs {b}: 1 difference</source>
        <translation>{a} 对比 {b}：1 处不同</translation>
    </message>
    <message>
        <source>{a} vs {b}: {count} differences</source>
        <translation>{a} 对比 {b}：{count} 处不同</translation>
    </message>
    <message>
        <source>&lt;b&gt;The three changes&lt;/b&gt; from {a} to {b}: </source>
        <translation>从 {a} 到 {b} 的&lt;b&gt;三处改动&lt;/b&gt;：</translation>
    </message>
    <message>
        <source>These two blocks are built alike.</source>
        <translation>这两个块的结构相同。</translation>
    </message>
    <message>
        <source>aspect</source>
        <translation>方面</translation>
    </message>
    <message>
        <source>the same: {aspects}</source>
        <translation>相同：{aspects}</translation>
    </message>
    <message>
        <source>{placement} {norm} · {act} · {position}</source>
        <translation>{placement} {norm} · {act} · {position}</translation>
    </message>
    <message>
        <source>(graph only: too large to run)</source>
        <translation>（仅结构图：太大，无法运行）</translation>
    </message>
    <message>
        <source>No preset called {names} (`python -m engine presets` lists them).</source>
        <translation>没有名为 {names} 的预设（`python -m engine presets` 可列出全部）。</translation>
    </message>
    <message>
        <source>Pick two presets to compare.</source>
        <translation>请选择两个预设进行比较。</translation>
    </message>
    <message>
        <source>Reading the architecture…</source>
        <translation>正在读取模型结构…</translation>
    </message>
    <message>
        <source>Something went wrong: {reason}</source>
        <translation>出错了：{reason}</translation>
    </message>
    <message>
        <source>Run a model in the step-through, or pick a preset above.</source>
        <translation>请先在逐步查看中运行一个模型，或在上方选择一个预设。</translation>
    </message>
    <message>
        <source>click: open its step in the step-through</source>
        <translation>点击：在逐步查看中打开它的步骤</translation>
    </message>
    <message>
        <source>click the header: unfold or fold the layers</source>
        <translation>点击标题：展开或折叠各层</translation>
    </message>
    <message>
        <source>{name} — {family} ({group})</source>
        <translation>{name} — {family}（{group}）</translation>
    </message>
    <message>
        <source>{count} parameters · {depth}</source>
        <translation>{count} 参数 · {depth}</translation>
    </message>
    <message>
        <source>Click a part to open its step in the step-through; click a block&apos;s header to unfold its layers (and again to fold them). Hover for parameters and shapes; drag to pan, Ctrl+wheel to zoom.</source>
        <translation>点击一个部件，即可在逐步查看中打开它的步骤；点击块的标题可展开各层（再次点击则折叠）。悬停查看参数与形状；拖动平移，Ctrl+滚轮缩放。</translation>
    </message>
    <message>
        <source>{stack} {depth} layers (folded)</source>
        <translation>{stack} {depth} 层（折叠）</translation>
    </message>
    <message>
        <source>{stack} {depth} layers (unfolded)</source>
        <translation>{stack} {depth} 层（展开）</translation>
    </message>
    <message>
        <source>{depth} layers (folded)</source>
        <translation>{depth} 层（折叠）</translation>
    </message>
    <message>
        <source>{depth} layers (unfolded)</source>
        <translation>{depth} 层（展开）</translation>
    </message>
    <message>
        <source>now: {layer}</source>
        <translation>当前：{layer}</translation>
    </message>
    <message>
        <source>{part} records no step in this run.</source>
        <translation>{part} 在这次运行中没有记录步骤。</translation>
    </message>
    <message>
        <source>{name} is too large to run here: its graph is read from its configuration on the meta device. Pick a runnable preset to step through it.</source>
        <translation>{name} 太大，无法在这里运行：它的结构图是在 “meta” 设备上按配置读出的。请选择一个可运行的预设来逐步查看。</translation>
    </message>
    <message>
        <source>Model graph</source>
        <translation>模型结构图</translation>
    </message>
    <message>
        <source>Compare layers</source>
        <translation>比较层</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>the step-through&apos;s model</source>
        <translation>逐步查看中的模型</translation>
    </message>
    <message>
        <source>Unfold every layer</source>
        <translation>展开所有层</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <source>Blocks of</source>
        <translation>比较</translation>
    </message>
    <message>
        <source>vs</source>
        <translation>对比</translation>
    </message>
    <message>
        <source>then</source>
        <translation>再对比</translation>
    </message>
    <message>
        <source>— (two only)</source>
        <translation>—（只比两个）</translation>
    </message>
    <message>
        <source>Picture as PNG…</source>
        <translation>导出 PNG 图片…</translation>
    </message>
    <message>
        <source>Picture as SVG…</source>
        <translation>导出 SVG 图片…</translation>
    </message>
    <message>
        <source>There is nothing to export yet: no comparison is drawn.</source>
        <translation>还没有可导出的内容：尚未画出比较。</translation>
    </message>
    <message>
        <source>There is nothing to export yet: no graph is drawn.</source>
        <translation>还没有可导出的内容：尚未画出结构图。</translation>
    </message>
    <message>
        <source>Export {kind}</source>
        <translation>导出 {kind}</translation>
    </message>
</context>
<context>
    <name>tokenizers</name>
    <message>
        <source>MiniLM (real vocab)</source>
        <translation>MiniLM（真实词表）</translation>
    </message>
    <message>
        <source>WordPiece · real bert-base-uncased</source>
        <translation>WordPiece · 真实的 bert-base-uncased</translation>
    </message>
    <message>
        <source>character-level BPE</source>
        <translation>字符级 BPE</translation>
    </message>
    <message>
        <source>byte-level BPE</source>
        <translation>字节级 BPE</translation>
    </message>
    <message>
        <source>not available</source>
        <translation>不可用</translation>
    </message>
    <message>
        <source>BPE + byte fallback</source>
        <translation>BPE + 字节回退</translation>
    </message>
    <message>
        <source>{name} + byte fallback</source>
        <translation>{name} + 字节回退</translation>
    </message>
    <message>
        <source>The notes&apos; example</source>
        <translation>笔记中的例子</translation>
    </message>
    <message>
        <source>Emoji</source>
        <translation>表情符号</translation>
    </message>
    <message>
        <source>English</source>
        <translation>英文</translation>
    </message>
    <message>
        <source>Chinese</source>
        <translation>中文</translation>
    </message>
    <message>
        <source>&lt;b&gt;The chapter&apos;s table, on your text.&lt;/b&gt; Character-level BPE and WordPiece start from the characters seen in training: anything else (an emoji, a rare Chinese character) becomes &lt;span style=&apos;color:#c62828&apos;&gt;[UNK]&lt;/span&gt; and is lost. Byte-level BPE (RoBERTa, GPT-2) starts from the 256 bytes, so it encodes every string and never needs [UNK]; LLaMA&apos;s BPE falls back to bytes (&amp;lt;0xF0&amp;gt;…) for unseen characters. Rows marked “trained here” are real algorithms with a small vocabulary trained on the shipped corpus; MiniLM is the real 30,522-piece bert-base-uncased vocabulary.</source>
        <translation>&lt;b&gt;笔记中的对比表，用你的文本来验证。&lt;/b&gt;字符级 BPE 和 WordPiece 只认识训练时见过的字符：其他字符（表情符号、生僻汉字）会变成 &lt;span style=&apos;color:#c62828&apos;&gt;[UNK]&lt;/span&gt;，信息就此丢失。字节级 BPE（RoBERTa、GPT-2）从 256 个字节出发，任何字符串都能编码，从不需要 [UNK]；LLaMA 的 BPE 遇到没见过的字符时退回字节（&amp;lt;0xF0&amp;gt;…）。词表写着“此处”的各行是真实的分词算法，只是词表较小、在随附语料上训练而成；MiniLM 用的是真实的 bert-base-uncased 词表，共 30,522 个词片。</translation>
    </message>
    <message>
        <source>vocab {size}</source>
        <translation>词表 {size}</translation>
    </message>
    <message>
        <source>vocab {here} here · {real} real</source>
        <translation>词表：此处 {here} · 真实 {real}</translation>
    </message>
    <message>
        <source>Tokenizer</source>
        <translation>分词器</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>长度</translation>
    </message>
    <message>
        <source>Chars / piece</source>
        <translation>字符 / 词片</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>词元</translation>
    </message>
    <message>
        <source>Type any text: English, 中文, emoji…</source>
        <translation>输入任意文本：英文、中文、表情符号……</translation>
    </message>
    <message>
        <source>Examples:</source>
        <translation>示例：</translation>
    </message>
    <message>
        <source>Also:</source>
        <translation>另外：</translation>
    </message>
    <message>
        <source>unknown: lost</source>
        <translation>未知：丢失</translation>
    </message>
    <message>
        <source>special token</source>
        <translation>特殊词元</translation>
    </message>
    <message>
        <source>byte fallback</source>
        <translation>字节回退</translation>
    </message>
    <message>
        <source>small print: id, and for byte-level tokens the text (or leftover bytes, hex) they stand for · Length counts special tokens, Chars / piece does not</source>
        <translation>小字：词元编号；字节级词元还附上它代表的文本（或剩余字节的十六进制）· “长度”计入特殊词元，“字符 / 词片”不计入</translation>
    </message>
    <message>
        <source>building the {name} tokenizer (first time only)…</source>
        <translation>正在构建 {name} 分词器（仅第一次）…</translation>
    </message>
    <message>
        <source>Tokenizing…</source>
        <translation>正在分词…</translation>
    </message>
    <message>
        <source>{chars} characters, {bytes} UTF-8 bytes · [UNK]: {unknown}</source>
        <translation>{chars} 个字符，{bytes} 个 UTF-8 字节 · [UNK]：{unknown}</translation>
    </message>
    <message>
        <source>not available: {reason}</source>
        <translation>不可用：{reason}</translation>
    </message>
    <message>
        <source>{unknown} of {count} pieces are unknown</source>
        <translation>{count} 个词片中有 {unknown} 个未知</translation>
    </message>
    <message>
        <source>nothing lost</source>
        <translation>没有丢失任何内容</translation>
    </message>
    <message>
        <source>{count} + {special} special</source>
        <translation>{count} + {special} 个特殊词元</translation>
    </message>
    <message>
        <source>characters of the text per piece (special tokens not counted)</source>
        <translation>平均每个词片对应的文本字符数（不计特殊词元）</translation>
    </message>
    <message>
        <source>stands for: {text}</source>
        <translation>代表：{text}</translation>
    </message>
    <message>
        <source>unknown: this text is lost</source>
        <translation>未知：这段文本丢失了</translation>
    </message>
    <message>
        <source>&lt;b&gt;BPE learns merges in order.&lt;/b&gt; Every word starts as its characters (the last one carries &lt;code&gt;&amp;lt;/w&amp;gt;&lt;/code&gt;, the end of a word, as in GPT-1). Training counts neighbouring pairs and merges the most frequent one, again and again; encoding replays the merges in the same order. Step through them and watch your word grow from characters into pieces, e.g. &lt;code&gt;t&lt;/code&gt; + &lt;code&gt;h&lt;/code&gt; → &lt;code&gt;th&lt;/code&gt;.</source>
        <translation>&lt;b&gt;BPE 按顺序学习合并规则。&lt;/b&gt;每个词先拆成字符（最后一个字符带词尾标记 &lt;code&gt;&amp;lt;/w&amp;gt;&lt;/code&gt;，与 GPT-1 相同）。训练时统计相邻的字符对，把最频繁的一对合并，如此反复；分词时按同样的顺序重放这些合并。逐步播放，看你的词如何从字符合并成词片，例如 &lt;code&gt;t&lt;/code&gt; + &lt;code&gt;h&lt;/code&gt; → &lt;code&gt;th&lt;/code&gt;。</translation>
    </message>
    <message>
        <source>Shipped corpus: the GPT-1 tokenizer&apos;s merges</source>
        <translation>随附语料：GPT-1 分词器的合并规则</translation>
    </message>
    <message>
        <source>Learn from the text below</source>
        <translation>从下面的文本学习</translation>
    </message>
    <message>
        <source>learn </source>
        <translation>学习 </translation>
    </message>
    <message>
        <source> merges</source>
        <translation> 次合并</translation>
    </message>
    <message>
        <source>Learn</source>
        <translation>学习</translation>
    </message>
    <message>
        <source>a word (or a few) to watch</source>
        <translation>要观察的词（一个或几个）</translation>
    </message>
    <message>
        <source>|◀ Start</source>
        <translation>|◀ 开头</translation>
    </message>
    <message>
        <source>◀ Back</source>
        <translation>◀ 后退</translation>
    </message>
    <message>
        <source>Step ▶</source>
        <translation>前进 ▶</translation>
    </message>
    <message>
        <source>Next change ▶|</source>
        <translation>下一次变化 ▶|</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Play</source>
        <translation>播放</translation>
    </message>
    <message>
        <source>play only merges that change the word</source>
        <translation>只播放改变这个词的合并</translation>
    </message>
    <message>
        <source>Merges from</source>
        <translation>合并规则来自</translation>
    </message>
    <message>
        <source>Word to watch</source>
        <translation>观察的词</translation>
    </message>
    <message>
        <source>&lt;b&gt;How the word changed&lt;/b&gt; (click a line to go there)</source>
        <translation>&lt;b&gt;这个词的变化过程&lt;/b&gt;（点击一行跳到那里）</translation>
    </message>
    <message>
        <source>&lt;b&gt;Merges in the order learned&lt;/b&gt; (bold: touches the word)</source>
        <translation>&lt;b&gt;按学习顺序排列的合并规则&lt;/b&gt;（粗体：涉及这个词）</translation>
    </message>
    <message>
        <source>loading the GPT-1 tokenizer&apos;s merges (first time: training it)…</source>
        <translation>正在载入 GPT-1 分词器的合并规则（第一次需要训练）…</translation>
    </message>
    <message>
        <source>learning {count} merges…</source>
        <translation>正在学习 {count} 次合并…</translation>
    </message>
    <message>
        <source>Learning merges…</source>
        <translation>正在学习合并规则…</translation>
    </message>
    <message>
        <source>{count} merges learned from the shipped corpus (the GPT-1 tokenizer&apos;s own merges).</source>
        <translation>从随附语料学到 {count} 条合并规则（即 GPT-1 分词器自己的合并规则）。</translation>
    </message>
    <message>
        <source>{count} merges learned from your text.</source>
        <translation>从你的文本学到 {count} 条合并规则。</translation>
    </message>
    <message>
        <source>characters</source>
        <translation>字符</translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:#666&apos;&gt;merge 0 of {count}:&lt;/span&gt; the word as characters</source>
        <translation>&lt;span style=&apos;color:#666&apos;&gt;第 0 次合并（共 {count} 次）：&lt;/span&gt;这个词拆成字符</translation>
    </message>
    <message>
        <source>&lt;span style=&apos;color:#666&apos;&gt;merge rank&lt;/span&gt; &lt;b&gt;#{rank}&lt;/b&gt; &lt;span style=&apos;color:#666&apos;&gt;of {count}:&lt;/span&gt;</source>
        <translation>&lt;span style=&apos;color:#666&apos;&gt;合并序号&lt;/span&gt; &lt;b&gt;#{rank}&lt;/b&gt; &lt;span style=&apos;color:#666&apos;&gt;（共 {count} 次）：&lt;/span&gt;</translation>
    </message>
    <message>
        <source>(not in this word)</source>
        <translation>（不在这个词中）</translation>
    </message>
    <message>
        <source>before this merge: {pieces}</source>
        <translation>这次合并之前：{pieces}</translation>
    </message>
    <message>
        <source>1 piece</source>
        <translation>1 个词片</translation>
    </message>
    <message>
        <source>{count} pieces</source>
        <translation>{count} 个词片</translation>
    </message>
    <message>
        <source>{count} of the merges change this word</source>
        <translation>其中 {count} 次合并改变这个词</translation>
    </message>
    <message>
        <source>PLM Explorer — Compare tokenizers</source>
        <translation>PLM Explorer — 比较分词器</translation>
    </message>
    <message>
        <source>Compare tokenizers</source>
        <translation>比较分词器</translation>
    </message>
    <message>
        <source>BPE merges, step by step</source>
        <translation>逐步查看 BPE 合并</translation>
    </message>
</context>
</TS>
