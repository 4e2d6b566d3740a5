import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { FuzzContext, FuzzRequest, listOperations, OpenApiDocument, requestArbitrary } from './support/openapi-fuzz';
import { ADMIN_KEY, createTestApp, TestApp } from './support/test-app';

/**
 * Property-based fuzzing of every documented operation: requests generated from
 * docs/openapi.json, mostly broken in one place, sent to the real app. Whatever is sent, the
 * answer is never a 5xx, every error is `{ statusCode, code, message }` with the HTTP status, and
 * a request the generator broke for certain (a wrong type, a number that is not a plain decimal
 * in range, an unknown or repeated parameter) is refused, or on a bulk route its record fails.
 *
 * FUZZ_RUNS (requests per operation, default 150: about 2,400 in all; 20-50 s on this 2-core
 * machine) and FUZZ_SEED make a run larger or different; the same seed replays the same
 * requests. A failure reports the first bad request as it was sent; FUZZ_SHRINK=true asks
 * fast-check to shrink it to a smaller one first (slower: every step is an HTTP call).
 */
const RUNS = Number(process.env.FUZZ_RUNS) || 150;
const SEED = Number(process.env.FUZZ_SEED) || 20251203;

const doc = JSON.parse(readFileSync(join(__dirname, '..', 'docs', 'openapi.json'), 'utf8')) as OpenApiDocument;
// Retraining takes no input and rebuilds the whole index: nothing to fuzz, and seconds per call.
const operations = listOperations(doc).filter((op) => !op.path.endsWith('/retrain'));

describe('Fuzzing every documented operation', () => {
  let t: TestApp;
  const ctx: FuzzContext = { recipeIds: [], adminKey: ADMIN_KEY };

  beforeAll(async () => {
    // indian-food-101 is the smallest bundled collection (255 recipes).
    t = await createTestApp({ seed: { source: 'indian-food-101' } });
    const page = await t.http().get('/api/recipes?limit=20').expect(200);
    ctx.recipeIds.push(...page.body.items.map((r: { id: string }) => r.id));
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  async function send(req: FuzzRequest) {
    let call = t.http()[req.method](req.url);
    if (req.apiKey !== undefined) call = call.set('x-api-key', req.apiKey);
    if (req.body !== undefined) call = call.set('content-type', 'application/json').send(JSON.stringify(req.body));
    return call;
  }

  it.each(operations.map((op) => [`${op.method.toUpperCase()} ${op.path}`, op] as const))(
    '%s answers every input below 500 in the error shape',
    async (_name, op) => {
      const property = fc.asyncProperty(requestArbitrary(doc, op, ctx), async (req) => {
        const res = await send(req);
        const where = `${req.method.toUpperCase()} ${req.url}${req.body === undefined ? '' : ` ${JSON.stringify(req.body).slice(0, 300)}`}`;
        if (res.status >= 500) throw new Error(`${res.status} for ${where}: ${JSON.stringify(res.body)}`);
        if (res.status >= 400) {
          const body = res.body as Record<string, unknown>;
          const shaped = body.statusCode === res.status && typeof body.code === 'string' && typeof body.message === 'string';
          if (!shaped) throw new Error(`error body not in the contract shape for ${where}: ${res.status} ${JSON.stringify(body)}`);
        }
        const expected = req.expect;
        if (expected && 'reject' in expected && res.status < 400) {
          throw new Error(`${res.status} for ${where}, which is invalid (${expected.reject})`);
        }
        if (expected && 'failRecord' in expected && res.status < 400) {
          const failed = (res.body as { failed?: Array<{ index: number }> }).failed ?? [];
          if (!failed.some((f) => f.index === expected.failRecord)) {
            throw new Error(`record ${expected.failRecord} of ${where} was accepted although invalid (${expected.reason})`);
          }
        }
      });
      await fc.assert(property, { numRuns: RUNS, seed: SEED, endOnFailure: process.env.FUZZ_SHRINK !== 'true' });
    },
    120_000,
  );
});
