import { RateLimitConfig } from '../config/app-config';
import { budgetPerWorker } from './rate-limiters';

describe('budgetPerWorker', () => {
  const config: RateLimitConfig = {
    perMinute: 20_000,
    exemptLoopback: false,
    clientHeader: null,
    adminFailures: 10,
    adminFailureWindowMs: 15 * 60_000,
  };

  it('keeps the budgets of a single process', () => {
    expect(budgetPerWorker(config, 1)).toBe(config);
  });

  it('gives each worker its share, rounded up, so the workers together allow no more than configured (give or take one each)', () => {
    expect(budgetPerWorker(config, 2)).toEqual({ ...config, perMinute: 10_000, adminFailures: 5 });
    expect(budgetPerWorker(config, 3)).toEqual({ ...config, perMinute: 6_667, adminFailures: 4 });
    // At least one wrong key per worker before it blocks.
    expect(budgetPerWorker({ ...config, adminFailures: 1 }, 4).adminFailures).toBe(1);
  });

  it('leaves a limit that is off (0) off', () => {
    expect(budgetPerWorker({ ...config, perMinute: 0 }, 2).perMinute).toBe(0);
  });
});
