<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>curves</name>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
</context>
<context>
    <name>engine_train</name>
    <message>
        <source>masked language modelling (BERT, RoBERTa, ALBERT)</source>
        <translation>掩码语言模型（BERT、RoBERTa、ALBERT）</translation>
    </message>
    <message>
        <source>next sentence prediction (BERT)</source>
        <translation>下一句预测（BERT）</translation>
    </message>
    <message>
        <source>sentence order prediction (ALBERT)</source>
        <translation>句序预测（ALBERT）</translation>
    </message>
    <message>
        <source>causal language modelling (GPT, LLaMA, ChatGLM)</source>
        <translation>因果语言模型（GPT、LLaMA、ChatGLM）</translation>
    </message>
    <message>
        <source>span corruption (T5)</source>
        <translation>片段破坏（T5）</translation>
    </message>
    <message>
        <source>autoregressive blank infilling (GLM)</source>
        <translation>自回归空白填充（GLM）</translation>
    </message>
    <message>
        <source>Static vs dynamic masking</source>
        <translation>静态掩码对比动态掩码</translation>
    </message>
    <message>
        <source>NSP vs SOP</source>
        <translation>NSP 对比 SOP</translation>
    </message>
    <message>
        <source>Pre-norm vs post-norm, {layers} layers</source>
        <translation>前置归一化对比后置归一化（{layers} 层）</translation>
    </message>
    <message>
        <source>Static vs dynamic masking (RoBERTa)</source>
        <translation>静态掩码对比动态掩码（RoBERTa）</translation>
    </message>
    <message>
        <source>NSP vs SOP (BERT, ALBERT)</source>
        <translation>NSP 对比 SOP（BERT、ALBERT）</translation>
    </message>
    <message>
        <source>Pre-norm vs post-norm at {layers} layers (GLM)</source>
        <translation>{layers} 层时的前置归一化对比后置归一化（GLM）</translation>
    </message>
    <message>
        <source>MLM loss on held-out text (nats)</source>
        <translation>留出文本上的 MLM 损失（nats）</translation>
    </message>
    <message>
        <source>accuracy on held-out pairs</source>
        <translation>留出句对上的准确率</translation>
    </message>
    <message>
        <source>training loss (nats)</source>
        <translation>训练损失（nats）</translation>
    </message>
    <message>
        <source>unigram entropy of the corpus</source>
        <translation>语料的一元熵</translation>
    </message>
    <message>
        <source>a coin toss</source>
        <translation>抛硬币</translation>
    </message>
    <message>
        <source>static masking</source>
        <translation>静态掩码</translation>
    </message>
    <message>
        <source>dynamic masking</source>
        <translation>动态掩码</translation>
    </message>
    <message>
        <source>static: training loss</source>
        <translation>静态：训练损失</translation>
    </message>
    <message>
        <source>dynamic: training loss</source>
        <translation>动态：训练损失</translation>
    </message>
    <message>
        <source>BERT-tiny trained with NSP: on NSP pairs</source>
        <translation>用 NSP 训练的 BERT-tiny：在 NSP 句对上</translation>
    </message>
    <message>
        <source>ALBERT-tiny trained with SOP: on SOP pairs</source>
        <translation>用 SOP 训练的 ALBERT-tiny：在 SOP 句对上</translation>
    </message>
    <message>
        <source>NSP-trained: on SOP pairs</source>
        <translation>NSP 训练的：在 SOP 句对上</translation>
    </message>
    <message>
        <source>SOP-trained: on NSP pairs</source>
        <translation>SOP 训练的：在 NSP 句对上</translation>
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
        <source>the bundled corpus (assets/corpus, {files} files)</source>
        <translation>内置语料（assets/corpus，{files} 个文件）</translation>
    </message>
    <message>
        <source>{path} is not a text file: give the path of a UTF-8 .txt file.</source>
        <translation>{path} 不是文本文件：请给出一个 UTF-8 编码的“.txt”文件的路径。</translation>
    </message>
    <message>
        <source>{name} is not UTF-8 text (byte {byte} cannot be read).</source>
        <translation>{name} 不是 UTF-8 文本（第 {byte} 个字节无法读取）。</translation>
    </message>
    <message>
        <source>{name} cannot be read ({reason}).</source>
        <translation>无法读取 {name}（{reason}）。</translation>
    </message>
    <message>
        <source>{name} looks like a binary file (it holds NUL bytes), not text: give a UTF-8 .txt file.</source>
        <translation>{name} 看起来是二进制文件（含有 NUL 字节），不是文本：请给出 UTF-8 编码的“.txt”文件。</translation>
    </message>
    <message>
        <source>{name} holds no text.</source>
        <translation>{name} 里没有文本。</translation>
    </message>
    <message>
        <source>{title} needs documents of two sentences or more, and two documents at least; this corpus has {pairs} sentence pairs in {documents} documents.</source>
        <translation>{title}需要至少两篇文档、每篇两句以上；这份语料的 {documents} 篇文档中只有 {pairs} 个句对。</translation>
    </message>
    <message>
        <source>The corpus gives {count} tokens, fewer than one sequence of {length}: give a longer text or a shorter --seq-len.</source>
        <translation>语料只有 {count} 个词元，凑不满一条长 {length} 的序列：请换更长的文本，或调小“每条序列的词元数”。</translation>
    </message>
    <message>
        <source>{name} reads at most {limit} tokens: choose a sequence length of {limit2} or less.</source>
        <translation>{name} 最多读取 {limit} 个词元：请把序列长度设为 {limit2} 或更小。</translation>
    </message>
    <message>
        <source>The loss became {value} at step {step}: lower the learning rate.</source>
        <translation>第 {step} 步时损失变成了 {value}：请降低学习率。</translation>
    </message>
    <message>
        <source>engine.load cannot reopen this {family} folder yet: config.json says model_type {model_type} and the app reads it as {found} (the {family2} family lists no model_type of its own). The weights are saved under their Hugging Face names.</source>
        <translation>engine.load 暂时无法重新打开这个 {family} 文件夹：config.json 写的 model_type 是 {model_type}，本程序会把它当作 {found}（{family2} 系列没有自己的 model_type）。权重已按 Hugging Face 的名称保存。</translation>
    </message>
    <message>
        <source>engine.load cannot reopen this {family} folder yet: config.json says model_type {model_type} and the app does not know its model_type (the {family2} family lists no model_type of its own). The weights are saved under their Hugging Face names.</source>
        <translation>engine.load 暂时无法重新打开这个 {family} 文件夹：config.json 写的 model_type 是 {model_type}，本程序不认识它（{family2} 系列没有自己的 model_type）。权重已按 Hugging Face 的名称保存。</translation>
    </message>
    <message>
        <source>{name} came without tokenizer files: it cannot read the sentiment lines.</source>
        <translation>{name} 没有分词器文件：无法读取情感语句。</translation>
    </message>
</context>
<context>
    <name>lab_finetune</name>
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
        <source>{weights} weights</source>
        <translation>{weights} 权重</translation>
    </message>
    <message>
        <source>{name}  ·  real weights</source>
        <translation>{name}  ·  真实权重</translation>
    </message>
    <message>
        <source>{name}  ·  {family}, random weights</source>
        <translation>{name}  ·  {family}，随机权重</translation>
    </message>
    <message>
        <source>Encoder</source>
        <translation>编码器</translation>
    </message>
    <message>
        <source>Lines</source>
        <translation>语句</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>training loss (each step)</source>
        <translation>训练损失（每步）</translation>
    </message>
    <message>
        <source>held-out accuracy</source>
        <translation>留出准确率</translation>
    </message>
    <message>
        <source>English + Chinese</source>
        <translation>英文 + 中文</translation>
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
        <source>Fine-tune</source>
        <translation>微调</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>&lt;b&gt;Pre-train, then fine-tune.&lt;/b&gt; A new linear classifier reads the encoder&apos;s [CLS] vector (through its pooler when it has one) and says &lt;i&gt;positive&lt;/i&gt; or &lt;i&gt;negative&lt;/i&gt;; the classifier and the whole encoder are trained together on short lines this project wrote, with a small learning rate, and measured on a fifth of the lines held out. Compare a random-weight tiny model with MiniLM&apos;s real weights: pretraining is what makes a few hundred lines enough.</source>
        <translation>&lt;b&gt;先预训练，再微调。&lt;/b&gt;一个新的线性分类器读取编码器的 [CLS] 向量（有池化层时经过池化层），判断&lt;i&gt;正面&lt;/i&gt;或&lt;i&gt;负面&lt;/i&gt;；分类器和整个编码器一起，用较小的学习率在本项目编写的短句上训练，并在留出的五分之一句子上检验。比较随机权重的微型模型和 MiniLM 的真实权重：正是预训练让几百条句子就够用。</translation>
    </message>
    <message>
        <source>Training loss (cross-entropy)</source>
        <translation>训练损失（交叉熵）</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>Accuracy on the held-out lines</source>
        <translation>留出语句上的准确率</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>chance</source>
        <translation>随机猜测</translation>
    </message>
    <message>
        <source>Held-out accuracy: before (grey) and after (green) fine-tuning</source>
        <translation>留出语句准确率：微调前（灰）与微调后（绿）</translation>
    </message>
    <message>
        <source>held-out line</source>
        <translation>留出语句</translation>
    </message>
    <message>
        <source>true</source>
        <translation>真实</translation>
    </message>
    <message>
        <source>predicted</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>sure</source>
        <translation>把握</translation>
    </message>
    <message>
        <source>loading {name}…</source>
        <translation>正在加载 {name}…</translation>
    </message>
    <message>
        <source>stopped before training began</source>
        <translation>训练开始前已停止</translation>
    </message>
    <message>
        <source>&lt;b&gt;{model}&lt;/b&gt; ({family}, {weights}) · {train} lines to learn, {held} held out · lr {lr}</source>
        <translation>&lt;b&gt;{model}&lt;/b&gt;（{family}，{weights}）· 训练 {train} 句，留出 {held} 句 · 学习率 {lr}</translation>
    </message>
    <message>
        <source>step {step} of {steps}, loss {loss}, {seconds} s</source>
        <translation>第 {step}/{steps} 步，损失 {loss}，{seconds} 秒</translation>
    </message>
    <message>
        <source>held-out accuracy &lt;b&gt;{before} → {after}&lt;/b&gt;</source>
        <translation>留出准确率 &lt;b&gt;{before} → {after}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>{share} of the English tokens are [UNK] to this tokenizer: it cannot tell those characters apart</source>
        <translation>英文词元中有 {share} 是 [UNK]：这个分词器分不清这些字符</translation>
    </message>
    <message>
        <source>{share} of the Chinese tokens are [UNK] to this tokenizer: it cannot tell those characters apart</source>
        <translation>中文词元中有 {share} 是 [UNK]：这个分词器分不清这些字</translation>
    </message>
    <message>
        <source>all</source>
        <translation>全部</translation>
    </message>
    <message>
        <source>The held-out lines and the classifier&apos;s labels</source>
        <translation>留出语句及分类器给出的标签</translation>
    </message>
    <message>
        <source>The held-out lines and the classifier&apos;s labels before training</source>
        <translation>留出语句及分类器在训练前给出的标签</translation>
    </message>
    <message>
        <source>The held-out lines and the classifier&apos;s labels after step {step}</source>
        <translation>留出语句及分类器在第 {step} 步后给出的标签</translation>
    </message>
    <message>
        <source>{title}: {right} of {count} right</source>
        <translation>{title}：{count} 句中对 {right} 句</translation>
    </message>
    <message>
        <source>positive</source>
        <translation>正面</translation>
    </message>
    <message>
        <source>negative</source>
        <translation>负面</translation>
    </message>
</context>
<context>
    <name>lab_induction</name>
    <message>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>&lt;b&gt;In-context learning in miniature.&lt;/b&gt; A two-layer transformer with attention only (no MLPs) learns sequences of random tokens repeated once: &lt;tt&gt;[BOS] a b c … a b c …&lt;/tt&gt;. The first half cannot be predicted; the repeated half can, once a head of layer 2 learns to look at the token &lt;i&gt;after&lt;/i&gt; the previous occurrence of the current one and copy it (an &lt;b&gt;induction head&lt;/b&gt;, helped by a previous-token head in layer 1). This is the mechanism behind copying from a few-shot prompt (Olsson et al. 2022).</source>
        <translation>&lt;b&gt;微型的上下文学习。&lt;/b&gt;一个只有注意力（没有 MLP）的两层 Transformer 学习由随机词元重复一次组成的序列：&lt;tt&gt;[BOS] a b c … a b c …&lt;/tt&gt;。前半段无法预测；后半段可以——只要第 2 层的某个头学会看向当前词元上一次出现位置&lt;i&gt;之后&lt;/i&gt;的那个词元并把它复制出来（&lt;b&gt;归纳头&lt;/b&gt;，第 1 层的“前一词元”头帮它完成）。这正是模型能从 few-shot 提示中照搬示例的机制（Olsson et al. 2022）。</translation>
    </message>
    <message>
        <source>Loss on each half (cross-entropy, nats)</source>
        <translation>前后两半的损失（交叉熵，nats）</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>first half</source>
        <translation>前半段</translation>
    </message>
    <message>
        <source>repeated half</source>
        <translation>重复的后半段</translation>
    </message>
    <message>
        <source>Induction score (dark) · previous-token score (light)</source>
        <translation>归纳分数（深色）· 前一词元分数（浅色）</translation>
    </message>
    <message>
        <source>score</source>
        <translation>分数</translation>
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
        <source>The best induction head&apos;s attention appears here as it trains.</source>
        <translation>训练时，这里显示归纳分数最高的头的注意力。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Layer {layer}, head {head}&lt;/b&gt; at step {step} (induction score {score}) on a repeated sequence of {count} tokens. An induction head draws a stripe {offset} columns left of the diagonal in the second half: each token looks at the token that followed it last time.</source>
        <translation>&lt;b&gt;第 {layer} 层第 {head} 个头&lt;/b&gt;（第 {step} 步，归纳分数 {score}）在一个由 {count} 个词元重复而成的序列上的注意力。归纳头在后半段画出一条位于对角线左侧 {offset} 列的斜线：每个词元都看向上次紧跟在它后面的词元。</translation>
    </message>
    <message>
        <source>chance, ln {vocab} =</source>
        <translation>随机猜测，log {vocab} =</translation>
    </message>
    <message>
        <source>repeated &lt; ½ first: step {step}</source>
        <translation>后半段 &lt; 前半段的一半：第 {step} 步</translation>
    </message>
    <message>
        <source>training…</source>
        <translation>训练中…</translation>
    </message>
    <message>
        <source>stopped before training began</source>
        <translation>训练开始前已停止</translation>
    </message>
    <message>
        <source>step {step} of {steps} · first half {first}, repeated half {repeated} · best head layer {layer} head {head}: {score} · {seconds} s</source>
        <translation>第 {step}/{steps} 步 · 前半段 {first}，后半段 {repeated} · 最佳头：第 {layer} 层第 {head} 个，{score} · {seconds} 秒</translation>
    </message>
    <message>
        <source>dropped at step {step}</source>
        <translation>第 {step} 步开始下降</translation>
    </message>
    <message>
        <source>no drop yet: train longer</source>
        <translation>尚未下降：多训练一些步</translation>
    </message>
    <message>
        <source>{steps} steps in {seconds} s · repeated half {repeated} vs first half {first} · {dropped} · best: layer {layer} head {head}, {score}</source>
        <translation>{steps} 步，用时 {seconds} 秒 · 后半段 {repeated}，前半段 {first} · {dropped} · 最佳：第 {layer} 层第 {head} 个头，{score}</translation>
    </message>
</context>
<context>
    <name>training</name>
    <message>
        <source>loss of each step</source>
        <translation>每步的损失</translation>
    </message>
    <message>
        <source>mean of the last 20 steps</source>
        <translation>最近 20 步的平均</translation>
    </message>
    <message>
        <source>Edited on the Parameters page</source>
        <translation>在参数页编辑的配置</translation>
    </message>
    <message>
        <source>the bundled bilingual corpus (English and Chinese)</source>
        <translation>内置双语语料（英文 + 中文）</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Objective</source>
        <translation>目标</translation>
    </message>
    <message>
        <source>Corpus</source>
        <translation>语料</translation>
    </message>
    <message>
        <source>Settings</source>
        <translation>设置</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>batch</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>tokens per sequence</source>
        <translation>每条序列的词元数</translation>
    </message>
    <message>
        <source>masked</source>
        <translation>掩码比例</translation>
    </message>
    <message>
        <source>The share of tokens chosen for prediction (BERT: 15%; more labels per step, a harder task)</source>
        <translation>被选中用于预测的词元比例（BERT：15%；比例越高，每步的标签越多，任务也越难）</translation>
    </message>
    <message>
        <source>one sentence per example</source>
        <translation>每个样本一个句子</translation>
    </message>
    <message>
        <source>Cut the corpus into sentences, each framed as a typed sentence is ([CLS] sentence [SEP]), instead of windows of running text: a small model then fills blanks in one typed sentence better</source>
        <translation>把语料切成句子，每句按输入句子的方式加框（[CLS] 句子 [SEP]），而不是切成连续文本的固定窗口：这样小模型更会填补单个输入句子里的空缺</translation>
    </message>
    <message>
        <source>dynamic masking</source>
        <translation>动态掩码</translation>
    </message>
    <message>
        <source>RoBERTa: a new mask for each sequence every epoch; off: BERT&apos;s static masks</source>
        <translation>RoBERTa：每轮为每条序列重新抽取掩码；关闭：BERT 的静态掩码</translation>
    </message>
    <message>
        <source>loss (nats)</source>
        <translation>损失（nats）</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>unigram entropy</source>
        <translation>一元熵</translation>
    </message>
    <message>
        <source>{source}: {count} tokens</source>
        <translation>{source}：{count} 个词元</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>暂停</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>停止</translation>
    </message>
    <message>
        <source>Save…</source>
        <translation>保存…</translation>
    </message>
    <message>
        <source>Open in the step-through</source>
        <translation>在“逐步查看”页中打开</translation>
    </message>
    <message>
        <source>Text file…</source>
        <translation>文本文件…</translation>
    </message>
    <message>
        <source>{device} (the window&apos;s choice, top right of the step-through)</source>
        <translation>{device}（窗口的选择，在“逐步查看”页右上角）</translation>
    </message>
    <message>
        <source>&lt;b&gt;Pretraining, live.&lt;/b&gt; The model starts from random weights: its first loss is about ln(vocabulary size), the cost of guessing uniformly. The dashed line is the &lt;b&gt;unigram entropy&lt;/b&gt; of the corpus, the loss of a model that knows only how often each token occurs and ignores the context. A curve below it means the model uses the words around each position.&lt;br&gt;&lt;br&gt;MLM (BERT, RoBERTa, ALBERT) predicts the chosen tokens (15% by default); NSP/SOP add a sentence-pair loss (ln 2 = 0.69 is a coin toss); CLM (GPT, LLaMA, ChatGLM) predicts every next token; span corruption (T5) the masked spans; blank infilling (GLM) Part B.&lt;br&gt;&lt;br&gt;Save writes a Hugging Face folder (config.json, model.safetensors, tokenizer.json) that the step-through, engine.load and transformers reopen.</source>
        <translation>&lt;b&gt;现场预训练。&lt;/b&gt;模型从随机权重开始：第一个损失约为 log(词表大小)（自然对数），即均匀猜测的代价。虚线是语料的&lt;b&gt;一元熵&lt;/b&gt;：只知道每个词元出现频率、不看上下文的模型的损失。曲线低于它，说明模型用上了每个位置周围的词。&lt;br&gt;&lt;br&gt;MLM（BERT、RoBERTa、ALBERT）预测被选中的词元（默认 15%）；NSP/SOP 再加一个句对损失（log 2 = 0.69 即抛硬币）；CLM（GPT、LLaMA、ChatGLM）预测每个下一个词元；片段破坏（T5）预测被遮住的片段；空白填充（GLM）预测 Part B。&lt;br&gt;&lt;br&gt;保存会写出 Hugging Face 格式的文件夹（config.json、model.safetensors、tokenizer.json），“逐步查看”页、engine.load 与 transformers 都能重新打开。</translation>
    </message>
    <message>
        <source>{kind}  ·  {title}</source>
        <translation>{kind}  ·  {title}</translation>
    </message>
    <message>
        <source>(no pretraining head: nothing to train)</source>
        <translation>（没有预训练头：无法训练）</translation>
    </message>
    <message>
        <source>(finding what it can learn…)</source>
        <translation>（正在查找它能学的目标…）</translation>
    </message>
    <message>
        <source>A UTF-8 text file (blank lines between documents)</source>
        <translation>UTF-8 文本文件（文档之间空一行）</translation>
    </message>
    <message>
        <source>Text (*.txt *.md);;Any file (*)</source>
        <translation>文本 (*.txt *.md);;任意文件 (*)</translation>
    </message>
    <message>
        <source>Something went wrong: {message}</source>
        <translation>出错了：{message}</translation>
    </message>
    <message>
        <source>Pick a readable corpus first.</source>
        <translation>请先选择可读的语料。</translation>
    </message>
    <message>
        <source>{name}: {documents} documents, {characters} characters.</source>
        <translation>{name}：{documents} 篇文档，{characters} 个字符。</translation>
    </message>
    <message>
        <source>Saved {folder}: {files} ({parameters} parameters).</source>
        <translation>已保存到 {folder}：{files}（{parameters} 个参数）。</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>Stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>the MLM loss</source>
        <translation>MLM 损失</translation>
    </message>
    <message>
        <source>the loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>{state} after {steps} steps: {what} averages {final} over the last steps, {gap} nats below the unigram entropy ({entropy}). Save it to open it in the step-through.</source>
        <translation>{state}，共 {steps} 步：最后几步的平均{what}为 {final}，比一元熵（{entropy}）低 {gap} nats。保存后可在“逐步查看”页中打开。</translation>
    </message>
    <message>
        <source>{state} after {steps} steps: {what} averages {final} over the last steps, {gap} nats above the unigram entropy ({entropy}). Save it to open it in the step-through.</source>
        <translation>{state}，共 {steps} 步：最后几步的平均{what}为 {final}，比一元熵（{entropy}）高 {gap} nats。保存后可在“逐步查看”页中打开。</translation>
    </message>
    <message>
        <source>loading {name}…</source>
        <translation>正在加载 {name}…</translation>
    </message>
    <message>
        <source>step &lt;b&gt;{step}&lt;/b&gt; / {steps} · epoch {epoch} · loss &lt;b&gt;{loss}&lt;/b&gt;{parts} · lr {lr} · {speed} tokens/s · {corpus}</source>
        <translation>第 &lt;b&gt;{step}&lt;/b&gt; / {steps} 步 · 第 {epoch} 轮 · 损失 &lt;b&gt;{loss}&lt;/b&gt;{parts} · 学习率 {lr} · 每秒 {speed} 个词元 · {corpus}</translation>
    </message>
    <message>
        <source>paused</source>
        <translation>已暂停</translation>
    </message>
    <message>
        <source>Save the trained model into a folder</source>
        <translation>把训练好的模型保存到文件夹</translation>
    </message>
    <message>
        <source>trained here: {kind}, saved in {folder}</source>
        <translation>在此训练：{kind}，保存在 {folder}</translation>
    </message>
    <message>
        <source>Stopped before both models were trained: nothing to compare yet.</source>
        <translation>两个模型都训练完之前就停止了：还没有可比较的结果。</translation>
    </message>
    <message>
        <source>the two held-out losses end within {difference} nats of each other, inside the step-to-step wobble of the curves ({noise}): at this size and length, re-drawing the masks made no measurable difference</source>
        <translation>两个留出损失最后只差 {difference} nats，没有超出曲线逐步的抖动（{noise}）：在这样的规模和训练长度下，重新抽取掩码没有带来可测量的差别</translation>
    </message>
    <message>
        <source>dynamic masking ends {difference} nats lower on held-out text ({dynamic} against {static}), more than the curves&apos; wobble ({noise}): fresh masks each epoch gave the model more different questions to learn from</source>
        <translation>动态掩码最后在留出文本上低 {difference} nats（{dynamic} 对 {static}），超过了曲线的抖动（{noise}）：每轮换新的掩码，让模型有更多不同的题目可学</translation>
    </message>
    <message>
        <source>static masking ends {difference} nats lower on held-out text ({static} against {dynamic}), more than the curves&apos; wobble ({noise}): here the repeated masks did not hurt, the opposite of what the RoBERTa paper measured at full scale (where the two were close, dynamic slightly better)</source>
        <translation>静态掩码最后在留出文本上低 {difference} nats（{static} 对 {dynamic}），超过了曲线的抖动（{noise}）：这里重复的掩码并没有坏处，与 RoBERTa 论文在完整规模上测得的相反（那里两者接近，动态略好）</translation>
    </message>
    <message>
        <source>The static model&apos;s training loss sits {gap} nats further below its held-out loss than the dynamic one&apos;s: it has begun to memorise the answers to its fixed masks.</source>
        <translation>静态模型的训练损失比它的留出损失低得更多，差距比动态模型大 {gap} nats：它已开始背下固定掩码的答案。</translation>
    </message>
    <message>
        <source>Neither ends below the corpus&apos;s unigram entropy ({entropy}), the loss of guessing from word frequencies alone.</source>
        <translation>两者最后都没有低于语料的一元熵（{entropy}），即只凭词频猜测的损失。</translation>
    </message>
    <message>
        <source>Both end below the corpus&apos;s unigram entropy ({entropy}), the loss of guessing from word frequencies alone.</source>
        <translation>两者最后都低于语料的一元熵（{entropy}），即只凭词频猜测的损失。</translation>
    </message>
    <message>
        <source>Only the static model ends below the corpus&apos;s unigram entropy ({entropy}), the loss of guessing from word frequencies alone.</source>
        <translation>只有静态模型最后低于语料的一元熵（{entropy}），即只凭词频猜测的损失。</translation>
    </message>
    <message>
        <source>Only the dynamic model ends below the corpus&apos;s unigram entropy ({entropy}), the loss of guessing from word frequencies alone.</source>
        <translation>只有动态模型最后低于语料的一元熵（{entropy}），即只凭词频猜测的损失。</translation>
    </message>
    <message>
        <source>Both copies of bert-tiny started from the same weights and saw the same text for {steps} steps ({epochs} passes over the training part); {verdict}.</source>
        <translation>两份 bert-tiny 从相同的权重出发，在 {steps} 步里看到相同的文本（训练部分过了 {epochs} 遍）；{verdict}。</translation>
    </message>
    <message>
        <source>{value} (no better than a coin toss)</source>
        <translation>{value}（不比抛硬币好）</translation>
    </message>
    <message>
        <source>{value} (above chance)</source>
        <translation>{value}（高于随机）</translation>
    </message>
    <message>
        <source>{value} (below chance)</source>
        <translation>{value}（低于随机）</translation>
    </message>
    <message>
        <source>the NSP-trained model&apos;s skill does not carry over to ordering</source>
        <translation>NSP 训练出的本领没有迁移到判断句序上</translation>
    </message>
    <message>
        <source>the NSP-trained model also tells the order apart somewhat</source>
        <translation>NSP 训练的模型也能在一定程度上分辨句序</translation>
    </message>
    <message>
        <source>the SOP-trained model tells unrelated sentences apart too</source>
        <translation>SOP 训练的模型也能分辨不相关的句子</translation>
    </message>
    <message>
        <source>the SOP-trained model&apos;s skill does not carry over to NSP pairs</source>
        <translation>SOP 训练出的本领没有迁移到 NSP 句对上</translation>
    </message>
    <message>
        <source>; </source>
        <translation>；</translation>
    </message>
    <message>
        <source>{kind} {loss} while MLM went from {start} to {end}</source>
        <translation>{kind} 为 {loss}，同时 MLM 损失从 {start} 变为 {end}</translation>
    </message>
    <message>
        <source>neither model learned its own task in these steps, so the comparison the ALBERT paper made cannot be read from these curves. The sentence part of the training loss ended at {parts} (ln 2 = 0.693 is a coin toss): the MLM part is learned first, and the pooled [CLS] vector of a tiny model starts almost the same for every text</source>
        <translation>在这些步数里两个模型都没学会自己的任务，所以从这些曲线读不出 ALBERT 论文所做的比较。训练损失中句子任务的部分最后为：{parts}（log 2 = 0.693 即抛硬币）：MLM 部分先被学会，而微型模型池化后的 [CLS] 向量起初对每段文本几乎都一样</translation>
    </message>
    <message>
        <source>SOP is the harder task: this tiny ALBERT did not learn it in these steps, so the paper&apos;s comparison cannot be made at this size (try more steps)</source>
        <translation>SOP 是更难的任务：这个微型 ALBERT 在这些步数里没学会它，所以在这个规模上做不了论文里的比较（试试更多步数）</translation>
    </message>
    <message>
        <source>After {steps} steps each, on {pairs} held-out pairs per task (chance wobble about ±{chance}): BERT-tiny trained with NSP scores {nsp_on_nsp} on NSP pairs and {nsp_on_sop} on SOP pairs; ALBERT-tiny trained with SOP scores {sop_on_sop} on SOP pairs and {sop_on_nsp} on NSP pairs. So here {transfer}. NSP can be solved by noticing that the second sentence is about another topic; SOP keeps the topic the same and asks only for the order.</source>
        <translation>各训练 {steps} 步后，在每个任务 {pairs} 个留出句对上（随机波动约 ±{chance}）：用 NSP 训练的 BERT-tiny 在 NSP 句对上得 {nsp_on_nsp}，在 SOP 句对上得 {nsp_on_sop}；用 SOP 训练的 ALBERT-tiny 在 SOP 句对上得 {sop_on_sop}，在 NSP 句对上得 {sop_on_nsp}。由此可见：{transfer}。NSP 只要注意到第二句换了话题就能解决；SOP 保持话题不变，只问顺序。</translation>
    </message>
    <message>
        <source>{count} warm-up steps</source>
        <translation>{count} 步预热</translation>
    </message>
    <message>
        <source>no warm-up</source>
        <translation>没有预热</translation>
    </message>
    <message>
        <source>Two {layers}-layer GLMs of width {width}, the same weights&apos; seed, the same batches and the same learning rate ({lr}, {warmup}, no gradient clipping), {steps} steps each</source>
        <translation>两个 {layers} 层、宽 {width} 的 GLM，权重的随机种子相同，批次相同，学习率也相同（{lr}，{warmup}，不做梯度裁剪），各训练 {steps} 步</translation>
    </message>
    <message>
        <source>the pre-norm stack diverged at step {step} (its loss became infinite)</source>
        <translation>前置归一化模型在第 {step} 步发散（损失变成无穷大）</translation>
    </message>
    <message>
        <source>the post-norm stack diverged at step {step} (its loss became infinite)</source>
        <translation>后置归一化模型在第 {step} 步发散（损失变成无穷大）</translation>
    </message>
    <message>
        <source>the pre-norm stack went from {first} to {final}</source>
        <translation>前置归一化模型的损失从 {first} 变为 {final}</translation>
    </message>
    <message>
        <source>the post-norm stack went from {first} to {final}</source>
        <translation>后置归一化模型的损失从 {first} 变为 {final}</translation>
    </message>
    <message>
        <source>Post-norm&apos;s trouble showed plainly: without warm-up its deep stack could not be trained at this rate.</source>
        <translation>后置归一化的问题显露无遗：没有预热，它的深层堆叠在这个学习率下训练不起来。</translation>
    </message>
    <message>
        <source>Post-norm ends {difference} nats behind (more than the last steps&apos; spread of {wobble}): with every residual sum normalised, the gradients reaching the lower layers of a deep stack are uneven at the start, and without warm-up the first large steps set it back.</source>
        <translation>后置归一化最后落后 {difference} nats（超过最后几步的波动 {wobble}）：每个残差和都被归一化，深层堆叠中到达下层的梯度起初很不均匀，没有预热时，最初的大步更新会让它倒退。</translation>
    </message>
    <message>
        <source>Here post-norm ends {difference} nats ahead (more than the spread of {wobble}): at this size and rate the trouble the papers report did not show.</source>
        <translation>这里后置归一化最后领先 {difference} nats（超过波动 {wobble}）：在这个规模和学习率下，论文所说的问题没有出现。</translation>
    </message>
    <message>
        <source>The two end within {difference} nats, inside the last steps&apos; spread ({wobble}): at this size and rate no difference showed in the loss. The paper that reports post-norm&apos;s trouble without warm-up (Xiong et al. 2020) trained far wider models for far longer.</source>
        <translation>两者最后只差 {difference} nats，没有超出最后几步的波动（{wobble}）：在这个规模和学习率下，损失上看不出差别。报告后置归一化在没有预热时出问题的论文（Xiong et al. 2020）训练的模型宽得多、时间也长得多。</translation>
    </message>
    <message>
        <source>neither overshot its start much.</source>
        <translation>两者都没有明显超过起点。</translation>
    </message>
    <message>
        <source>the pre and the post-norm stacks jumped above where they began, the rough start a warm-up is there to smooth.</source>
        <translation>前置和后置归一化模型的损失都跳到了起点之上，这正是预热要抚平的不稳起步。</translation>
    </message>
    <message>
        <source>the pre-norm stack jumped above where it began, the rough start a warm-up is there to smooth.</source>
        <translation>前置归一化模型的损失跳到了起点之上，这正是预热要抚平的不稳起步。</translation>
    </message>
    <message>
        <source>the post-norm stack jumped above where it began, the rough start a warm-up is there to smooth.</source>
        <translation>后置归一化模型的损失跳到了起点之上，这正是预热要抚平的不稳起步。</translation>
    </message>
    <message>
        <source>In the first {early} steps the loss peaked at {pre_peak} (pre-norm) and {post_peak} (post-norm), against starts of {pre_first} and {post_first}: {outcome}</source>
        <translation>在前 {early} 步里，损失的峰值是 {pre_peak}（前置归一化）和 {post_peak}（后置归一化），起点分别是 {pre_first} 和 {post_first}：{outcome}</translation>
    </message>
    <message>
        <source>pre-norm from {first} at layer 1 to {last} at layer {layers} (median {median})</source>
        <translation>前置归一化从第 1 层的 {first} 到第 {layers} 层的 {last}（中位数 {median}）</translation>
    </message>
    <message>
        <source>post-norm from {first} at layer 1 to {last} at layer {layers} (median {median})</source>
        <translation>后置归一化从第 1 层的 {first} 到第 {layers} 层的 {last}（中位数 {median}）</translation>
    </message>
    <message>
        <source>Before the first step, the gradient reaching each layer&apos;s weights went {pre} and {post}: where the norm sits decides how the learning signal is shared out over the depth; Adam rescales each weight&apos;s update, one reason the loss curves can still agree.</source>
        <translation>第一步之前，到达各层权重的梯度大小：{pre}；{post}。归一化放在哪里，决定了学习信号如何在深度上分配；Adam 会按权重重新缩放更新，这是损失曲线仍可能一致的原因之一。</translation>
    </message>
    <message>
        <source>{setting}: {pre}, {post} (unigram entropy {entropy}).</source>
        <translation>{setting}：{pre}，{post}（一元熵 {entropy}）。</translation>
    </message>
    <message>
        <source>default</source>
        <translation>默认</translation>
    </message>
    <message>
        <source>steps per model (default: each experiment&apos;s own)</source>
        <translation>每个模型的步数（默认：各实验自己的设定）</translation>
    </message>
    <message>
        <source>steps per model</source>
        <translation>每个模型的步数</translation>
    </message>
    <message>
        <source>Each button trains two tiny models side by side on the bundled corpus (seeded: the same seed gives the same curves) and reads the result from the numbers. Tiny models and a few hundred steps are not the papers&apos; setting: the reading says what happened here.</source>
        <translation>每个按钮在内置语料上并排训练两个微型模型（有随机种子：相同种子得到相同曲线），并根据数字解读结果。微型模型和几百步不是论文的设置：解读只说明这里实际发生了什么。</translation>
    </message>
    <message>
        <source>running…</source>
        <translation>运行中…</translation>
    </message>
    <message>
        <source>done</source>
        <translation>完成</translation>
    </message>
    <message>
        <source>stopped</source>
        <translation>已停止</translation>
    </message>
    <message>
        <source>{label}: step {step} of {steps}, loss {loss}</source>
        <translation>{label}：第 {step}/{steps} 步，损失 {loss}</translation>
    </message>
    <message>
        <source>Pretrain</source>
        <translation>预训练</translation>
    </message>
    <message>
        <source>Experiments</source>
        <translation>实验</translation>
    </message>
    <message>
        <source>Fine-tune</source>
        <translation>微调</translation>
    </message>
    <message>
        <source>Induction heads</source>
        <translation>归纳头</translation>
    </message>
</context>
</TS>
