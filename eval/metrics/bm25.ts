/**
 * Okapi BM25 over pre-tokenised documents: the lexical baseline the evaluation measures the
 * service against. No stemming, no synonyms, no language bridging: by design.
 */

export interface Bm25Options {
  k1: number;
  b: number;
}

export interface Bm25Document {
  id: string;
  tokens: readonly string[];
}

export interface ScoredId {
  id: string;
  score: number;
}

export const DEFAULT_BM25_OPTIONS: Bm25Options = { k1: 1.2, b: 0.75 };

const CJK_RUN = /[\u3400-\u9fff\uf900-\ufaff]+/g;

/**
 * Chinese runs become overlapping character bigrams (a lone character stays a unigram); the rest
 * becomes lower-case word tokens (Latin letters with accents and digits).
 */
export function bm25Tokens(text: string): string[] {
  const normalized = text.normalize('NFKC').toLowerCase();
  const tokens: string[] = [];
  for (const run of normalized.match(CJK_RUN) ?? []) {
    if (run.length === 1) tokens.push(run);
    for (let i = 0; i + 1 < run.length; i++) tokens.push(run.slice(i, i + 2));
  }
  const latin = normalized.replace(CJK_RUN, ' ');
  for (const word of latin.split(/[^a-z0-9\u00e0-\u00ff]+/)) if (word.length > 0) tokens.push(word);
  return tokens;
}

export class Bm25Index {
  private readonly termFrequencies: Array<Map<string, number>>;
  private readonly lengths: number[];
  private readonly documentFrequency = new Map<string, number>();
  private readonly postings = new Map<string, number[]>();
  private readonly averageLength: number;

  constructor(
    private readonly documents: readonly Bm25Document[],
    private readonly options: Bm25Options = DEFAULT_BM25_OPTIONS,
  ) {
    this.termFrequencies = documents.map((doc) => {
      const tf = new Map<string, number>();
      for (const token of doc.tokens) tf.set(token, (tf.get(token) ?? 0) + 1);
      return tf;
    });
    this.lengths = documents.map((doc) => doc.tokens.length);
    this.termFrequencies.forEach((tf, index) => {
      for (const term of tf.keys()) {
        this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
        const list = this.postings.get(term) ?? [];
        list.push(index);
        this.postings.set(term, list);
      }
    });
    const total = this.lengths.reduce((a, b) => a + b, 0);
    this.averageLength = documents.length === 0 ? 0 : total / documents.length;
  }

  get size(): number {
    return this.documents.length;
  }

  /** Non-negative IDF (the Lucene form), so a term in most documents still never subtracts. */
  idf(term: string): number {
    const df = this.documentFrequency.get(term) ?? 0;
    const n = this.documents.length;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /**
   * Top k documents with a positive score for the distinct query terms, best first; ties keep the
   * order documents were given in, so equal data gives equal rankings.
   */
  search(queryTokens: readonly string[], k: number, excludeId?: string): ScoredId[] {
    const { k1, b } = this.options;
    const scores = new Map<number, number>();
    for (const term of new Set(queryTokens)) {
      const postings = this.postings.get(term);
      if (!postings) continue;
      const idf = this.idf(term);
      for (const index of postings) {
        const tf = this.termFrequencies[index].get(term) ?? 0;
        const norm = this.averageLength === 0 ? 1 : 1 - b + (b * this.lengths[index]) / this.averageLength;
        scores.set(index, (scores.get(index) ?? 0) + (idf * (tf * (k1 + 1))) / (tf + k1 * norm));
      }
    }
    return [...scores.entries()]
      .filter(([index, score]) => score > 0 && this.documents[index].id !== excludeId)
      .sort((x, y) => y[1] - x[1] || x[0] - y[0])
      .slice(0, k)
      .map(([index, score]) => ({ id: this.documents[index].id, score }));
  }
}
