import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict';
import { FoodLexicon } from './food-lexicon';
import { basicNormalize, cjkShare, englishWords, hasCjk } from './text-normalizer';

export type TextLanguage = 'zh' | 'en' | 'mixed';

/** Above this share of CJK letters a text is Chinese, below its complement English; in between, mixed. */
const ZH_THRESHOLD = 0.8;
const EN_THRESHOLD = 0.2;

/**
 * Frequency given to lexicon words in the segmenter's user dictionary: high enough that "手枪腿" or
 * "芫荽" come out whole, low enough not to outweigh the default dictionary's common words.
 */
const USER_WORD_FREQUENCY = 50000;

/** English words that carry no meaning for search or similarity. */
export const ENGLISH_STOP_WORDS: ReadonlySet<string> = new Set(
  (
    'a an the and or of with without in on at to for from by as is are be it its this that these those i me my we our you ' +
    'your some any how what which recipe recipes dish dishes food make making cook cooking want like please best easy ' +
    'style homemade home made simple good nice tasty delicious using use can do does ' +
    // Italian function words in GialloZafferano dish names.
    'al alla alle allo ai agli di del della delle dei e con in da per la le il lo gli'
  ).split(/\s+/),
);

/** Chinese function words and filler that jieba returns as separate tokens. */
export const CHINESE_STOP_WORDS: ReadonlySet<string> = new Set(
  (
    '的 了 和 与 及 跟 或 是 在 有 也 都 就 要 想 想要 我 我们 你 给 把 被 做 做法 怎么 怎么做 怎样 如何 吃 来 个 一个 一道 道 ' +
    '对 做好 能做好 点 些 一些 一下 什么 哪些 推荐 好吃 简单 家常 的话 可以 能 会 呢 吗 吧 啊 呀 哦 版 款 之 其 用 和风味 菜谱 食谱 菜 美食'
  ).split(/\s+/),
);

/**
 * Language detection and word segmentation for both languages. Owns the one jieba instance (its
 * dictionary takes a noticeable moment to load): build one TextAnalyzer per process and share it.
 */
export class TextAnalyzer {
  private readonly jieba: Jieba;

  constructor(private readonly lexicon: FoodLexicon) {
    this.jieba = Jieba.withDict(dict);
    const userDict = lexicon
      .chineseSurfaceForms()
      .filter((word) => word.length >= 2)
      .map((word) => `${word} ${USER_WORD_FREQUENCY} n`)
      .join('\n');
    this.jieba.loadDict(Buffer.from(userDict, 'utf8'));
  }

  /** By the share of CJK characters among letters; text without letters counts as English. */
  detectLanguage(text: string): TextLanguage {
    const share = cjkShare(text);
    if (share >= ZH_THRESHOLD) return 'zh';
    if (share <= EN_THRESHOLD) return 'en';
    return 'mixed';
  }

  /**
   * Word tokens in reading order: Chinese runs through jieba, everything else through the English
   * tokenizer. Punctuation and whitespace are dropped; stop words are kept (the query parser needs
   * 不要 / without), use {@link contentWords} to drop them.
   */
  segment(text: string): string[] {
    const normalized = basicNormalize(text);
    const tokens: string[] = [];
    for (const run of normalized.match(/[\u3400-\u9fff\uf900-\ufaff]+|[^\u3400-\u9fff\uf900-\ufaff]+/g) ?? []) {
      if (hasCjk(run)) tokens.push(...this.cutChinese(run));
      else tokens.push(...this.tokenizeEnglish(run));
    }
    return tokens;
  }

  /** Jieba segmentation of a Chinese run, whitespace removed. */
  cutChinese(text: string): string[] {
    return this.jieba.cut(text, true).filter((t) => t.trim().length > 0);
  }

  /** Lower case, plural folded, numbers kept ("30" matters in "under 30 minutes"). */
  tokenizeEnglish(text: string): string[] {
    return englishWords(text);
  }

  /** Segments without stop words or one-letter English tokens: the words worth indexing. */
  contentWords(text: string): string[] {
    return this.segment(text).filter((t) => !isStopWord(t));
  }

  get foodLexicon(): FoodLexicon {
    return this.lexicon;
  }
}

export function isStopWord(token: string): boolean {
  if (hasCjk(token)) return CHINESE_STOP_WORDS.has(token);
  return token.length < 2 || ENGLISH_STOP_WORDS.has(token) || /^\d+$/.test(token);
}
