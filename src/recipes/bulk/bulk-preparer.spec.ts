import { loadConfig } from '../../config/app-config';
import { BulkPreparer } from './bulk-preparer';

const body = (sourceId: string) =>
  new TextEncoder().encode(
    JSON.stringify({ recipes: [{ name: 'Tomato egg', source: 'spec', sourceId, ingredients: [{ name: 'egg' }, { name: 'tomato' }] }] }),
  );

const waitFor = async (condition: () => boolean, withinMs: number) => {
  const until = Date.now() + withinMs;
  while (!condition() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 20));
};

describe('BulkPreparer', () => {
  let preparer: BulkPreparer;

  beforeEach(() => {
    preparer = new BulkPreparer(loadConfig({}));
  });

  afterEach(() => preparer.onModuleDestroy());

  it('keeps its thread for bulks that follow each other, and stops it once idle', async () => {
    preparer.idleStopMs = 400;
    expect(preparer.threadId).toBeNull();
    expect((await preparer.prepare(body('a'))).rows.map((row) => row.sourceId)).toEqual(['a']);
    const first = preparer.threadId;
    expect(first).not.toBeNull();
    expect((await preparer.prepare(body('b'))).rows.map((row) => row.sourceId)).toEqual(['b']);
    expect(preparer.threadId).toBe(first);

    await waitFor(() => preparer.threadId === null, 5_000);
    expect(preparer.threadId).toBeNull();
    // The next bulk starts a new thread and is prepared as before.
    expect((await preparer.prepare(body('c'))).rows.map((row) => row.sourceId)).toEqual(['c']);
    expect(preparer.threadId).not.toBe(first);
  }, 60_000);

  it('answers a bulk sent while the idle thread is stopping from a new thread', async () => {
    preparer.idleStopMs = 0;
    await preparer.prepare(body('a'));
    // Sent the moment the idle thread is let go, before it has exited.
    while (preparer.threadId !== null) await new Promise((resolve) => setImmediate(resolve));
    const answers = await Promise.all([preparer.prepare(body('b')), preparer.prepare(body('c'))]);
    expect(answers.flatMap((answer) => answer.rows.map((row) => row.sourceId))).toEqual(['b', 'c']);
  }, 60_000);
});
