import Ajv, { ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { OpenAPIObject } from '@nestjs/swagger';

type Schema = Record<string, unknown>;

const KEPT = new Set(['type', 'enum', 'format', 'required', 'minimum', 'maximum', 'minItems', 'maxItems', 'maxLength', 'minLength']);

/**
 * JSON Schema for ajv from an OpenAPI 3.0 schema, stricter than the document reads: references
 * inlined, `nullable` as a null alternative, and every object with listed properties closed
 * (`additionalProperties: false` unless it says otherwise), so a field a route sends that the
 * document does not declare is a failure, not something a generated client silently drops.
 */
export function closedSchema(doc: OpenAPIObject, schema: Schema, depth = 0): Schema {
  if (depth > 40) throw new Error('Schema nests too deep (a cycle?)');
  const next = (s: unknown) => closedSchema(doc, s as Schema, depth + 1);
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.split('/').pop() as string;
    const target = doc.components?.schemas?.[name];
    if (!target) throw new Error(`Unknown schema ${schema.$ref}`);
    return next(target);
  }
  let out: Schema = {};
  const allOf = schema.allOf as Schema[] | undefined;
  if (allOf?.length === 1) out = next(allOf[0]);
  else if (allOf) out.allOf = allOf.map(next);
  for (const [key, value] of Object.entries(schema)) if (KEPT.has(key)) out[key] = value;
  if (schema.oneOf) out.oneOf = (schema.oneOf as Schema[]).map(next);
  if (schema.items) out.items = next(schema.items);
  if (schema.properties) {
    out.properties = Object.fromEntries(Object.entries(schema.properties as Record<string, Schema>).map(([k, v]) => [k, next(v)]));
    out.additionalProperties = schema.additionalProperties === undefined ? false : schema.additionalProperties;
  } else if (schema.additionalProperties !== undefined) {
    out.additionalProperties = schema.additionalProperties === true ? true : next(schema.additionalProperties);
  }
  if (schema.nullable === true) return { anyOf: [out, { type: 'null' }] };
  return out;
}

/** Validators of each documented JSON response, by `METHOD /path template` and status. */
export class ResponseSchemas {
  private readonly ajv = addFormats(new Ajv({ allErrors: true, strict: true }));
  private readonly compiled = new Map<string, ValidateFunction>();

  constructor(private readonly doc: OpenAPIObject) {}

  /** Every `METHOD path` with a 2xx response other than 204, which must declare its body. */
  operationsWithBodies(): string[] {
    const out: string[] = [];
    for (const [path, operations] of Object.entries(this.doc.paths)) {
      for (const [method, operation] of Object.entries(operations as Record<string, { responses: Record<string, unknown> }>)) {
        if (Object.keys(operation.responses).some((status) => status.startsWith('2') && status !== '204')) {
          out.push(`${method.toUpperCase()} ${path}`);
        }
      }
    }
    return out.sort();
  }

  /** Problems of `body` against what the document says `operation` answers with `status`; [] when it conforms. */
  problems(operation: string, status: number, body: unknown): string[] {
    const key = `${operation} ${status}`;
    let validate = this.compiled.get(key);
    if (!validate) {
      const [method, path] = operation.split(' ');
      const response = (
        this.doc.paths[path] as Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>
      )?.[method.toLowerCase()]?.responses?.[String(status)];
      if (!response) return [`${operation} documents no ${status} response`];
      const schema = response.content?.['application/json']?.schema;
      if (!schema) return [`${operation} ${status} declares no body schema`];
      validate = this.ajv.compile(closedSchema(this.doc, schema));
      this.compiled.set(key, validate);
    }
    if (validate(body)) return [];
    return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message} ${JSON.stringify(e.params)}`);
  }
}
