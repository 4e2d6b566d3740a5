/** Errors the embedding layer may throw; the HTTP layer maps each class to one status. */
export class EmbeddingError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

export type EmbeddingFailure = 'timeout' | 'network' | 'http' | 'bad-response';

/**
 * The embedding backend cannot serve right now (outage, rate limit that outlasted the retries,
 * timeout): callers answer 503 and the indexer retries later.
 */
export class EmbeddingUnavailableError extends EmbeddingError {
  constructor(
    message: string,
    readonly failure: EmbeddingFailure,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * The configured model cannot work at all (optional package missing, wrong dimensions,
 * unreadable stored model): raised at boot so a bad configuration stops the service early.
 */
export class EmbeddingConfigError extends EmbeddingError {}
