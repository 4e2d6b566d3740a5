import type { NextFunction, Request, Response } from 'express';
import { AppError } from '../common/app-error';
import { RateLimitConfig } from '../config/app-config';
import { BudgetCounter, BudgetPeers } from './budget-peers';
import { AdminKeyFailures, ClientRateLimiter } from './rate-limiters';

/** Other workers' counts as a test sets them, and this process's reports as it made them. */
class PeersStub implements BudgetPeers {
  readonly elsewhere = new Map<string, number>();
  readonly reported: Array<[BudgetCounter, string, number]> = [];
  spent(counter: BudgetCounter, key: string, count: number): void {
    this.reported.push([counter, key, count]);
  }
  spentElsewhere(counter: BudgetCounter, key: string): number {
    return this.elsewhere.get(`${counter} ${key}`) ?? 0;
  }
}

const config: RateLimitConfig = {
  perMinute: 10,
  exemptLoopback: false,
  clientHeader: null,
  adminFailures: 4,
  adminFailureWindowMs: 15 * 60_000,
};
const request = (ip: string) => ({ ip, headers: {}, socket: {} }) as unknown as Request;
const response = () => {
  const headers = new Map<string, string>();
  return { headers, res: { setHeader: (name: string, value: string) => headers.set(name, value) } as unknown as Response };
};

describe('rate limits with other workers counting', () => {
  it('a client’s requests to the other workers count against its budget here', () => {
    const peers = new PeersStub();
    const middleware = new ClientRateLimiter(config, peers).middleware();
    peers.elsewhere.set('clients address:10.0.0.7', 8);
    const outcomes: unknown[] = [];
    const { headers, res } = response();
    for (let i = 0; i < 3; i++) middleware(request('10.0.0.7'), res, ((error?: unknown) => outcomes.push(error ?? 'next')) as NextFunction);
    expect(outcomes.slice(0, 2)).toEqual(['next', 'next']);
    expect(outcomes[2]).toBeInstanceOf(AppError);
    expect((outcomes[2] as AppError).code).toBe('RATE_LIMITED');
    expect(Number(headers.get('retry-after'))).toBeGreaterThan(0);
    // Its own counts go to the others, refused requests included.
    expect(peers.reported).toEqual([
      ['clients', 'address:10.0.0.7', 1],
      ['clients', 'address:10.0.0.7', 2],
      ['clients', 'address:10.0.0.7', 3],
    ]);
    // Another client is not affected.
    const other: unknown[] = [];
    middleware(request('10.0.0.8'), res, ((error?: unknown) => other.push(error ?? 'next')) as NextFunction);
    expect(other).toEqual(['next']);
  });

  it('wrong admin keys tried on the other workers block the address here', () => {
    const peers = new PeersStub();
    const failures = new AdminKeyFailures(config, peers);
    const { res } = response();
    failures.recordFailure(request('10.0.0.9'));
    expect(peers.reported).toEqual([['admin-failures', '10.0.0.9', 1]]);
    expect(() => failures.assertNotBlocked(request('10.0.0.9'), res)).not.toThrow();
    peers.elsewhere.set('admin-failures 10.0.0.9', 3);
    expect(() => failures.assertNotBlocked(request('10.0.0.9'), res)).toThrow(AppError);
    expect(() => failures.assertNotBlocked(request('10.0.0.10'), res)).not.toThrow();
  });
});
