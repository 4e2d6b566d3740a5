/** Errors a VectorStore may throw. Adapters map every vendor error to one of these. */
export class VectorStoreError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The store cannot be reached or refuses service: callers answer 503 and retry later. */
export class VectorStoreUnavailableError extends VectorStoreError {}

/** A vector's length does not match the collection's configured size. */
export class VectorDimensionMismatchError extends VectorStoreError {
  constructor(
    readonly vectorName: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`Vector "${vectorName}" has ${actual} dimensions; the collection expects ${expected}`);
  }
}

/** The collection for the current model does not exist yet (run a reindex). */
export class VectorCollectionMissingError extends VectorStoreError {}

/**
 * The collection exists but was made with another distance or other vector sizes than the spec
 * asks for: querying it would return wrong scores or fail on every request. Recreate it.
 */
export class VectorCollectionConfigMismatchError extends VectorStoreError {}
