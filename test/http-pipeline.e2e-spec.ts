import { request as httpRequest, IncomingHttpHeaders, OutgoingHttpHeaders, Server } from 'node:http';
import { once } from 'node:events';
import { AddressInfo, connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { createTestApp, ADMIN_KEY, TestApp } from './support/test-app';

jest.setTimeout(120_000);

const recipe = (sourceId: string) => ({
  name: '番茄炒蛋',
  source: 'pipeline-kitchen',
  sourceId,
  ingredients: [{ name: '番茄' }, { name: '鸡蛋' }],
  steps: ['炒'],
});

/** `{"ingredients": [[[ … "鸡蛋" … ]]]}`: the body itself plus `levels` arrays. */
const deepBody = (levels: number) => `{"ingredients":${'['.repeat(levels)}"鸡蛋"${']'.repeat(levels)},"mode":"similar"}`;

interface RawResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: { code?: string; statusCode?: number; details?: unknown };
}

async function listening(t: TestApp): Promise<number> {
  const server = t.app.getHttpServer() as Server;
  if (!server.listening) await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/**
 * A POST over a plain connection, for what supertest cannot send as is (raw bytes with a JSON
 * content type, no content type, a body that never ends). With `end: false` only `body` is
 * written and the request stays open: an answer can then only come while the body is unfinished
 * if the service answered without reading it.
 */
function rawPost(port: number, path: string, headers: OutgoingHttpHeaders, body: Buffer | string, end = true): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest({ host: '127.0.0.1', port, path, method: 'POST', headers });
    let answered = false;
    req.on('response', (res) => {
      answered = true;
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => {
        req.destroy();
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) });
      });
    });
    // The service may close the connection while this side still writes; only a missing answer fails.
    req.on('error', (error) => {
      if (!answered) reject(error);
    });
    if (end) req.end(body);
    else req.write(body);
  });
}

const json = (body: Buffer | string, extra: OutgoingHttpHeaders = {}): OutgoingHttpHeaders => ({
  'content-type': 'application/json',
  'content-length': Buffer.byteLength(body),
  ...extra,
});

describe('HTTP pipeline', () => {
  describe('with the default limits', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ seed: { source: 'indian-food-101' } });
      await listening(t);
    });
    afterAll(async () => {
      await t.close();
    });

    describe('JSON bodies', () => {
      it('answers 400 JSON_TOO_DEEP for a body nested thousands of levels deep, on public and admin routes', async () => {
        const res = await t
          .http()
          .post('/api/search/by-ingredients')
          .set('content-type', 'application/json')
          .send(deepBody(5000))
          .expect(400);
        expect(res.body).toMatchObject({ statusCode: 400, code: 'JSON_TOO_DEEP', details: { maxDepth: 32 } });

        const admin = await t
          .http()
          .post('/api/recipes/bulk')
          .set('x-api-key', ADMIN_KEY)
          .set('content-type', 'application/json')
          .send(`{"recipes":${'['.repeat(100_000)}${']'.repeat(100_000)}}`)
          .expect(400);
        expect(admin.body.code).toBe('JSON_TOO_DEEP');
      });

      it('accepts a body exactly at the depth limit and hands it to validation', async () => {
        // 1 (the body) + 31 arrays = 32 levels: parsed, then refused by the DTO, not by the parser.
        const res = await t
          .http()
          .post('/api/search/by-ingredients')
          .set('content-type', 'application/json')
          .send(deepBody(31))
          .expect(400);
        expect(res.body.code).toBe('VALIDATION_FAILED');
        expect(
          (await t.http().post('/api/search/by-ingredients').set('content-type', 'application/json').send(deepBody(32))).body.code,
        ).toBe('JSON_TOO_DEEP');
      });

      it('answers 415 for a body that is not declared as JSON, naming what to send', async () => {
        const text = await t
          .http()
          .post('/api/search/by-ingredients')
          .set('content-type', 'text/plain')
          .send(JSON.stringify({ ingredients: ['鸡蛋'] }))
          .expect(415);
        expect(text.body).toMatchObject({ statusCode: 415, code: 'UNSUPPORTED_MEDIA_TYPE' });
        expect(text.body.message).toMatch(/application\/json/);

        const form = await t.http().post('/api/recommendations').type('form').send({ liked: 'x' }).expect(415);
        expect(form.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');

        const latin1 = await t
          .http()
          .post('/api/search/by-ingredients')
          .set('content-type', 'application/json; charset=iso-8859-1')
          .send('{"ingredients":["egg"]}')
          .expect(415);
        expect(latin1.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      });

      it('answers 415 for a body without any content type', async () => {
        const port = await listening(t);
        const body = JSON.stringify({ ingredients: ['鸡蛋'] });
        const res = await rawPost(port, '/api/search/by-ingredients', { 'content-length': Buffer.byteLength(body) }, body);
        expect(res.status).toBe(415);
        expect(res.body.code).toBe('UNSUPPORTED_MEDIA_TYPE');
      });

      it('takes UTF-8 JSON with a charset, and +json media types', async () => {
        await t
          .http()
          .post('/api/search/by-ingredients')
          .set('content-type', 'application/json; charset=UTF-8')
          .send(JSON.stringify({ ingredients: ['鸡蛋'] }))
          .expect(200);
        await t
          .http()
          .post('/api/search/by-ingredients')
          .set('content-type', 'application/merge-patch+json')
          .send(JSON.stringify({ ingredients: ['鸡蛋'] }))
          .expect(200);
      });

      it('answers 400 INVALID_JSON for bytes that are not UTF-8', async () => {
        const latin1 = Buffer.from('{"ingredients":["cr\u00e8me fra\u00eeche"]}', 'latin1');
        const res = await rawPost(await listening(t), '/api/search/by-ingredients', json(latin1), latin1);
        expect(res.status).toBe(400);
        expect(res.body.code).toBe('INVALID_JSON');
      });
    });

    describe('Content-Encoding', () => {
      const body = JSON.stringify({ ingredients: ['鸡蛋', '番茄'], mode: 'pantry' });

      it('takes gzip-compressed bodies', async () => {
        const gzipped = gzipSync(body);
        const res = await rawPost(await listening(t), '/api/search/by-ingredients', json(gzipped, { 'content-encoding': 'gzip' }), gzipped);
        expect(res.status).toBe(200);
        expect((res.body as { query: { mode: string } }).query.mode).toBe('pantry');
      });

      it('answers 400 INVALID_BODY_ENCODING when the body is not what its Content-Encoding says', async () => {
        const res = await t
          .http()
          .post('/api/search/by-ingredients')
          .set('content-type', 'application/json')
          .set('content-encoding', 'gzip')
          .send(body)
          .expect(400);
        expect(res.body).toMatchObject({ statusCode: 400, code: 'INVALID_BODY_ENCODING' });
      });

      it('answers 415 for an encoding it does not take', async () => {
        for (const encoding of ['br', 'deflate', 'gzip, gzip', 'made-up']) {
          const res = await t
            .http()
            .post('/api/search/by-ingredients')
            .set('content-type', 'application/json')
            .set('content-encoding', encoding)
            .send(body)
            .expect(415);
          expect(res.body).toMatchObject({ code: 'UNSUPPORTED_MEDIA_TYPE', details: { supported: ['identity', 'gzip'] } });
        }
      });

      it('answers 413 when a gzip body inflates past the limit', async () => {
        const bomb = gzipSync(JSON.stringify({ recipes: [recipe('bomb')], pad: ' '.repeat(6 * 1024 * 1024) }));
        expect(bomb.length).toBeLessThan(64 * 1024);
        const res = await rawPost(
          await listening(t),
          '/api/recipes/bulk',
          json(bomb, { 'content-encoding': 'gzip', 'x-api-key': ADMIN_KEY }),
          bomb,
        );
        expect(res.status).toBe(413);
        expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
      });
    });

    describe('admin key before the body', () => {
      it('answers 401, not 400, to a bad body without a key', async () => {
        const res = await t.http().post('/api/recipes').set('content-type', 'application/json').send('{"name": ').expect(401);
        expect(res.body.code).toBe('UNAUTHORIZED');
        const deep = await t.http().post('/api/recipes/bulk').set('content-type', 'application/json').send(deepBody(5000)).expect(401);
        expect(deep.body.code).toBe('UNAUTHORIZED');
        const text = await t.http().post('/api/recipes').set('content-type', 'text/plain').send('hello').expect(401);
        expect(text.body.code).toBe('UNAUTHORIZED');
      });

      it('answers 403, not 400, to a bad body with a wrong key', async () => {
        const res = await t
          .http()
          .post('/api/recipes')
          .set('x-api-key', 'not-the-admin-key')
          .set('content-type', 'application/json')
          .send('{"name": ')
          .expect(403);
        expect(res.body.code).toBe('FORBIDDEN');
      });

      it('answers 401 to a 4 MB body without a key, and the connection stays usable', async () => {
        const big = JSON.stringify({
          recipes: Array.from({ length: 1000 }, (_, i) => ({ ...recipe(`big-${i}`), description: 'x'.repeat(4000) })),
        });
        expect(big.length).toBeGreaterThan(4 * 1000 * 1000);
        const res = await t.http().post('/api/recipes/bulk').set('content-type', 'application/json').send(big).expect(401);
        expect(res.body.code).toBe('UNAUTHORIZED');
        await t.http().get('/api/health/live').expect(200);
      });

      it('answers 413 at once to a declared 20 MB body, without waiting for it, closing the connection', async () => {
        const port = await listening(t);
        for (const path of ['/api/recipes/bulk', '/api/search/by-ingredients']) {
          const res = await rawPost(
            port,
            path,
            { 'content-type': 'application/json', 'content-length': 20 * 1024 * 1024, 'x-api-key': ADMIN_KEY },
            '{"recipes": [',
            false,
          );
          expect(res.status).toBe(413);
          expect(res.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', details: { limitBytes: 5 * 1024 * 1024 } });
          expect(res.headers.connection).toBe('close');
        }
      });

      it('answers 413 to a chunked body once it passes the limit', async () => {
        const port = await listening(t);
        const res = await rawPost(
          port,
          '/api/recipes/bulk',
          { 'content-type': 'application/json', 'transfer-encoding': 'chunked', 'x-api-key': ADMIN_KEY },
          `{"recipes": [], "pad": "${'x'.repeat(6 * 1024 * 1024)}`,
          false,
        );
        expect(res.status).toBe(413);
        expect(res.body.code).toBe('PAYLOAD_TOO_LARGE');
      });
    });

    describe('kept-alive connections', () => {
      /** Two GETs on one TCP connection, `idleMs` apart; what each got back, or the error of the second. */
      async function twoRequests(port: number, idleMs: number): Promise<{ first: string; second: string | Error }> {
        const socket = connect(port, '127.0.0.1');
        await once(socket, 'connect');
        let received = '';
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => (received += chunk));
        const answer = async (): Promise<string> => {
          const started = received.length;
          for (let waited = 0; waited < 5_000; waited += 20) {
            const text = received.slice(started);
            if (/\r\n\r\n[\s\S]*\}$/.test(text)) return text;
            if (socket.destroyed) throw new Error(`closed after ${JSON.stringify(text.slice(0, 40))}`);
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
          throw new Error('no answer');
        };
        const get = 'GET /api/health/live HTTP/1.1\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\n';
        socket.write(get);
        const first = await answer();
        await new Promise((resolve) => setTimeout(resolve, idleMs));
        let second: string | Error;
        try {
          if (socket.destroyed || socket.readableEnded) throw new Error('the server closed the idle connection');
          socket.write(get);
          second = await answer();
        } catch (error) {
          second = error as Error;
        }
        socket.destroy();
        return { first, second };
      }

      it("keeps an idle connection open past Node's 5 s default, so a client reusing it is answered", async () => {
        const { first, second } = await twoRequests(await listening(t), 6_000);
        expect(first).toMatch(/^HTTP\/1\.1 200/);
        expect(first).toMatch(/keep-alive: timeout=65/i);
        expect(second).not.toBeInstanceOf(Error);
        expect(second as string).toMatch(/^HTTP\/1\.1 200/);
      });
    });

    describe('security headers', () => {
      it('sends helmet headers and a deny-all CSP with API answers, and no X-Powered-By', async () => {
        for (const res of [await t.http().get('/api/recipes?limit=1').expect(200), await t.http().get('/api/nothing').expect(404)]) {
          expect(res.headers['x-powered-by']).toBeUndefined();
          expect(res.headers['x-content-type-options']).toBe('nosniff');
          expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
          expect(res.headers['strict-transport-security']).toMatch(/max-age=/);
          expect(res.headers['referrer-policy']).toBe('no-referrer');
          expect(res.headers['content-security-policy']).toMatch(/default-src 'none'/);
          expect(res.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
          expect(res.headers['x-request-id']).toBeDefined();
        }
      });

      it('serves /docs with a CSP that allows exactly what the page loads', async () => {
        const page = await t.http().get('/docs/').redirects(1).expect(200);
        expect(page.headers['content-type']).toMatch(/text\/html/);
        const csp = page.headers['content-security-policy'] as string;
        const directive = (name: string) =>
          csp
            .split(';')
            .map((d) => d.trim())
            .find((d) => d.startsWith(`${name} `)) ?? '';
        expect(directive('script-src')).toBe("script-src 'self'");
        expect(directive('style-src')).toBe("style-src 'self' 'unsafe-inline'");
        expect(directive('img-src')).toBe("img-src 'self' data:");
        expect(csp).not.toMatch(/upgrade-insecure-requests/);

        // With script-src 'self', every script must be a same-origin file (no inline code), and each must load.
        const html = page.text;
        const scripts = [...html.matchAll(/<script([^>]*)>([\s\S]*?)<\/script>/g)];
        expect(scripts.length).toBeGreaterThanOrEqual(3);
        for (const [, attributes, inline] of scripts) {
          expect(inline.trim()).toBe('');
          const src = /src=["']([^"']+)["']/.exec(attributes)?.[1];
          expect(src).toBeDefined();
          expect(src).not.toMatch(/^(https?:)?\/\//);
          const script = await t
            .http()
            .get(new URL(src as string, 'http://host/docs/').pathname)
            .expect(200);
          expect(script.headers['content-type']).toMatch(/javascript/);
        }
        const stylesheets = [...html.matchAll(/<link[^>]*rel=["']stylesheet["'][^>]*>/g)].map(
          (m) => /href=["']([^"']+)["']/.exec(m[0])?.[1],
        );
        expect(stylesheets.length).toBeGreaterThanOrEqual(1);
        for (const href of stylesheets) {
          expect(href).not.toMatch(/^(https?:)?\/\//);
          const css = await t
            .http()
            .get(new URL(href as string, 'http://host/docs/').pathname)
            .expect(200);
          expect(css.headers['content-type']).toMatch(/text\/css/);
        }
        const init = await t.http().get('/docs/swagger-ui-init.js').expect(200);
        expect(init.text).toMatch(/"validatorUrl":\s*null/);
      });
    });
  });

  describe('admin-key brute force', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ env: { RATE_LIMIT_ADMIN_FAILURES: '5', RATE_LIMIT_PER_MINUTE: '50', RATE_LIMIT_EXEMPT_LOOPBACK: 'true' } });
      await listening(t);
    });
    afterAll(async () => {
      await t.close();
    });

    it('never throttles loopback clients on public routes when loopback is exempt', async () => {
      for (let batch = 0; batch < 10; batch++) {
        const answers = await Promise.all(Array.from({ length: 20 }, () => t.http().get('/api/health/live')));
        expect(answers.map((res) => res.status)).toEqual(Array(20).fill(200));
      }
    });

    it('does not count right keys or missing keys, and answers 429 with Retry-After after 5 wrong ones', async () => {
      for (let i = 0; i < 10; i++) await t.http().get('/api/admin/index').set('x-api-key', ADMIN_KEY).expect(200);
      for (let i = 0; i < 10; i++) await t.http().post('/api/recipes').send(recipe('no-key')).expect(401);
      for (let i = 0; i < 5; i++) await t.http().get('/api/admin/index').set('x-api-key', `guess-${i}`).expect(403);

      const blocked = await t.http().get('/api/admin/index').set('x-api-key', 'guess-5').expect(429);
      expect(blocked.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED' });
      const retryAfter = Number(blocked.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(15 * 60);
      expect(blocked.body.details.retryAfterSeconds).toBe(retryAfter);
    });

    it('refuses even the right key from that address while it is blocked, and leaves public routes alone', async () => {
      const res = await t.http().post('/api/recipes').set('x-api-key', ADMIN_KEY).send(recipe('blocked')).expect(429);
      expect(res.headers['retry-after']).toBeDefined();
      await t.http().get('/api/recipes?limit=1').expect(200);
    });
  });

  describe('per-client limit on every route', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({
        env: { RATE_LIMIT_PER_MINUTE: '30', RATE_LIMIT_EXEMPT_LOOPBACK: 'false', RATE_LIMIT_CLIENT_HEADER: 'x-client-id' },
      });
      await listening(t);
    });
    afterAll(async () => {
      await t.close();
    });

    it('lets traffic under the limit through, then answers 429 with Retry-After and the error body', async () => {
      const first = await Promise.all(Array.from({ length: 30 }, () => t.http().get('/api/recipes?limit=1')));
      expect(first.map((res) => res.status)).toEqual(Array(30).fill(200));

      const res = await t.http().get('/api/search').query({ q: '鸡蛋' }).set('origin', 'https://app.example.com').expect(429);
      expect(res.body).toMatchObject({ statusCode: 429, code: 'RATE_LIMITED', details: { limitPerMinute: 30 } });
      // Browser apps can read when to try again.
      expect(res.headers['access-control-expose-headers']).toMatch(/retry-after/);
      expect(res.body.requestId).toBe(res.headers['x-request-id']);
      const retryAfter = Number(res.headers['retry-after']);
      expect(retryAfter).toBeGreaterThan(0);
      expect(retryAfter).toBeLessThanOrEqual(60);
      await t
        .http()
        .post('/api/search/by-ingredients')
        .send({ ingredients: ['鸡蛋'] })
        .expect(429);
      // The metrics route too: with a token set, guesses at it would otherwise have no limit.
      await t.http().get('/metrics').expect(429);
    });

    it('lets a browser app send its body gzipped (the preflight allows Content-Encoding)', async () => {
      const res = await t
        .http()
        .options('/api/search/by-ingredients')
        .set('origin', 'https://app.example.com')
        .set('access-control-request-method', 'POST')
        .set('access-control-request-headers', 'content-type,content-encoding')
        .set('x-client-id', 'preflight');
      expect(res.status).toBeLessThan(300);
      expect(res.headers['access-control-allow-headers']).toMatch(/content-encoding/);
    });

    it('counts each end user named by the configured header on its own', async () => {
      for (let i = 0; i < 30; i++) await t.http().get('/api/health/live').set('x-client-id', 'user-a').expect(200);
      await t.http().get('/api/health/live').set('x-client-id', 'user-a').expect(429);
      await t.http().get('/api/health/live').set('x-client-id', 'user-b').expect(200);
    });
  });
  describe('behind a proxy', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await createTestApp({ env: { TRUST_PROXY: 'loopback', RATE_LIMIT_PER_MINUTE: '5', RATE_LIMIT_EXEMPT_LOOPBACK: 'true' } });
      await listening(t);
    });
    afterAll(async () => {
      await t.close();
    });

    it('limits each forwarded client on its own, not as the exempt loopback proxy', async () => {
      for (let i = 0; i < 5; i++) await t.http().get('/api/health/live').set('x-forwarded-for', '203.0.113.5').expect(200);
      const res = await t.http().get('/api/health/live').set('x-forwarded-for', '203.0.113.5').expect(429);
      expect(res.headers['retry-after']).toBeDefined();
      await t.http().get('/api/health/live').set('x-forwarded-for', '198.51.100.9').expect(200);
      // The proxy itself, calling for nobody else, is still an exempt loopback client.
      for (let i = 0; i < 10; i++) await t.http().get('/api/health/live').expect(200);
    });
  });
});
