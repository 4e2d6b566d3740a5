import {
  formatError,
  isObject,
  notImplemented,
  object,
  StubHttpError,
  validationError,
  type Json,
  type JsonObject,
} from './qdrant-stub.validation';

/**
 * Quantization as the stub models it, from Qdrant's OpenAPI description (ScalarQuantization,
 * QuantizationConfigDiff, QuantizationSearchParams) and its 1.18 source for what a search does.
 *
 * Stricter than Qdrant in one way, on purpose: Qdrant's serde ignores unknown keys inside these
 * objects, so a misspelt `oversampling` would silently do nothing there; here it is a 400.
 */

/** The collection's quantization as stored and reported: `{ scalar: {...} }`, or null for none. */
export type StubQuantization = JsonObject | null;

export interface QuantizationSearchParams {
  ignore: boolean;
  rescore: boolean | null;
  oversampling: number | null;
}

const SCALAR_KEYS = ['type', 'quantile', 'always_ram', 'memory'];
const OTHER_METHODS = ['product', 'binary', 'turbo'];

/**
 * QuantizationConfig (create) or QuantizationConfigDiff (update, which also takes "Disabled").
 * Scalar int8 is stored as given; product, binary and turbo quantization are valid for Qdrant
 * and refused as not implemented. A wrong `type` leaves serde's untagged enum with no variant.
 */
export function parseQuantizationConfig(value: Json | undefined, where: string, options: { allowDisabled: boolean }): StubQuantization {
  if (value === undefined || value === null) return null;
  const enumName = options.allowDisabled ? 'QuantizationConfigDiff' : 'QuantizationConfig';
  const noVariant = (why: string): StubHttpError =>
    formatError(`${where}: data did not match any variant of untagged enum ${enumName} (${why})`);
  if (value === 'Disabled' && options.allowDisabled) return null;
  if (!isObject(value)) throw noVariant(`expected ${options.allowDisabled ? 'an object or "Disabled"' : 'an object'}`);
  const methods = Object.keys(value);
  if (methods.length !== 1) throw noVariant(`expected exactly one of scalar, ${OTHER_METHODS.join(', ')}`);
  const [method] = methods;
  if (OTHER_METHODS.includes(method)) throw notImplemented(`${where}.${method} quantization`);
  if (method !== 'scalar') throw noVariant(`unknown field \`${method}\``);
  const scalar = value.scalar;
  if (!isObject(scalar)) throw noVariant('scalar: expected an object');
  for (const key of Object.keys(scalar)) if (!SCALAR_KEYS.includes(key)) throw noVariant(`scalar: unknown field \`${key}\``);
  if (scalar.type === undefined) throw noVariant('scalar: missing field `type`');
  if (scalar.type !== 'int8') throw noVariant(`scalar.type: unknown variant \`${String(scalar.type)}\`, expected \`int8\``);
  if (scalar.quantile !== undefined && scalar.quantile !== null) {
    if (typeof scalar.quantile !== 'number') throw noVariant('scalar.quantile: expected a number');
    // lib/segment/src/types.rs: #[validate(range(min = 0.5, max = 1.0))] quantile: Option<f32>
    if (!(scalar.quantile >= 0.5 && scalar.quantile <= 1)) {
      throw validationError(`${where}.scalar.quantile`, `value ${scalar.quantile} invalid, must be from 0.5 to 1.0`);
    }
  }
  if (scalar.always_ram !== undefined && scalar.always_ram !== null && typeof scalar.always_ram !== 'boolean') {
    throw noVariant('scalar.always_ram: expected a boolean');
  }
  if (scalar.memory !== undefined && scalar.memory !== null) throw notImplemented(`${where}.scalar.memory`);
  // Stored as Qdrant reports it: unset fields left out (skip_serializing_if = "Option::is_none").
  const stored: JsonObject = { type: 'int8' };
  if (typeof scalar.quantile === 'number') stored.quantile = scalar.quantile;
  if (typeof scalar.always_ram === 'boolean') stored.always_ram = scalar.always_ram;
  return { scalar: stored };
}

/** SearchParams.quantization, or null when absent. */
export function parseQuantizationSearchParams(value: Json | undefined, where: string): QuantizationSearchParams | null {
  if (value === undefined || value === null) return null;
  const params = object(value, where, ['ignore', 'rescore', 'oversampling']);
  // `ignore` is a plain bool with a default in Qdrant: null does not parse.
  if (params.ignore !== undefined && typeof params.ignore !== 'boolean') throw formatError(`${where}.ignore: expected a boolean`);
  if (params.rescore !== undefined && params.rescore !== null && typeof params.rescore !== 'boolean') {
    throw formatError(`${where}.rescore: expected a boolean`);
  }
  let oversampling: number | null = null;
  if (params.oversampling !== undefined && params.oversampling !== null) {
    if (typeof params.oversampling !== 'number') throw formatError(`${where}.oversampling: expected a number`);
    // #[validate(range(min = 1.0))] oversampling: Option<f64>
    if (!(params.oversampling >= 1))
      throw validationError(`${where}.oversampling`, `value ${params.oversampling} invalid, must be 1.0 or larger`);
    oversampling = params.oversampling;
  }
  return {
    ignore: params.ignore === true,
    rescore: typeof params.rescore === 'boolean' ? params.rescore : null,
    oversampling,
  };
}

/**
 * Whether the stub's exact scores are what Qdrant reports for a dense search, following
 * lib/segment/src/index/vector_index_search_common.rs (1.18): the int8 copies are used unless the
 * collection has none, `ignore` is set or the search is `exact`; when they are used, the
 * `oversampling` × top candidates found on them are rescored with the full vectors only if
 * `rescore` is true (unset means false for scalar quantization: QuantizedVectors::
 * default_rescoring). Rescored candidates carry full-precision scores, and which candidates
 * survive is the approximation the stub already makes for HNSW (it scores every point, as a
 * large enough ef or oversampling would). Int8 scores themselves it does not compute: refused.
 */
export function assertQuantizedSearchModelled(
  quantization: StubQuantization,
  params: { exact: boolean; quantization: QuantizationSearchParams | null },
  where: string,
): void {
  if (quantization === null || params.exact || params.quantization?.ignore) return;
  if (params.quantization?.rescore === true) return;
  throw notImplemented(`${where}: a search on int8 vectors without \`quantization.rescore: true\` (int8-approximate scores)`);
}
