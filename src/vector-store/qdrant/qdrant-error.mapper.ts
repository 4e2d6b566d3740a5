import { QdrantClientResourceExhaustedError, QdrantClientTimeoutError } from '@qdrant/js-client-rest';
import {
  VectorCollectionMissingError,
  VectorDimensionMismatchError,
  VectorStoreError,
  VectorStoreUnavailableError,
} from '../vector-store.errors';

/** Network failures below HTTP: the server is down, restarting or unreachable. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EPIPE',
  'ETIMEDOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
]);

interface HttpFailure {
  status: number;
  data?: { status?: { error?: string } | string };
  statusText?: string;
}

function isHttpFailure(error: unknown): error is HttpFailure {
  return typeof error === 'object' && error !== null && typeof (error as HttpFailure).status === 'number';
}

function networkCode(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 4; e = (e as { cause?: unknown }).cause, depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
  }
  return undefined;
}

/**
 * Every failure of the Qdrant client becomes one of the port's errors, so no vendor error
 * crosses the adapter. `vectorName` names the space a dimension error most likely concerns.
 */
export function mapQdrantError(error: unknown, action: string, vectorName = 'unknown'): VectorStoreError {
  if (error instanceof VectorStoreError) return error;
  if (error instanceof QdrantClientTimeoutError || error instanceof QdrantClientResourceExhaustedError) {
    return new VectorStoreUnavailableError(`Qdrant did not answer ${action} in time`, { cause: error });
  }
  if (isHttpFailure(error)) {
    const detail = typeof error.data?.status === 'object' ? error.data.status.error : undefined;
    const message = detail ?? error.statusText ?? `HTTP ${error.status}`;
    if (error.status >= 500 || error.status === 429) {
      return new VectorStoreUnavailableError(`Qdrant refused ${action} (${error.status}): ${message}`, { cause: error });
    }
    if (error.status === 404 && /collection/i.test(message)) {
      return new VectorCollectionMissingError(`Qdrant collection missing during ${action}: ${message}`, { cause: error });
    }
    const dims = /dimension.*?expected dim: (\d+), got (\d+)/i.exec(message);
    if (dims) return new VectorDimensionMismatchError(vectorName, Number(dims[1]), Number(dims[2]));
    return new VectorStoreError(`Qdrant rejected ${action} (${error.status}): ${message}`, { cause: error });
  }
  const code = networkCode(error);
  // Compared by name: undici's TypeError may come from another realm (e.g. a test sandbox).
  if (code || ((error as Error)?.name === 'TypeError' && /fetch failed/i.test((error as Error).message))) {
    return new VectorStoreUnavailableError(`Qdrant unreachable during ${action}${code ? ` (${code})` : ''}`, { cause: error });
  }
  return new VectorStoreError(`Qdrant failed during ${action}: ${(error as Error)?.message ?? String(error)}`, { cause: error });
}
