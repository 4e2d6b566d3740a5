/**
 * Request-body checks for the Qdrant stub, written from Qdrant's OpenAPI description (v1.19):
 * required fields, enum values, id formats and unknown keys. A body the real server would refuse
 * is refused here too, with a 400 shaped like Qdrant's, so adapter bugs surface in CI.
 */
export class StubHttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function formatError(detail: string): StubHttpError {
  return new StubHttpError(400, `Format error in JSON body: ${detail}`);
}

/**
 * A value out of its documented range. Qdrant checks ranges after parsing and answers 422 with
 * every failing field in brackets (src/actix/mod.rs, validation_error_handler; labels from
 * lib/collection/src/operations/validation.rs).
 */
export function validationError(path: string, message: string): StubHttpError {
  return new StubHttpError(422, `Validation error in JSON body: [${path}: ${message}]`);
}

/**
 * Something valid for Qdrant that the stub does not evaluate: refused with a 400, never guessed
 * at (a condition evaluated as false would silently drop points the real server returns).
 */
export function notImplemented(what: string): StubHttpError {
  return new StubHttpError(400, `Bad request: ${what} is not implemented by the stub`);
}

/** Fields the schema allows but the stub does not implement: refused when set. */
export function rejectSet(value: JsonObject, where: string, keys: readonly string[]): void {
  for (const key of keys) if (value[key] !== undefined && value[key] !== null) throw notImplemented(`${where}.${key}`);
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function object(value: unknown, where: string, allowed: readonly string[], required: readonly string[] = []): JsonObject {
  if (!isObject(value)) throw formatError(`${where}: expected an object`);
  for (const key of Object.keys(value)) if (!allowed.includes(key)) throw formatError(`${where}: unknown field \`${key}\``);
  for (const key of required) if (value[key] === undefined) throw formatError(`${where}: missing field \`${key}\``);
  return value;
}

export function uint(value: unknown, where: string, min = 0): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) throw formatError(`${where}: expected an integer >= ${min}`);
  return value;
}

export function optionalUint(value: unknown, where: string, min = 0): number | undefined {
  return value === undefined || value === null ? undefined : uint(value, where, min);
}

export function numberArray(value: unknown, where: string): number[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    throw formatError(`${where}: expected an array of numbers`);
  }
  return value as number[];
}

export function oneOf<T extends string>(value: unknown, where: string, options: readonly T[]): T {
  if (typeof value !== 'string' || !options.includes(value as T)) {
    throw formatError(`${where}: unknown variant \`${String(value)}\`, expected one of ${options.join(', ')}`);
  }
  return value as T;
}

/** ExtendedPointId: unsigned integer or UUID. */
export function pointId(value: unknown, where: string): string | number {
  if (typeof value === 'number' && Number.isInteger(value) && value >= 0) return value;
  if (typeof value === 'string' && UUID.test(value)) return value.toLowerCase();
  throw formatError(`${where}: ${JSON.stringify(value)} is neither an unsigned integer nor a UUID`);
}

export interface SparseInput {
  indices: number[];
  values: number[];
}

export function isSparseShape(value: unknown): value is SparseInput {
  return isObject(value) && 'indices' in value && 'values' in value;
}

export function sparseVector(value: unknown, where: string): SparseInput {
  const v = object(value, where, ['indices', 'values'], ['indices', 'values']);
  const indices = numberArray(v.indices, `${where}.indices`);
  const values = numberArray(v.values, `${where}.values`);
  indices.forEach((i) => uint(i, `${where}.indices`));
  if (indices.length !== values.length) {
    throw new StubHttpError(400, 'Validation error in JSON body: [values: Sparse vector indices and values must have the same length]');
  }
  if (new Set(indices).size !== indices.length) {
    throw new StubHttpError(400, 'Validation error in JSON body: [indices: Sparse vector indices must be unique]');
  }
  return { indices, values };
}

const FILTER_KEYS = ['should', 'min_should', 'must', 'must_not'] as const;
const FIELD_CONDITION_KEYS = [
  'key',
  'match',
  'range',
  'geo_bounding_box',
  'geo_radius',
  'geo_polygon',
  'values_count',
  'is_empty',
  'is_null',
];
const FIELD_TESTS = FIELD_CONDITION_KEYS.slice(1);
const UNIMPLEMENTED_FIELD_TESTS = ['geo_bounding_box', 'geo_radius', 'geo_polygon', 'values_count'];

/** Top-level payload keys only: Qdrant's `a.b` and `a[]` paths reach into nested values. */
function plainKey(key: string, where: string): void {
  if (/[.[\]]/.test(key)) throw notImplemented(`${where}: nested payload key "${key}"`);
}
const PAYLOAD_VALUE = (v: unknown): boolean => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean';

/** Filter (additionalProperties: false) and every Condition variant the stub evaluates. */
export function validateFilter(value: unknown, where: string): void {
  const filter = object(value, where, FILTER_KEYS);
  for (const key of ['should', 'must', 'must_not'] as const) {
    const clause = filter[key];
    if (clause === undefined || clause === null) continue;
    (Array.isArray(clause) ? clause : [clause]).forEach((c, i) => validateCondition(c, `${where}.${key}[${i}]`));
  }
  if (filter.min_should !== undefined && filter.min_should !== null) {
    const ms = object(filter.min_should, `${where}.min_should`, ['conditions', 'min_count'], ['conditions', 'min_count']);
    uint(ms.min_count, `${where}.min_should.min_count`, 1);
    if (!Array.isArray(ms.conditions)) throw formatError(`${where}.min_should.conditions: expected an array`);
    ms.conditions.forEach((c, i) => validateCondition(c, `${where}.min_should.conditions[${i}]`));
  }
}

function validateCondition(value: unknown, where: string): void {
  if (!isObject(value)) throw formatError(`${where}: expected a condition object`);
  if ('key' in value) {
    const c = object(value, where, FIELD_CONDITION_KEYS, ['key']);
    if (typeof c.key !== 'string') throw formatError(`${where}.key: expected a string`);
    plainKey(c.key, `${where}.key`);
    const tests = FIELD_TESTS.filter((t) => c[t] !== undefined && c[t] !== null);
    if (tests.length === 0)
      throw new StubHttpError(400, `Validation error in JSON body: ${where}: at least one field condition must be specified`);
    for (const t of tests) if (UNIMPLEMENTED_FIELD_TESTS.includes(t)) throw notImplemented(`${where}.${t}`);
    if (tests.length > 1) throw notImplemented(`${where}: several tests (${tests.join(', ')}) in one field condition`);
    if (c.match !== undefined && c.match !== null) validateMatch(c.match, `${where}.match`);
    if (c.range !== undefined && c.range !== null) {
      const r = object(c.range, `${where}.range`, ['lt', 'gt', 'gte', 'lte']);
      for (const [k, v] of Object.entries(r))
        if (v !== null && typeof v !== 'number') throw formatError(`${where}.range.${k}: expected a number`);
    }
    for (const flag of ['is_empty', 'is_null'] as const) {
      if (c[flag] !== undefined && c[flag] !== null && typeof c[flag] !== 'boolean')
        throw formatError(`${where}.${flag}: expected a boolean`);
    }
    return;
  }
  if ('has_id' in value) {
    const c = object(value, where, ['has_id'], ['has_id']);
    if (!Array.isArray(c.has_id)) throw formatError(`${where}.has_id: expected an array`);
    c.has_id.forEach((id, i) => pointId(id, `${where}.has_id[${i}]`));
    return;
  }
  for (const flag of ['is_empty', 'is_null'] as const) {
    if (flag in value) {
      const c = object(value, where, [flag], [flag]);
      const field = object(c[flag], `${where}.${flag}`, ['key'], ['key']);
      if (typeof field.key !== 'string') throw formatError(`${where}.${flag}.key: expected a string`);
      plainKey(field.key, `${where}.${flag}.key`);
      return;
    }
  }
  if ('has_vector' in value || 'nested' in value) throw notImplemented(`${where}: condition ${Object.keys(value).join(', ')}`);
  validateFilter(value, where);
}

function validateMatch(value: unknown, where: string): void {
  if (!isObject(value)) throw formatError(`${where}: expected an object`);
  const keys = Object.keys(value);
  if (keys.length !== 1) throw formatError(`${where}: data did not match any variant of untagged enum Match`);
  const [kind] = keys;
  if (kind === 'value') {
    if (!PAYLOAD_VALUE(value.value)) throw formatError(`${where}.value: expected a keyword, integer or bool`);
  } else if (kind === 'any' || kind === 'except') {
    const list = value[kind];
    if (!Array.isArray(list) || !(list.every((v) => typeof v === 'string') || list.every((v) => typeof v === 'number'))) {
      throw formatError(`${where}.${kind}: expected an array of keywords or of integers`);
    }
  } else if (['text', 'text_any', 'phrase', 'prefix'].includes(kind)) {
    throw notImplemented(`${where}: full-text match`);
  } else {
    throw formatError(`${where}: data did not match any variant of untagged enum Match`);
  }
}

export function validateWithPayload(value: unknown, where: string): void {
  if (value === undefined || value === null || typeof value === 'boolean') return;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) {
    value.forEach((key, i) => plainKey(key as string, `${where}[${i}]`));
    return;
  }
  if (isObject(value)) {
    object(value, where, ['include', 'exclude']);
    throw notImplemented(`${where}: payload selector`);
  }
  throw formatError(`${where}: expected a bool, a list of fields or a selector`);
}

export function validateWithVector(value: unknown, where: string): void {
  if (value === undefined || value === null || typeof value === 'boolean') return;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return;
  throw formatError(`${where}: expected a bool or a list of vector names`);
}
