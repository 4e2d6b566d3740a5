import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { AppError } from './app-error';
import { ErrorCode } from './error-codes';
import { nestingDepth, SHAPE_CONSTRAINTS } from './validation-decorators';

/**
 * Deepest nesting any request may carry into validation. The deepest real input is a bulk
 * body: { recipes: [ { extra: <8 levels> } ] } is 11 levels; 32 leaves room and is far below
 * what class-transformer's recursion can take (it overflows the stack at a few thousand).
 */
export const MAX_INPUT_DEPTH = 32;

export interface FieldProblem {
  field: string;
  problems: string[];
}

/**
 * Flattens class-validator's tree into `[{ field: "ingredients.0.name", problems: [...] }]`.
 * A value with the wrong shape (an array where an object belongs) is reported once, by its
 * shape: what nested validation then says about its insides is noise.
 */
export function flattenValidationErrors(errors: ValidationError[], prefix = ''): FieldProblem[] {
  const out: FieldProblem[] = [];
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const constraints = Object.entries(error.constraints ?? {});
    const wrongShape = constraints.some(([name]) => SHAPE_CONSTRAINTS.has(name));
    const problems = constraints.filter(([name]) => !(wrongShape && name === 'nestedValidation')).map(([, message]) => message);
    if (problems.length > 0) out.push({ field, problems });
    if (!wrongShape && error.children?.length) out.push(...flattenValidationErrors(error.children, field));
  }
  return out;
}

/** The path of the first value nested deeper than `limit` levels, found without recursion. */
export function tooDeepAt(value: unknown, limit = MAX_INPUT_DEPTH): string | undefined {
  if (nestingDepth(value, limit) <= limit) return undefined;
  const stack: Array<{ value: unknown; path: string[] }> = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop() as { value: unknown; path: string[] };
    if (typeof current !== 'object' || current === null) continue;
    if (path.length >= limit) return path.join('.');
    for (const [key, child] of Object.entries(current)) stack.push({ value: child, path: [...path, key] });
  }
  return undefined;
}

/** Names every object inherits (toString, constructor, __proto__…): never a field of any input. */
const INHERITED_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

/**
 * One walk of the input for what no field may hold, each as the path where it is first found
 * ('' for the value itself). Call after the depth check: the walk is bounded by it.
 * - `nulAt`: a string, value or key, holding U+0000. PostgreSQL's text cannot hold that
 *   character: a query carrying one failed with 22021 and the request with a 500, on reads (an
 *   id, a filter) as on writes. No stored value can contain it, so no input may, on either
 *   database. The walk stops there.
 * - `inheritedAt`: a key named like a member of Object.prototype. The whitelist check of
 *   class-validator looks a key up in a plain object of declared fields, so `toString`,
 *   `constructor` or `__proto__` counted as declared and passed as unknown fields no other name
 *   could: `?q=beef&toString=1` answered 200.
 */
function inputFlaws(value: unknown): { nulAt?: string; inheritedAt?: string } {
  let inheritedAt: string | undefined;
  const stack: Array<{ value: unknown; path: string[] }> = [{ value, path: [] }];
  while (stack.length > 0) {
    const { value: current, path } = stack.pop() as { value: unknown; path: string[] };
    if (typeof current === 'string') {
      if (current.includes('\u0000')) return { nulAt: path.join('.'), inheritedAt };
      continue;
    }
    if (typeof current !== 'object' || current === null) continue;
    const array = Array.isArray(current);
    for (const [key, child] of Object.entries(current)) {
      if (key.includes('\u0000')) return { nulAt: [...path, key].join('.'), inheritedAt };
      if (!array && inheritedAt === undefined && INHERITED_NAMES.has(key)) inheritedAt = [...path, key].join('.');
      stack.push({ value: child, path: [...path, key] });
    }
  }
  return { inheritedAt };
}

/** The path of the first string, value or key, that holds U+0000 (see inputFlaws). */
export function nulCharacterAt(value: unknown): string | undefined {
  return inputFlaws(value).nulAt;
}

export const NUL_CHARACTER_PROBLEM = 'must not contain the character U+0000';

/**
 * The global pipe: refuses input nested past MAX_INPUT_DEPTH before class-transformer and
 * class-validator, which both recurse, ever see it, text holding U+0000 and fields named like
 * Object.prototype members (see inputFlaws).
 */
class BoundedValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // Custom parameters (body bytes, for one) are not validated here, and not walked either.
    if (metadata.type === 'custom') return value;
    const at = tooDeepAt(value);
    if (at !== undefined) {
      const field = at.split('.').slice(0, 3).join('.') || metadata.type;
      throw validationFailed([{ field, problems: [`${field} nests objects or arrays more than ${MAX_INPUT_DEPTH} levels deep`] }]);
    }
    const { nulAt, inheritedAt } = inputFlaws(value);
    if (nulAt !== undefined) {
      const field = nulAt || metadata.data || metadata.type;
      throw validationFailed([{ field, problems: [`${field} ${NUL_CHARACTER_PROBLEM}`] }]);
    }
    if (inheritedAt !== undefined) {
      const name = inheritedAt.split('.').pop()!;
      throw validationFailed([{ field: inheritedAt, problems: [`property ${name} should not exist`] }]);
    }
    return super.transform(value, metadata);
  }
}

export function validationFailed(details: FieldProblem[]): AppError {
  const summary = details
    .slice(0, 3)
    .map((d) => `${d.field}: ${d.problems[0]}`)
    .join('; ');
  return new AppError(ErrorCode.ValidationFailed, `Invalid request: ${summary}`, details);
}

export function createValidationPipe(): ValidationPipe {
  return new BoundedValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    transformOptions: { enableImplicitConversion: false },
    exceptionFactory: (errors) => validationFailed(flattenValidationErrors(errors)),
  });
}
