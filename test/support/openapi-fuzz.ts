import fc from 'fast-check';

/**
 * Request generators driven by the committed OpenAPI document: for each operation, requests
 * that follow its schema ("valid-ish") and the same requests with one place broken (wrong
 * type, an array where an object belongs, deep nesting, odd numbers and strings, a missing or
 * extra field, a date that is not one).
 */

export interface OpenApiSchema {
  $ref?: string;
  allOf?: OpenApiSchema[];
  type?: string;
  properties?: Record<string, OpenApiSchema>;
  required?: string[];
  items?: OpenApiSchema;
  enum?: unknown[];
  minimum?: number;
  maximum?: number;
  minItems?: number;
  maxItems?: number;
  maxLength?: number;
  example?: unknown;
  additionalProperties?: unknown;
}

interface OpenApiParameter {
  name: string;
  in: 'query' | 'path' | 'header';
  required?: boolean;
  schema?: OpenApiSchema;
}

interface OpenApiOperation {
  parameters?: OpenApiParameter[];
  requestBody?: { content: Record<string, { schema: OpenApiSchema }> };
  security?: unknown[];
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, OpenApiOperation>>;
  components: { schemas: Record<string, OpenApiSchema> };
}

export interface Operation {
  method: 'get' | 'post' | 'put' | 'patch' | 'delete';
  path: string;
  admin: boolean;
  parameters: OpenApiParameter[];
  body?: OpenApiSchema;
}

/**
 * What a broken request must get, where the generator knows for sure it is invalid: a 4xx, or
 * for a bulk route (which validates record by record) a 200 naming the broken record as failed.
 */
export type Expectation = { reject: string } | { failRecord: number; reason: string };

export interface FuzzRequest {
  method: Operation['method'];
  /** Path with parameters filled in and the query string appended, ready for supertest. */
  url: string;
  apiKey?: string;
  body?: unknown;
  expect?: Expectation;
}

export interface FuzzContext {
  /** Ids that exist in the catalog, so path parameters sometimes reach real records. */
  recipeIds: string[];
  adminKey: string;
}

export function listOperations(doc: OpenApiDocument): Operation[] {
  const out: Operation[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      out.push({
        method: method as Operation['method'],
        path,
        admin: (operation.security ?? []).length > 0,
        parameters: operation.parameters ?? [],
        body: operation.requestBody?.content['application/json']?.schema,
      });
    }
  }
  return out;
}

const WORDS = ['鸡蛋', '番茄', '香菜', 'tofu', 'chicken', 'pork', 'vegan', 'vegetarian', 'dessert', 'indian', 'peanut', 'spicy'];

/** Dates that look like ISO 8601 but are not a real instant, and some that are. */
const DATE_LIKE = [
  '2025-W01',
  '2025-W01-1',
  '2025-001',
  '20251120',
  '2025-02-30',
  '2025-13-01',
  '2024-02-29T24:00:00Z',
  '2025-11-20T25:61:00Z',
  '0000-00-00',
  '+275760-09-14T00:00:00Z',
  '2025-11-20T18:30:00Z',
  '2025-11-20',
  '2999-01-01T00:00:00Z',
];

/** Numbers a lenient parser turns into something else than the client meant. */
const NUMBER_LIKE = [
  '0x10',
  '0b11',
  '0o7',
  '1e1',
  '1e400',
  ' 5',
  '5 ',
  '',
  '+5',
  '-1',
  '-0',
  '1.5',
  '.5',
  '5.',
  '1,5',
  '00012',
  '99999999999999999999',
  'NaN',
  'Infinity',
  '-Infinity',
  '１２',
  '٣',
  '5abc',
  'true',
  'null',
];

const oddString = fc.oneof(
  fc.string({ maxLength: 20 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    ...NUMBER_LIKE,
    ...DATE_LIKE,
    ' ',
    '\u0000',
    '\ud800',
    '🍜'.repeat(50),
    'a'.repeat(3000),
    '__proto__',
    'constructor',
    '%',
    '../..',
    '<script>',
  ),
);

const oddNumber = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -1, -0.5, 0.5, 1.5, 1e21, 1e308, -1e308, 2 ** 53 + 2, 5e-324),
);

/** A value `depth` levels down inside arrays and objects. */
function nested(depth: number, useArrays: boolean, leaf: unknown): unknown {
  let value = leaf;
  for (let i = 0; i < depth; i++) value = useArrays ? [value] : { a: value };
  return value;
}

const deepValue = fc
  .tuple(fc.integer({ min: 2, max: 30 }), fc.boolean(), fc.oneof(fc.constant('x'), fc.constant(1), fc.constant({ name: '盐' })))
  .map(([depth, useArrays, leaf]) => nested(depth, useArrays, leaf));

/** Anything that can be where a well-typed value was. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  oddNumber,
  oddString,
  fc.constantFrom<unknown>([], {}, [[]], [{}], [null], [['x']], [[{ name: '盐' }]], { length: 1 }, [1, 'a', {}]),
  deepValue,
  fc.array(fc.object({ maxDepth: 2, maxKeys: 3 }), { maxLength: 3 }),
);

export function resolve(doc: OpenApiDocument, schema: OpenApiSchema): OpenApiSchema {
  let current = schema;
  for (let hops = 0; hops < 10; hops++) {
    if (current.$ref) current = doc.components.schemas[current.$ref.split('/').pop() as string];
    else if (current.allOf?.length === 1) current = current.allOf[0];
    else break;
  }
  return current;
}

/** Values that follow the schema closely enough that most reach the service. */
export function validish(doc: OpenApiDocument, raw: OpenApiSchema, ctx: FuzzContext, field = ''): fc.Arbitrary<unknown> {
  const schema = resolve(doc, raw);
  if (schema.enum) return fc.constantFrom(...schema.enum);
  switch (schema.type) {
    case 'object': {
      if (!schema.properties)
        return fc.dictionary(fc.string({ maxLength: 5 }), fc.oneof(fc.string({ maxLength: 5 }), fc.integer()), { maxKeys: 3 });
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [name, property] of Object.entries(schema.properties)) model[name] = validish(doc, property, ctx, name);
      return fc.record(model, { requiredKeys: schema.required ?? [] });
    }
    case 'array':
      return fc.array(validish(doc, schema.items ?? {}, ctx, field), {
        minLength: Math.min(schema.minItems ?? 0, 3),
        maxLength: Math.min(schema.maxItems ?? 4, 4),
      });
    case 'number':
    case 'integer': {
      const min = schema.minimum ?? -1000;
      const max = schema.maximum ?? Math.max(min + 1000, 1000);
      const whole = fc.integer({ min: Math.ceil(min), max: Math.floor(max) });
      if (schema.type === 'integer') return whole;
      return fc.oneof(
        { weight: 4, arbitrary: typeof schema.example === 'number' ? fc.oneof(whole, fc.constant(schema.example)) : whole },
        { weight: 1, arbitrary: fc.double({ min, max, noNaN: true }) },
      );
    }
    case 'boolean':
      return fc.boolean();
    default: {
      const known = knownGood(field, ctx);
      const options: fc.Arbitrary<unknown>[] = [fc.constantFrom(...WORDS), fc.string({ minLength: 1, maxLength: 12 })];
      if (field === 'at') options.push(fc.constantFrom(...DATE_LIKE), fc.constantFrom(...DATE_LIKE));
      if (field === 'url') options.push(fc.constantFrom('https://example.org/r/1', 'ftp://x', 'not a url'));
      if (typeof schema.example === 'string') options.push(fc.constant(schema.example), fc.constant(schema.example));
      const free = fc.oneof(...options);
      return known ? fc.oneof({ weight: 4, arbitrary: fc.constantFrom(...known) }, { weight: 1, arbitrary: free }) : free;
    }
  }
}

/**
 * Values the service accepts for fields it checks beyond their type (recipe ids must exist,
 * exclusions must be known words), so a request broken in one place is valid everywhere else.
 */
function knownGood(field: string, ctx: FuzzContext): string[] | undefined {
  if (/^(recipeId|liked|disliked)$/.test(field)) return ctx.recipeIds.length > 0 ? ctx.recipeIds : undefined;
  const pools: Record<string, string[]> = {
    userId: ['user-42', 'u:1@x.y'],
    ingredients: ['鸡蛋', '番茄', 'tofu', 'chicken', 'rice', 'potato'],
    exclude: ['peanut', '香菜', 'coriander,peanut'],
    diet: ['vegetarian', 'vegan', 'gluten-free'],
    category: ['dessert', 'main-course', '甜品'],
    cuisine: ['indian', 'chinese', '川菜'],
    q: ['chicken curry', '不要香菜的牛肉汤', 'quick vegetarian'],
  };
  return pools[field];
}

type Path = Array<string | number>;

function paths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (prefix.length > 6) return out;
  if (Array.isArray(value)) value.forEach((item, i) => paths(item, [...prefix, i], out));
  else if (value && typeof value === 'object') for (const [key, item] of Object.entries(value)) paths(item, [...prefix, key], out);
  return out;
}

function clone<T>(value: T): T {
  return value === undefined ? value : JSON.parse(JSON.stringify(value));
}

type Mutation = 'replace' | 'wrap' | 'wrap-twice' | 'delete' | 'extra' | 'stringify';

/** The valid-ish value with one place broken. */
export function mutate(value: unknown, pick: number, kind: Mutation, hostile: unknown): unknown {
  const all = paths(value);
  const path = all[pick % all.length];
  const root = { v: clone(value) } as Record<string | number, unknown>;
  let parent: Record<string | number, unknown> = root;
  let key: string | number = 'v';
  for (const step of path) {
    parent = parent[key] as Record<string | number, unknown>;
    key = step;
  }
  const current = parent[key];
  switch (kind) {
    case 'replace':
      parent[key] = hostile;
      break;
    case 'wrap':
      parent[key] = [current];
      break;
    case 'wrap-twice':
      parent[key] = [[current]];
      break;
    case 'delete':
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
      break;
    case 'extra':
      if (current && typeof current === 'object' && !Array.isArray(current)) (current as Record<string, unknown>).unexpected = hostile;
      else parent[key] = hostile;
      break;
    case 'stringify':
      parent[key] = typeof current === 'string' ? current : JSON.stringify(current ?? null);
      break;
  }
  return root.v;
}

/** The schema at `path` inside a value of `schema`, or undefined where the schema leaves it free. */
function schemaAt(doc: OpenApiDocument, schema: OpenApiSchema, path: Path): OpenApiSchema | undefined {
  let current: OpenApiSchema | undefined = resolve(doc, schema);
  for (const step of path) {
    if (!current) return undefined;
    if (current.type === 'array' && typeof step === 'number' && current.items) current = resolve(doc, current.items);
    else if (current.type === 'object' && current.properties && typeof step === 'string') {
      const next: OpenApiSchema | undefined = current.properties[step];
      current = next ? resolve(doc, next) : undefined;
    } else return undefined;
  }
  return current;
}

const isPlainObject = (v: unknown) => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Why `found` can never be a valid value of `schema`, or undefined when it might be. */
function mismatch(schema: OpenApiSchema, found: unknown): string | undefined {
  if (found === null || found === undefined) return undefined;
  if (schema.enum) return schema.enum.includes(found) ? undefined : 'not one of the allowed values';
  switch (schema.type) {
    case 'object':
      return schema.properties && !isPlainObject(found) ? 'an object was expected' : undefined;
    case 'array':
      return Array.isArray(found) ? undefined : 'an array was expected';
    case 'string':
      return typeof found === 'string' ? undefined : 'a string was expected';
    case 'boolean':
      return typeof found === 'boolean' ? undefined : 'a boolean was expected';
    case 'number':
    case 'integer':
      if (typeof found !== 'number') return 'a number was expected';
      if (schema.minimum !== undefined && found < schema.minimum) return 'number below the minimum';
      if (schema.maximum !== undefined && found > schema.maximum) return 'number above the maximum';
      return schema.type === 'integer' && !Number.isInteger(found) ? 'an integer was expected' : undefined;
    default:
      return undefined;
  }
}

export interface GeneratedBody {
  body: unknown;
  expect?: Expectation;
}

/**
 * Where the mutation certainly broke the value, the expected answer; `bulkField` is the array
 * whose records a bulk route validates one by one.
 */
function expectationFor(
  doc: OpenApiDocument,
  schema: OpenApiSchema,
  path: Path,
  mutated: unknown,
  bulkField?: string,
): Expectation | undefined {
  const target = schemaAt(doc, schema, path);
  if (!target) return undefined;
  let found: unknown = mutated;
  for (const step of path) found = (found as Record<string | number, unknown>)[step];
  const reason = mismatch(target, found);
  if (!reason) return undefined;
  const where = path.join('.') || '(body)';
  if (bulkField && path[0] === bulkField && typeof path[1] === 'number') {
    return { failRecord: path[1], reason: `${where}: ${reason}` };
  }
  return { reject: `${where}: ${reason}` };
}

export function bodyArbitrary(
  doc: OpenApiDocument,
  schema: OpenApiSchema,
  ctx: FuzzContext,
  bulkField?: string,
): fc.Arbitrary<GeneratedBody> {
  const valid = validish(doc, schema, ctx).map((body) => ({ body }));
  const broken = fc
    .tuple(
      validish(doc, schema, ctx),
      fc.nat(),
      fc.constantFrom<Mutation>('replace', 'replace', 'replace', 'wrap', 'wrap-twice', 'delete', 'extra', 'stringify'),
      hostileValue,
    )
    .map(([value, pick, kind, hostile]): GeneratedBody => {
      const all = paths(value);
      const path = all[pick % all.length];
      const body = mutate(value, pick, kind, hostile);
      const checked = kind === 'replace' || kind === 'wrap' || kind === 'wrap-twice' || kind === 'stringify';
      return { body, expect: checked ? expectationFor(doc, schema, path, body, bulkField) : undefined };
    });
  return fc.oneof({ weight: 1, arbitrary: valid }, { weight: 3, arbitrary: broken });
}

function queryValue(doc: OpenApiDocument, parameter: OpenApiParameter, ctx: FuzzContext): fc.Arbitrary<string> {
  const schema = resolve(doc, parameter.schema ?? {});
  const valid = validish(doc, schema, ctx, parameter.name).map((v) => String(v));
  return fc.oneof(
    { weight: 2, arbitrary: valid },
    { weight: 2, arbitrary: fc.constantFrom(...NUMBER_LIKE) },
    { weight: 1, arbitrary: oddString },
  );
}

/** Why a single query value can never be valid for a numeric parameter: only plain decimals in range are. */
function queryMismatch(schema: OpenApiSchema, raw: string): string | undefined {
  if (schema.type !== 'integer' && schema.type !== 'number') return undefined;
  const pattern = schema.type === 'integer' ? /^-?\d+$/ : /^-?\d+(\.\d+)?$/;
  if (!pattern.test(raw)) return `"${raw}" is not a decimal ${schema.type}`;
  const n = Number(raw);
  if ((schema.minimum !== undefined && n < schema.minimum) || (schema.maximum !== undefined && n > schema.maximum))
    return `${raw} is out of range`;
  return undefined;
}

/** URLs cannot carry lone surrogates; send the replacement character instead. */
function encode(value: string): string {
  return encodeURIComponent(value.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd'));
}

interface QueryPart {
  pairs: string[];
  reject?: string;
}

/** One query parameter: absent, once, repeated, bare, or with a bracketed key. */
function queryPart(doc: OpenApiDocument, parameter: OpenApiParameter, ctx: FuzzContext): fc.Arbitrary<QueryPart> {
  const schema = resolve(doc, parameter.schema ?? {});
  const value = queryValue(doc, parameter, ctx);
  const name = encode(parameter.name);
  // A boolean switch is read by its controller, not by a DTO: only its absence of a 5xx is checked.
  const strict = schema.type !== 'boolean';
  return fc.oneof(
    { weight: 2, arbitrary: fc.constant<QueryPart>({ pairs: [] }) },
    { weight: 6, arbitrary: value.map((v) => ({ pairs: [`${name}=${encode(v)}`], reject: queryMismatch(schema, v) })) },
    {
      weight: 1,
      arbitrary: fc.tuple(value, value).map(([a, b]) => ({
        pairs: [`${name}=${encode(a)}`, `${name}=${encode(b)}`],
        reject: strict ? `${parameter.name} given twice` : undefined,
      })),
    },
    {
      weight: 1,
      arbitrary: value.map((v) => ({
        pairs: [`${name}[a]=${encode(v)}`],
        reject: strict ? `${parameter.name}[a] is not a parameter` : undefined,
      })),
    },
    { weight: 1, arbitrary: fc.constant<QueryPart>({ pairs: [name], reject: queryMismatch(schema, '') }) },
  );
}

function pathValue(parameter: OpenApiParameter, ctx: FuzzContext): fc.Arbitrary<string> {
  const known = parameter.name === 'userId' ? ['user-42', 'u:1@x.y'] : ctx.recipeIds.length > 0 ? ctx.recipeIds : ['r0000000000000000'];
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...known).map(encode) },
    { weight: 2, arbitrary: oddString.filter((s) => s.length > 0).map(encode) },
    { weight: 1, arbitrary: fc.constantFrom('a'.repeat(129), 'r0000000000000000', '%E0%A4%A', '%00', '..', 'null') },
  );
}

export function requestArbitrary(doc: OpenApiDocument, op: Operation, ctx: FuzzContext): fc.Arbitrary<FuzzRequest> {
  const pathParams = op.parameters.filter((p) => p.in === 'path');
  const queryParams = op.parameters.filter((p) => p.in === 'query');
  const validatedQuery = queryParams.some((p) => resolve(doc, p.schema ?? {}).type !== 'boolean');
  const unknownQuery = fc.oneof(
    { weight: 6, arbitrary: fc.constant<QueryPart>({ pairs: [] }) },
    {
      weight: 1,
      arbitrary: fc.constant<QueryPart>({ pairs: ['unexpected=1'], reject: validatedQuery ? 'unexpected is not a parameter' : undefined }),
    },
  );
  // Admin routes mostly get the right key, so their validation is reached; the rest sometimes get it too.
  const apiKey = op.admin
    ? fc.oneof(
        { weight: 8, arbitrary: fc.constant<string | undefined>(ctx.adminKey) },
        { weight: 1, arbitrary: fc.constant<string | undefined>(undefined) },
        { weight: 1, arbitrary: fc.constant<string | undefined>('wrong-key') },
      )
    : fc.oneof(
        { weight: 4, arbitrary: fc.constant<string | undefined>(undefined) },
        { weight: 1, arbitrary: fc.constant<string | undefined>(ctx.adminKey) },
      );
  const bulkField = op.path.endsWith('/bulk') && op.body ? Object.keys(resolve(doc, op.body).properties ?? {})[0] : undefined;
  const body: fc.Arbitrary<GeneratedBody> = op.body ? bodyArbitrary(doc, op.body, ctx, bulkField) : fc.constant({ body: undefined });
  return fc
    .record({
      path: fc.tuple(...pathParams.map((p) => pathValue(p, ctx))),
      query: fc.tuple(unknownQuery, ...queryParams.map((p) => queryPart(doc, p, ctx))),
      apiKey,
      body,
    })
    .map(({ path, query, apiKey: key, body: generated }): FuzzRequest => {
      let url = op.path;
      pathParams.forEach((p, i) => (url = url.replace(`{${p.name}}`, path[i])));
      const pairs = query.flatMap((part) => part.pairs);
      if (pairs.length > 0) url += `?${pairs.join('&')}`;
      const queryReject = query.find((part) => part.reject)?.reject;
      const expectation: Expectation | undefined = queryReject ? { reject: queryReject } : generated.expect;
      return { method: op.method, url, apiKey: key, body: generated.body, expect: expectation };
    });
}
