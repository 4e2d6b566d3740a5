import { mean, normalize } from '../similarity';

/** Boundaries to split on, best first: lines, then sentence ends (both scripts), then spaces. */
const BOUNDARIES = [/(?<=\n)/u, /(?<=[。！？；!?;.…])/u, /(?<=\s)/u];

/**
 * Splits a text into chunks of at most `maxChars`, cutting at the best boundary available and
 * packing neighbouring pieces back together, so a long recipe is read in full rather than
 * silently truncated by the model.
 */
export function splitIntoChunks(text: string, maxChars: number): string[] {
  if (!Number.isInteger(maxChars) || maxChars < 1) throw new RangeError(`maxChars must be a positive integer, got ${maxChars}`);
  const trimmed = text.trim();
  if (trimmed.length <= maxChars) return [trimmed];
  const chunks: string[] = [];
  let current = '';
  for (const piece of pieces(trimmed, maxChars, 0)) {
    if (current.length + piece.length > maxChars) {
      if (current.trim()) chunks.push(current.trim());
      current = '';
    }
    current += piece;
  }
  if (current.trim()) chunks.push(current.trim());
  return chunks;
}

function pieces(text: string, maxChars: number, level: number): string[] {
  if (text.length <= maxChars) return [text];
  if (level === BOUNDARIES.length) return hardCut(text, maxChars);
  const parts = text.split(BOUNDARIES[level]).filter((part) => part.length > 0);
  return parts.flatMap((part) => pieces(part, maxChars, level + 1));
}

/** Last resort for unpunctuated runs; cuts between code points so no character is broken. */
function hardCut(text: string, maxChars: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const char of text) {
    if (current.length + char.length > maxChars) {
      out.push(current);
      current = '';
    }
    current += char;
  }
  if (current) out.push(current);
  return out;
}

export interface PooledEmbeddingOptions {
  maxInputChars: number;
  /** Inputs per backend call; chunks of different texts share batches. */
  batchSize: number;
  /** Awaited between batches, e.g. to yield the event loop to requests while indexing. */
  betweenBatches?: () => Promise<void>;
}

/**
 * Embeds texts of any length with a backend that accepts only `maxInputChars`: each text is
 * chunked, all chunks are embedded in batches, and a text's vector is the mean of its chunks'
 * unit vectors, re-normalised (so no chunk outweighs another because of a backend that does not
 * normalise). Every result is unit length, whatever the backend returns.
 */
export async function embedPooled(
  texts: string[],
  options: PooledEmbeddingOptions,
  embedBatch: (inputs: string[]) => Promise<number[][]>,
): Promise<number[][]> {
  const inputs: string[] = [];
  const owners: number[] = [];
  texts.forEach((text, owner) => {
    for (const chunk of splitIntoChunks(text, options.maxInputChars)) {
      inputs.push(chunk);
      owners.push(owner);
    }
  });

  const vectors: number[][] = [];
  for (let start = 0; start < inputs.length; start += options.batchSize) {
    if (start > 0 && options.betweenBatches) await options.betweenBatches();
    const batch = inputs.slice(start, start + options.batchSize);
    const embedded = await embedBatch(batch);
    if (embedded.length !== batch.length) {
      throw new RangeError(`Backend returned ${embedded.length} vectors for ${batch.length} inputs`);
    }
    vectors.push(...embedded);
  }

  const byOwner: number[][][] = texts.map(() => []);
  vectors.forEach((vector, i) => byOwner[owners[i]].push(normalize(vector)));
  return byOwner.map((chunkVectors) => (chunkVectors.length === 1 ? chunkVectors[0] : normalize(mean(chunkVectors))));
}
