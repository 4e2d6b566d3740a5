import { QdrantStubServer } from './qdrant-stub.server';

/** The stub answers alias requests as Qdrant documents them, and rejects what Qdrant would. */
describe('Qdrant stub: collection aliases', () => {
  let stub: QdrantStubServer;
  const call = async (method: string, path: string, body?: unknown) => {
    const res = await fetch(`${stub.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as { result?: unknown; status: unknown } };
  };
  const create = (name: string) => call('PUT', `/collections/${name}`, { vectors: { ingredients: { size: 2, distance: 'Cosine' } } });
  const aliases = async () => (await call('GET', '/aliases')).body.result;

  beforeEach(async () => {
    stub = await QdrantStubServer.start();
    await create('c1');
    await create('c2');
  });
  afterEach(() => stub.stop());

  it('switches an alias with delete + create in one request, and resolves it for point operations', async () => {
    expect(
      (await call('POST', '/collections/aliases', { actions: [{ create_alias: { alias_name: 'live', collection_name: 'c1' } }] })).status,
    ).toBe(200);
    const swap = await call('POST', '/collections/aliases', {
      actions: [{ delete_alias: { alias_name: 'live' } }, { create_alias: { alias_name: 'live', collection_name: 'c2' } }],
    });
    expect(swap.body).toMatchObject({ result: true, status: 'ok' });
    expect(await aliases()).toEqual({ aliases: [{ alias_name: 'live', collection_name: 'c2' }] });
    expect((await call('GET', '/collections/c2/aliases')).body.result).toEqual({
      aliases: [{ alias_name: 'live', collection_name: 'c2' }],
    });
    await call('PUT', '/collections/live/points?wait=true', { points: [{ id: 1, vector: { ingredients: [1, 0] } }] });
    expect((await call('POST', '/collections/c2/points/count', { exact: true })).body.result).toEqual({ count: 1 });
    expect((await call('GET', '/collections')).body.result).toEqual({ collections: [{ name: 'c1' }, { name: 'c2' }] });
  });

  it('applies all actions or none', async () => {
    await call('POST', '/collections/aliases', { actions: [{ create_alias: { alias_name: 'live', collection_name: 'c1' } }] });
    const failed = await call('POST', '/collections/aliases', {
      actions: [{ delete_alias: { alias_name: 'live' } }, { create_alias: { alias_name: 'live', collection_name: 'missing' } }],
    });
    expect(failed.status).toBe(404);
    expect(await aliases()).toEqual({ aliases: [{ alias_name: 'live', collection_name: 'c1' }] });
  });

  it('rejects ill-shaped requests and duplicate aliases', async () => {
    expect((await call('POST', '/collections/aliases', { actions: [{ create_alias: { alias_name: 'x' } }] })).status).toBe(400);
    expect((await call('POST', '/collections/aliases', { actions: [{ swap_alias: {} }] })).status).toBe(400);
    expect((await call('POST', '/collections/aliases', {})).status).toBe(400);
    await call('POST', '/collections/aliases', { actions: [{ create_alias: { alias_name: 'live', collection_name: 'c1' } }] });
    expect(
      (await call('POST', '/collections/aliases', { actions: [{ create_alias: { alias_name: 'live', collection_name: 'c2' } }] })).status,
    ).toBe(409);
    expect((await call('POST', '/collections/aliases', { actions: [{ delete_alias: { alias_name: 'nope' } }] })).status).toBe(404);
  });

  it('drops a collection with its aliases', async () => {
    await call('POST', '/collections/aliases', { actions: [{ create_alias: { alias_name: 'live', collection_name: 'c1' } }] });
    await call('DELETE', '/collections/c1');
    expect(await aliases()).toEqual({ aliases: [] });
  });
});
