import { WindowCounter } from './window-counter';

describe('WindowCounter', () => {
  let now = 0;
  const clock = () => now;
  beforeEach(() => (now = 1_000_000));

  it('counts per key within a window and starts again when it ends', () => {
    const counter = new WindowCounter(60_000, clock);
    expect(counter.add('a').count).toBe(1);
    expect(counter.add('a').count).toBe(2);
    expect(counter.add('b').count).toBe(1);
    now += 59_000;
    expect(counter.add('a')).toEqual({ count: 3, resetSeconds: 1, endsAt: 1_060_000 });
    now += 1_000;
    expect(counter.add('a')).toEqual({ count: 1, resetSeconds: 60, endsAt: 1_120_000 });
  });

  it('peeks without counting', () => {
    const counter = new WindowCounter(60_000, clock);
    expect(counter.peek('a').count).toBe(0);
    counter.add('a');
    now += 15_500;
    expect(counter.peek('a')).toEqual({ count: 1, resetSeconds: 45, endsAt: 1_060_000 });
    expect(counter.peek('a').count).toBe(1);
  });

  it('forgets keys whose window ended', () => {
    const counter = new WindowCounter(1_000, clock);
    for (let i = 0; i < 100; i++) counter.add(`client-${i}`);
    expect(counter.size).toBe(100);
    now += 2_000;
    counter.add('late');
    expect(counter.size).toBe(1);
  });
});
