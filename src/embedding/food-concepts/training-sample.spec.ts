import { inTrainingSample, trainingSample } from './training-sample';

const ids = Array.from({ length: 20_000 }, (_, i) => `recipe-${i}`);

describe('training sample', () => {
  it('takes the whole catalog up to the limit, and the limit’s share of a larger one', () => {
    expect(trainingSample(100, 1_000)).toEqual({ rate: 1, catalogSize: 100 });
    expect(trainingSample(1_000, 1_000)).toEqual({ rate: 1, catalogSize: 1_000 });
    expect(trainingSample(4_000, 1_000)).toEqual({ rate: 0.25, catalogSize: 4_000 });
  });

  it('keeps about the rate’s share of the recipes, each by its id alone', () => {
    expect(ids.every((id) => inTrainingSample(id, 1))).toBe(true);
    for (const rate of [0.05, 0.25, 0.5]) {
      const kept = ids.filter((id) => inTrainingSample(id, rate)).length;
      expect(kept / ids.length).toBeGreaterThan(rate * 0.9);
      expect(kept / ids.length).toBeLessThan(rate * 1.1);
    }
  });

  it('keeps a recipe it sampled at a lower rate at every higher one, so a growing catalog keeps most of its sample', () => {
    const low = ids.filter((id) => inTrainingSample(id, 0.1));
    expect(low.every((id) => inTrainingSample(id, 0.2))).toBe(true);
    expect(ids.filter((id) => inTrainingSample(id, 0.2)).length).toBeGreaterThan(low.length);
  });
});
