import { once } from 'node:events';
import { AddressInfo } from 'node:net';
import express from 'express';
import { readAdmission, requestClass } from './read-admission';

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

  it('never queues a search behind recommendation requests', async () => {
    const app = express();
    app.use(readAdmission(1));
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let ranking = 0;
    app.post('/api/recommendations', async (_req, res) => {
      ranking++;
      await held;
      res.json({});
    });
    app.get('/api/search', (_req, res) => res.json({}));
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const recommendations = Array.from({ length: 4 }, () => fetch(`${base}/api/recommendations`, { method: 'POST' }));
      await waitFor(() => ranking === 1);
      expect((await fetch(`${base}/api/search`)).status).toBe(200);
      // One heavy read runs at a time; the others wait for it.
      expect(ranking).toBe(1);
      release();
      expect((await Promise.all(recommendations)).map((r) => r.status)).toEqual([200, 200, 200, 200]);
    } finally {
      server.close();
    }
  });

  it('tells reads, heavy reads and the rest apart by method and path', () => {
    const kind = (method: string, path: string) => requestClass({ method, path });
    expect(kind('GET', '/api/recipes')).toBe('read');
    expect(kind('GET', '/api/search')).toBe('read');
    expect(kind('POST', '/api/search/by-ingredients')).toBe('read');
    expect(kind('POST', '/api/recommendations')).toBe('heavy-read');
    expect(kind('GET', '/api/users/u1/recommendations')).toBe('heavy-read');
    expect(kind('POST', '/api/recipes/bulk')).toBe('other');
    expect(kind('DELETE', '/api/recipes/r1')).toBe('other');
    expect(kind('GET', '/api/health/live')).toBe('other');
    expect(kind('GET', '/metrics')).toBe('other');
  });
});

async function waitFor(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
}
