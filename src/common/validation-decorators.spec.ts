import 'reflect-metadata';
import { plainToInstance } from 'class-transformer';
import { IsOptional, IsString, validateSync } from 'class-validator';
import { flattenValidationErrors } from './validation';
import {
  isRealDateTime,
  IsRealDateTime,
  MaxDepth,
  NestedObject,
  NestedObjectArray,
  nestingDepth,
  QueryInt,
  QueryNumber,
  WordList,
} from './validation-decorators';

class Item {
  @IsString()
  name: string;
}

class Probe {
  @IsOptional()
  @QueryInt(1, 100)
  limit?: number;

  @IsOptional()
  @QueryNumber(0, 1)
  diversity?: number;

  @IsOptional()
  @NestedObject(() => Item)
  filters?: Item;

  @IsOptional()
  @NestedObjectArray(() => Item)
  items?: Item[];

  @IsOptional()
  @IsRealDateTime()
  at?: string;

  @IsOptional()
  @MaxDepth(3)
  extra?: unknown;

  @IsOptional()
  @WordList(3, 20)
  exclude?: string | string[];
}

function check(plain: Record<string, unknown>) {
  const dto = plainToInstance(Probe, plain);
  return { dto, problems: flattenValidationErrors(validateSync(dto, { whitelist: true, forbidNonWhitelisted: true })) };
}

describe('QueryInt', () => {
  it.each(['1', '42', '100', '007'])('reads the decimal %p as a number', (raw) => {
    const { dto, problems } = check({ limit: raw });
    expect(problems).toEqual([]);
    expect(dto.limit).toBe(Number(raw));
  });

  it.each(['0x10', '0b11', '0o7', '1e1', ' 5', '5 ', '+5', '', '1.5', '5.', 'NaN', 'Infinity', '１２', '٣', '5abc'])(
    'refuses %p, which Number() would have read leniently',
    (raw) => {
      expect(check({ limit: raw }).problems).toEqual([
        { field: 'limit', problems: ['limit must be a whole number from 1 to 100, in decimal digits'] },
      ]);
    },
  );

  it('refuses a repeated parameter and numbers out of range with the field named', () => {
    expect(check({ limit: ['5', '6'] }).problems[0].field).toBe('limit');
    expect(check({ limit: '0' }).problems).toEqual([
      { field: 'limit', problems: ['limit must be a whole number from 1 to 100, in decimal digits'] },
    ]);
    expect(check({ limit: '99999999999999999999' }).problems[0].field).toBe('limit');
  });
});

describe('WordList', () => {
  it('takes a comma-separated string or an array of words, as they came', () => {
    expect(check({ exclude: '香菜,peanut' })).toMatchObject({ dto: { exclude: '香菜,peanut' }, problems: [] });
    expect(check({ exclude: ['香菜', 'peanut'] })).toMatchObject({ dto: { exclude: ['香菜', 'peanut'] }, problems: [] });
  });

  it('refuses other shapes, blank words, too many words and too many characters', () => {
    const problem = (exclude: unknown) => check({ exclude }).problems.map((p) => `${p.field}: ${p.problems.join('; ')}`);
    expect(problem(5)).toEqual(['exclude: exclude must be a comma-separated string or an array of strings, not a number']);
    expect(problem({ a: 1 })).toEqual(['exclude: exclude must be a comma-separated string or an array of strings, not an object']);
    expect(problem(['a', ' '])).toEqual(['exclude: exclude item 1 must be a non-empty string, not blank']);
    expect(problem(['a', 1])).toEqual(['exclude: exclude item 1 must be a non-empty string, not a number']);
    expect(problem(['a', 'b', 'c', 'd'])).toEqual(['exclude: exclude must list at most 3 words']);
    expect(problem('x'.repeat(21))).toEqual(['exclude: exclude must be at most 20 characters']);
    expect(problem(['x'.repeat(11), 'y'.repeat(10)])).toEqual(['exclude: exclude must be at most 20 characters in all']);
  });
});

describe('QueryNumber', () => {
  it.each([
    ['0', 0],
    ['0.3', 0.3],
    ['1', 1],
  ])('reads %p as %p', (raw, value) => {
    const { dto, problems } = check({ diversity: raw });
    expect(problems).toEqual([]);
    expect(dto.diversity).toBe(value);
  });

  it.each(['.3', '3e-1', '0x1', 'Infinity', '-', '0.3.1', ''])('refuses %p', (raw) => {
    expect(check({ diversity: raw }).problems.map((p) => p.field)).toEqual(['diversity']);
  });

  it('refuses a decimal out of range', () => {
    expect(check({ diversity: '1.5' }).problems).toEqual([
      { field: 'diversity', problems: ['diversity must be a number from 0 to 1, in decimal digits like 0.3'] },
    ]);
  });
});

describe('NestedObject', () => {
  it('validates a nested object field by field', () => {
    expect(check({ filters: { name: 'x' } }).problems).toEqual([]);
    expect(check({ filters: { name: 5 } }).problems).toEqual([{ field: 'filters.name', problems: ['name must be a string'] }]);
  });

  it.each([
    [[{ name: 'x' }], 'an array'],
    [[], 'an array'],
    ['vegan', 'a string'],
    [5, 'a number'],
    [true, 'a boolean'],
  ])('refuses %p with one clear problem instead of ignoring it', (value, kind) => {
    expect(check({ filters: value }).problems).toEqual([{ field: 'filters', problems: [`filters must be an object, not ${kind}`] }]);
  });
});

describe('NestedObjectArray', () => {
  it('validates every item', () => {
    expect(check({ items: [{ name: 'a' }, { name: 'b' }] }).problems).toEqual([]);
    expect(check({ items: [{ name: 'a' }, { name: 1 }] }).problems).toEqual([
      { field: 'items.1.name', problems: ['name must be a string'] },
    ]);
  });

  it.each([
    [[[{ name: 'a' }]], 'items.0 must be an object, not an array'],
    [[{ name: 'a' }, [[{ name: 'b' }]]], 'items.1 must be an object, not an array'],
    [[{ name: 'a' }, 'salt'], 'items.1 must be an object, not a string'],
    [[null], 'items.0 must be an object, not null'],
  ])('refuses %j and names the bad item', (items, problem) => {
    expect(check({ items }).problems).toEqual([{ field: 'items', problems: [problem] }]);
  });

  it('refuses an object where the array belongs without reporting its insides', () => {
    expect(check({ items: { name: 'a' } }).problems).toEqual([{ field: 'items', problems: ['items must be an array'] }]);
  });
});

describe('isRealDateTime', () => {
  it.each([
    '2025-11-20',
    '2025-11-20T18:30:00Z',
    '2025-11-20T18:30Z',
    '2025-11-20T18:30:00.123+08:00',
    '2025-11-20T18:30:00+0800',
    '2024-02-29',
  ])('accepts %p', (value) => expect(isRealDateTime(value)).toBe(true));

  it.each([
    '2025-W01', // ISO week date: passes ISO 8601 checks, but Date cannot read it
    '2025-W01-1',
    '2025-001', // ordinal date
    '20251120', // basic format
    '2025-02-30',
    '2025-02-29',
    '2025-13-01',
    '2025-00-10',
    '2025-11-20T24:00:00Z',
    '2025-11-20T18:60:00Z',
    '2025-11-20T18:30:00+25:00',
    '+275760-09-14T00:00:00Z',
    '2025-11-20T18:30:00Z ',
    'yesterday',
    '',
  ])('refuses %p', (value) => expect(isRealDateTime(value)).toBe(false));

  it('refuses what is not a string', () => {
    expect(isRealDateTime(1763663400000)).toBe(false);
    expect(check({ at: ['2025-11-20'] }).problems[0].field).toBe('at');
  });
});

describe('nestingDepth and MaxDepth', () => {
  const deep = (levels: number): unknown => {
    let value: unknown = 'leaf';
    for (let i = 0; i < levels; i++) value = i % 2 ? { a: value } : [value];
    return value;
  };

  it('counts levels of objects and arrays', () => {
    expect(nestingDepth('x')).toBe(0);
    expect(nestingDepth({})).toBe(1);
    expect(nestingDepth({ a: [1, { b: 2 }] })).toBe(3);
    expect(nestingDepth(deep(30))).toBe(30);
  });

  it('measures a value nested far deeper than recursion could follow', () => {
    expect(nestingDepth(deep(200_000), 32)).toBe(33);
    expect(nestingDepth(deep(200_000))).toBe(200_000);
  });

  it('refuses free-form JSON past its limit', () => {
    expect(check({ extra: { a: { b: [1] } } }).problems).toEqual([]);
    expect(check({ extra: { a: { b: [[1]] } } }).problems).toEqual([
      { field: 'extra', problems: ['extra must not nest objects or arrays more than 3 levels deep'] },
    ]);
  });
});
