import { scaledToUnit } from './unit-scale';

describe('scaledToUnit', () => {
  it('maps the lowest score to 0 and the highest to 1, keeping the order and the spacing', () => {
    const scores = new Map([
      ['top', 0.9],
      ['x', 0.5],
      ['low', 0.1],
    ]);
    expect([...scaledToUnit(scores)]).toEqual([
      ['top', 1],
      ['x', 0.5],
      ['low', 0],
    ]);
  });

  it('maps equal scores (or one) to 0 rather than dividing by nothing', () => {
    expect([...scaledToUnit(new Map([['only', 3]]))]).toEqual([['only', 0]]);
    expect([
      ...scaledToUnit(
        new Map([
          ['a', -1],
          ['b', -1],
        ]),
      ),
    ]).toEqual([
      ['a', 0],
      ['b', 0],
    ]);
    expect(scaledToUnit(new Map()).size).toBe(0);
  });
});
