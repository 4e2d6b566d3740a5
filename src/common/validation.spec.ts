import 'reflect-metadata';
import { IsOptional, IsString } from 'class-validator';
import { AppError } from './app-error';
import { ErrorCode } from './error-codes';
import { createValidationPipe, MAX_INPUT_DEPTH, nulCharacterAt, tooDeepAt } from './validation';

class Body {
  @IsString()
  name: string;

  @IsOptional()
  @IsString()
  note?: string;
}

function nested(levels: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

describe('tooDeepAt', () => {
  it('finds nothing in input within the limit', () => {
    expect(tooDeepAt({ name: 'x', list: [[1], { a: 2 }] })).toBeUndefined();
    expect(tooDeepAt(nested(MAX_INPUT_DEPTH))).toBeUndefined();
  });

  it('names the path to the first value past the limit', () => {
    expect(tooDeepAt({ ok: 1, deep: nested(4) }, 3)).toBe('deep.a.a');
    expect(tooDeepAt(nested(MAX_INPUT_DEPTH + 1))).toBe(Array(MAX_INPUT_DEPTH).fill('a').join('.'));
  });
});

describe('nulCharacterAt', () => {
  it('names the value or key holding U+0000, and nothing in clean input', () => {
    expect(nulCharacterAt({ name: '宫保鸡丁', list: ['a', { b: 1 }] })).toBeUndefined();
    expect(nulCharacterAt('r\u0000')).toBe('');
    expect(nulCharacterAt({ ingredients: [{ name: 'ok' }, { name: 'be\u0000ef' }] })).toBe('ingredients.1.name');
    expect(nulCharacterAt({ extra: { 'k\u0000': 1 } })).toBe('extra.k\u0000');
  });
});

describe('the global validation pipe', () => {
  const pipe = createValidationPipe();
  const metadata = { type: 'body' as const, metatype: Body, data: '' };

  async function failure(value: unknown): Promise<AppError> {
    try {
      await pipe.transform(value, metadata);
    } catch (error) {
      return error as AppError;
    }
    throw new Error('expected a validation failure');
  }

  it('refuses a value nested thousands of levels deep with a 400 instead of overflowing the stack', async () => {
    const error = await failure({ name: 'x', note: nested(50_000) });
    expect(error).toBeInstanceOf(AppError);
    expect(error.code).toBe(ErrorCode.ValidationFailed);
    expect(error.details).toEqual([
      { field: 'note.a.a', problems: [`note.a.a nests objects or arrays more than ${MAX_INPUT_DEPTH} levels deep`] },
    ]);
  });

  it('reports a moderately deep value where a string belongs as that field', async () => {
    const error = await failure({ name: nested(20) });
    expect(error.details).toEqual([{ field: 'name', problems: ['name must be a string'] }]);
  });

  it('refuses text holding U+0000, which PostgreSQL cannot store or compare, naming the field', async () => {
    const error = await failure({ name: 'x\u0000y' });
    expect(error.code).toBe(ErrorCode.ValidationFailed);
    expect(error.details).toEqual([{ field: 'name', problems: ['name must not contain the character U+0000'] }]);
    // A path parameter reaches the pipe as the bare string.
    const param = await pipe.transform('r\u0000', { type: 'param', metatype: String, data: 'id' }).catch((e: AppError) => e);
    expect(param).toMatchObject({ code: ErrorCode.ValidationFailed, details: [{ field: 'id' }] });
  });

  it('passes valid input through as the DTO', async () => {
    await expect(pipe.transform({ name: 'x' }, metadata)).resolves.toBeInstanceOf(Body);
  });
});
