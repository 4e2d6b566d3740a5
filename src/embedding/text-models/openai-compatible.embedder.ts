import { createHash } from 'node:crypto';
import { ParsedQuery } from '../../text/text.types';
import { RecipeDocument } from '../embedding-provider.port';
import { EmbeddingConfigError, EmbeddingFailure, EmbeddingUnavailableError } from '../embedding.errors';
import { embedPooled } from './text-chunking';
import { TextEmbedder, TextPurpose } from './text-embedder';

export interface OpenAiCompatibleOptions {
  /** e.g. https://api.openai.com/v1, http://localhost:11434/v1, http://tei:8080/v1 */
  baseUrl: string;
  model: string;
  apiKey?: string | null;
  /** Output size; when absent it is probed with one request at start-up. */
  dimensions?: number | null;
  /** Send `dimensions` in the request (OpenAI text-embedding-3 can shorten its vectors; most servers reject it). */
  requestDimensions?: boolean;
  /** Inputs per request (default 32). */
  batchSize?: number;
  /** Per request (default 30 s). */
  timeoutMs?: number;
  /** Extra attempts after a 429, 5xx, timeout or network error (default 3). */
  retries?: number;
  /** First back-off delay, doubled per attempt (default 500 ms), capped by maxRetryDelayMs (default 10 s). */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Longest input the server takes; longer texts are chunked and pooled (default 2000). */
  maxInputChars?: number;
  /** Instruction prefixes some models need, e.g. e5: "query: " / "passage: ". */
  queryPrefix?: string;
  documentPrefix?: string;
}

type Settings = Required<Omit<OpenAiCompatibleOptions, 'apiKey' | 'dimensions'>> & { apiKey: string | null; dimensions: number };

interface EmbeddingResponse {
  data?: Array<{ embedding?: unknown; index?: unknown }>;
}

/** Thrown inside one attempt; decides whether another attempt is worth it. */
class AttemptError extends Error {
  constructor(
    message: string,
    readonly failure: EmbeddingFailure,
    readonly retryable: boolean,
    readonly status?: number,
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/**
 * Any server speaking the OpenAI embeddings API (OpenAI, Ollama, text-embeddings-inference,
 * vLLM, LiteLLM…) for production-grade multilingual models such as bge-m3 or multilingual-e5.
 * They read Chinese and English alike, so recipes and queries go in as written.
 */
export class OpenAiCompatibleTextEmbedder implements TextEmbedder {
  readonly modelId: string;
  readonly dimensions: number;
  private readonly settings: Settings;
  private readonly endpoint: string;

  private constructor(
    settings: Settings,
    private readonly fetchImpl: typeof fetch,
  ) {
    this.settings = settings;
    this.dimensions = settings.dimensions;
    this.endpoint = `${settings.baseUrl.replace(/\/+$/, '')}/embeddings`;
    // Prefixes and chunk size change the vectors, so they are part of the id; the URL is not.
    const shape = createHash('sha256')
      .update(JSON.stringify([settings.queryPrefix, settings.documentPrefix, settings.maxInputChars]))
      .digest('hex')
      .slice(0, 8);
    this.modelId = `openai-compatible:${settings.model}@${settings.dimensions}-${shape}`;
  }

  /** Validates options and, when `dimensions` is not configured, asks the server once. */
  static async connect(options: OpenAiCompatibleOptions, fetchImpl: typeof fetch = fetch): Promise<OpenAiCompatibleTextEmbedder> {
    const settings = resolveSettings(options);
    if (settings.dimensions > 0) return new OpenAiCompatibleTextEmbedder(settings, fetchImpl);
    const probe = new OpenAiCompatibleTextEmbedder(settings, fetchImpl);
    const [vector] = await probe.request(['dimension probe']);
    return new OpenAiCompatibleTextEmbedder({ ...settings, dimensions: vector.length }, fetchImpl);
  }

  documentText(doc: RecipeDocument): string {
    return doc.text.trim();
  }

  queryText(query: ParsedQuery): string {
    return query.text.trim();
  }

  async embed(texts: string[], purpose: TextPurpose): Promise<number[][]> {
    const prefix = purpose === 'query' ? this.settings.queryPrefix : this.settings.documentPrefix;
    const vectors = await embedPooled(
      texts,
      { maxInputChars: this.settings.maxInputChars - prefix.length, batchSize: this.settings.batchSize },
      (inputs) => this.request(inputs.map((input) => prefix + input)),
    );
    return vectors;
  }

  /** One batch, with retries and exponential back-off; an outage ends as EmbeddingUnavailableError. */
  private async request(inputs: string[]): Promise<number[][]> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.attempt(inputs);
      } catch (error) {
        if (!(error instanceof AttemptError)) throw error;
        if (!error.retryable || attempt >= this.settings.retries) {
          throw new EmbeddingUnavailableError(
            `Embedding server ${this.endpoint} failed after ${attempt + 1} attempt(s): ${error.message}`,
            error.failure,
            error.status,
            { cause: error },
          );
        }
        await sleep(this.backoff(attempt, error.retryAfterMs));
      }
    }
  }

  private async attempt(inputs: string[]): Promise<number[][]> {
    const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
    if (this.settings.apiKey) headers.authorization = `Bearer ${this.settings.apiKey}`;
    const body: Record<string, unknown> = { model: this.settings.model, input: inputs };
    if (this.settings.requestDimensions) body.dimensions = this.settings.dimensions;

    let response: Response;
    let payload: EmbeddingResponse;
    try {
      response = await this.fetchImpl(this.endpoint, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      if (!response.ok) {
        const detail = (await response.text().catch(() => '')).slice(0, 200);
        const retryable = response.status === 429 || response.status >= 500;
        throw new AttemptError(`HTTP ${response.status} ${detail}`.trim(), 'http', retryable, response.status, retryAfter(response));
      }
      payload = (await response.json()) as EmbeddingResponse;
    } catch (error) {
      if (error instanceof AttemptError) throw error;
      const name = (error as Error)?.name;
      if (name === 'TimeoutError' || name === 'AbortError') {
        throw new AttemptError(`no answer within ${this.settings.timeoutMs} ms`, 'timeout', true);
      }
      if (error instanceof SyntaxError) throw new AttemptError('response is not JSON', 'bad-response', false);
      throw new AttemptError(`network error: ${(error as Error)?.message ?? String(error)}`, 'network', true);
    }
    return this.parse(payload, inputs.length);
  }

  private parse(payload: EmbeddingResponse, expected: number): number[][] {
    const data = payload?.data;
    if (!Array.isArray(data) || data.length !== expected) {
      throw new AttemptError(`expected ${expected} embeddings, got ${Array.isArray(data) ? data.length : 'none'}`, 'bad-response', false);
    }
    const out = new Array<number[]>(expected);
    data.forEach((item, position) => {
      const index = typeof item.index === 'number' ? item.index : position;
      const embedding = item.embedding;
      const wellFormed = Array.isArray(embedding) && embedding.every((v) => typeof v === 'number' && Number.isFinite(v));
      const placeable = Number.isInteger(index) && index >= 0 && index < expected && out[index] === undefined;
      if (!wellFormed || !placeable) {
        throw new AttemptError('malformed embedding in response', 'bad-response', false);
      }
      if (this.settings.dimensions > 0 && embedding.length !== this.settings.dimensions) {
        // Not an outage: the configuration names the wrong size, and retrying will not fix it.
        throw new EmbeddingConfigError(
          `Model ${this.settings.model} returns ${embedding.length} dimensions; EMBEDDING_DIMENSIONS says ${this.settings.dimensions}`,
        );
      }
      out[index] = embedding as number[];
    });
    return out;
  }

  /** Exponential with full jitter, so many clients recovering together do not stampede. */
  private backoff(attempt: number, retryAfterMs?: number): number {
    const cap = this.settings.maxRetryDelayMs;
    if (retryAfterMs !== undefined) return Math.min(retryAfterMs, cap);
    const ceiling = Math.min(cap, this.settings.retryDelayMs * 2 ** attempt);
    return ceiling / 2 + (Math.random() * ceiling) / 2;
  }
}

function resolveSettings(options: OpenAiCompatibleOptions): Settings {
  const settings: Settings = {
    baseUrl: options.baseUrl,
    model: options.model,
    apiKey: options.apiKey ?? null,
    dimensions: options.dimensions ?? 0,
    requestDimensions: options.requestDimensions ?? false,
    batchSize: options.batchSize ?? 32,
    timeoutMs: options.timeoutMs ?? 30_000,
    retries: options.retries ?? 3,
    retryDelayMs: options.retryDelayMs ?? 500,
    maxRetryDelayMs: options.maxRetryDelayMs ?? 10_000,
    maxInputChars: options.maxInputChars ?? 2000,
    queryPrefix: options.queryPrefix ?? '',
    documentPrefix: options.documentPrefix ?? '',
  };
  const problems: string[] = [];
  try {
    const url = new URL(settings.baseUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') problems.push('baseUrl must be http(s)');
  } catch {
    problems.push(`baseUrl is not a URL: ${settings.baseUrl}`);
  }
  if (!settings.model) problems.push('model is required');
  if (!Number.isInteger(settings.dimensions) || settings.dimensions < 0) problems.push('dimensions must be a positive integer');
  if (settings.requestDimensions && settings.dimensions === 0) problems.push('requestDimensions needs dimensions');
  if (!Number.isInteger(settings.batchSize) || settings.batchSize < 1) problems.push('batchSize must be ≥ 1');
  if (!(settings.timeoutMs > 0)) problems.push('timeoutMs must be > 0');
  if (!Number.isInteger(settings.retries) || settings.retries < 0) problems.push('retries must be ≥ 0');
  const longestPrefix = Math.max(settings.queryPrefix.length, settings.documentPrefix.length);
  if (!Number.isInteger(settings.maxInputChars) || settings.maxInputChars <= longestPrefix) {
    problems.push('maxInputChars must be an integer longer than the prefixes');
  }
  if (problems.length > 0) throw new EmbeddingConfigError(`openai-compatible embedding: ${problems.join('; ')}`);
  return settings;
}

/** Retry-After in seconds or as an HTTP date; absent or unreadable means "use back-off". */
function retryAfter(response: Response): number | undefined {
  const header = response.headers.get('retry-after');
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
