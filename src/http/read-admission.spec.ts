import { once } from 'node:events';
import { AddressInfo } from 'node:net';
import express from 'express';
import { isReadRequest, readAdmission } from './read-admission';

describe('readAdmission', () => {
  it('runs reads one at a time at limit 1, while writes and health pass the waiting reads', async () => {
    const app = express();
    app.use(readAdmission(1));
    const started: string[] = [];
    let releaseFirst!: () => void;
    const firstHeld = new Promise<void>((resolve) => (releaseFirst = resolve));
    app.get('/api/search', async (req, res) => {
      started.push(`read ${req.query.n}`);
      if (req.query.n === '1') await firstHeld;
      res.json({ n: req.query.n });
    });
    app.post('/api/users/u/interactions', (_req, res) => {
      started.push('write');
      res.status(201).json({});
    });
    app.get('/api/health', (_req, res) => {
      started.push('health');
      res.json({});
    });
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const first = fetch(`${base}/api/search?n=1`);
      await waitFor(() => started.includes('read 1'));
      const second = fetch(`${base}/api/search?n=2`);
      const write = await fetch(`${base}/api/users/u/interactions`, { method: 'POST' });
      const health = await fetch(`${base}/api/health`);
      expect([write.status, health.status]).toEqual([201, 200]);
      // The second read has not started: it waits for the first to finish.
      expect(started).toEqual(['read 1', 'write', 'health']);
      releaseFirst();
      expect((await first).status).toBe(200);
      expect((await second).status).toBe(200);
      expect(started).toEqual(['read 1', 'write', 'health', 'read 2']);
    } finally {
      server.close();
    }
  });

  it('tells reads from writes by method and path', () => {
    const req = (method: string, path: string) => ({ method, path }) as Parameters<typeof isReadRequest>[0];
    expect(isReadRequest(req('GET', '/api/recipes'))).toBe(true);
    expect(isReadRequest(req('POST', '/api/recommendations'))).toBe(true);
    expect(isReadRequest(req('POST', '/api/search/by-ingredients'))).toBe(true);
    expect(isReadRequest(req('POST', '/api/recipes/bulk'))).toBe(false);
    expect(isReadRequest(req('DELETE', '/api/recipes/r1'))).toBe(false);
    expect(isReadRequest(req('GET', '/api/health/live'))).toBe(false);
    expect(isReadRequest(req('GET', '/metrics'))).toBe(false);
  });
});

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
}
