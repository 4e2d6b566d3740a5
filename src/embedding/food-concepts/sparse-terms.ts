import { SparseVector } from '../../vector-store/vector-store.port';
import { termIndex } from './term-hash';

export interface Bm25Params {
  /** Term-frequency saturation. */
  k1: number;
  /** Length normalisation: 0 ignores document length, 1 normalises fully. */
  b: number;
}

const HAN_OR_KANA = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/u;
/** A CJK run, or a run of other letters and digits (Han is a letter too, hence the lookahead). */
const WORD_RUN =
  /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]+|(?:(?![\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])[\p{L}\p{N}])+/gu;

/** Function words of the catalog's languages that would otherwise match every recipe name. */
const STOPWORDS = new Set([
  'a',
  'an',
  'and',
  'or',
  'of',
  'the',
  'with',
  'in',
  'on',
  'to',
  'for',
  'from',
  'style',
  'recipe',
  'di',
  'con',
  'al',
  'alla',
  'alle',
  'allo',
  'ai',
  'agli',
  'del',
  'della',
  'delle',
  'dei',
  'e',
  'la',
  'il',
  'lo',
  'le',
  'in',
]);

/**
 * Tokens for a word the lexicon does not know. Chinese has no spaces and segmenters disagree
 * between the analyzer and the query parser, so CJK runs become overlapping character
 * bigrams (a single character stays whole); alphabetic runs become lowercase, accent-free words.
 */
export function wordTokens(text: string): string[] {
  const tokens: string[] = [];
  const folded = text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  for (const match of folded.matchAll(WORD_RUN)) {
    const run = match[0];
    if (HAN_OR_KANA.test(run)) {
      const chars = Array.from(run);
      if (chars.length === 1) tokens.push(run);
      for (let i = 0; i + 1 < chars.length; i++) tokens.push(chars[i] + chars[i + 1]);
    } else if (run.length > 1 && !STOPWORDS.has(run)) {
      tokens.push(run);
    }
  }
  return tokens;
}

/**
 * Term weights for a document: BM25's saturating, length-normalised term frequency.
 * IDF is left out on purpose: the store applies it (Qdrant `modifier: idf`, the embedded store
 * likewise), so it stays current as recipes come and go without re-embedding.
 */
export function documentSparseVector(tokens: string[], averageLength: number, params: Bm25Params): SparseVector | undefined {
  if (tokens.length === 0) return undefined;
  const counts = new Map<string, number>();
  for (const token of tokens) counts.set(token, (counts.get(token) ?? 0) + 1);
  const lengthRatio = averageLength > 0 ? tokens.length / averageLength : 1;
  const norm = params.k1 * (1 - params.b + params.b * lengthRatio);
  const weights = new Map<number, number>();
  for (const [token, tf] of counts) {
    const weight = (tf * (params.k1 + 1)) / (tf + norm);
    const index = termIndex(token);
    // Two terms sharing a hash bucket are indistinguishable anyway; adding keeps both signals.
    weights.set(index, (weights.get(index) ?? 0) + weight);
  }
  return toSparse(weights);
}

/** Query terms weigh 1 each: short queries rarely repeat a term, and the store supplies IDF. */
export function querySparseVector(tokens: string[]): SparseVector | undefined {
  if (tokens.length === 0) return undefined;
  const weights = new Map<number, number>();
  for (const token of new Set(tokens)) {
    const index = termIndex(token);
    weights.set(index, (weights.get(index) ?? 0) + 1);
  }
  return toSparse(weights);
}

function toSparse(weights: Map<number, number>): SparseVector {
  const indices = [...weights.keys()].sort((a, b) => a - b);
  return { indices, values: indices.map((index) => weights.get(index) as number) };
}
