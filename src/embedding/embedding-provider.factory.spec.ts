import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { collectionSpecOf } from './embedding-provider.port';
import { createEmbeddingProvider } from './embedding-provider.factory';
import { EmbeddingConfigError, EmbeddingUnavailableError } from './embedding.errors';
import { FoodConceptTrainer } from './food-concepts/food-concept.trainer';
import { FIXTURE_CATALOG, fixture, parsedQuery } from '../../test/fixtures/food-concepts';
import { SentenceModel } from './text-models/use-lite.embedder';

const foodConcepts = new FoodConceptTrainer().train(FIXTURE_CATALOG.map((entry) => entry.analysis));

/** Returns a vector that says which input it was, so the merge order can be checked. */
class CountingModel implements SentenceModel {
  inputs: string[] = [];
  async embed(input: string[]): Promise<number[][]> {
    this.inputs.push(...input);
    return input.map((text) => Array.from({ length: 512 }, (_, i) => (i === text.length % 512 ? 1 : 0)));
  }
}

describe('createEmbeddingProvider', () => {
  it('builds the food-concepts provider by default: two dense spaces and a sparse one', async () => {
    const provider = await createEmbeddingProvider({ provider: 'food-concepts', distance: 'cosine' }, { foodConcepts });
    expect(collectionSpecOf(provider)).toEqual({
      modelId: foodConcepts.modelId,
      dense: { ingredients: { size: 192 }, properties: { size: 192 } },
      sparse: true,
      distance: 'cosine',
    });
    const [vectors] = await provider.embedRecipes([{ analysis: fixture('麻婆豆腐').analysis, text: '麻婆豆腐' }]);
    expect(Object.keys(vectors.dense).sort()).toEqual(['ingredients', 'properties']);
    expect(vectors.sparse?.indices.length).toBeGreaterThan(0);
  });

  it('adds a text space with use-lite, skipping documents and queries without text', async () => {
    const model = new CountingModel();
    const provider = await createEmbeddingProvider(
      { provider: 'use-lite', distance: 'dot' },
      { foodConcepts, loadUseLite: async () => ({ model, version: '0.2.0' }) },
    );
    expect(provider.modelId).toBe(`${foodConcepts.modelId}+use-lite@0.2.0-512-en1-1000`);
    expect(provider.spaces).toEqual({ ingredients: { size: 192 }, properties: { size: 192 }, text: { size: 512 } });
    expect(provider.distance).toBe('dot');

    const bare = { ...fixture('Butter chicken').analysis, ingredientConcepts: [], propertyConcepts: [], diets: [], language: 'it' };
    const vectors = await provider.embedRecipes([
      { analysis: fixture('Butter chicken').analysis, text: 'Butter chicken' },
      { analysis: bare, text: 'Pollo' },
      { analysis: fixture('宫保鸡丁').analysis, text: '宫保鸡丁' },
    ]);
    expect(model.inputs).toHaveLength(2);
    expect(vectors[0].dense.text?.indexOf(1)).toBe('Butter chicken'.length);
    expect(vectors[1].dense.text).toBeUndefined();
    expect(vectors[2].dense.text?.indexOf(1)).toBe(model.inputs[1].length);

    const query = await provider.embedQuery(parsedQuery({ text: 'chicken', ingredients: ['chicken'] }));
    expect(Object.keys(query.dense).sort()).toEqual(['ingredients', 'text']);
    const empty = await provider.embedQuery(parsedQuery({ text: '' }));
    expect(empty.dense.text).toBeUndefined();
  });

  it('stops start-up with a clear message when use-lite is chosen but not installed', async () => {
    const notInstalled = async (): Promise<never> => {
      throw new EmbeddingConfigError('EMBEDDING_PROVIDER=use-lite needs the optional packages …');
    };
    await expect(
      createEmbeddingProvider({ provider: 'use-lite', distance: 'cosine' }, { foodConcepts, loadUseLite: notInstalled }),
    ).rejects.toThrow(EmbeddingConfigError);
  });

  describe('openai-compatible', () => {
    let server: Server;
    let baseUrl: string;
    let healthy = true;

    beforeAll(async () => {
      server = createServer((req, res) => {
        let raw = '';
        req.on('data', (chunk) => (raw += chunk));
        req.on('end', () => {
          if (!healthy) {
            res.statusCode = 502;
            res.end();
            return;
          }
          const { input } = JSON.parse(raw) as { input: string[] };
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ data: input.map((text, index) => ({ index, embedding: [text.length, 1, 0] })) }));
        });
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
    });

    afterAll(async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    });

    it('adds a text space sized by the server and embeds Chinese text as written', async () => {
      healthy = true;
      const provider = await createEmbeddingProvider(
        { provider: 'openai-compatible', distance: 'cosine', textModel: { baseUrl, model: 'bge-m3' } },
        { foodConcepts },
      );
      expect(provider.spaces.text).toEqual({ size: 3 });
      expect(provider.modelId).toMatch(new RegExp(`^${foodConcepts.modelId}\\+openai-compatible:bge-m3@3-`));
      const [vectors] = await provider.embedRecipes([{ analysis: fixture('宫保鸡丁').analysis, text: '宫保鸡丁' }]);
      expect(vectors.dense.text?.[0]).toBeGreaterThan(0.9);
    });

    it('surfaces an outage as EmbeddingUnavailableError', async () => {
      healthy = true;
      const provider = await createEmbeddingProvider(
        {
          provider: 'openai-compatible',
          distance: 'cosine',
          textModel: { baseUrl, model: 'bge-m3', dimensions: 3, retries: 1, retryDelayMs: 1 },
        },
        { foodConcepts },
      );
      healthy = false;
      await expect(provider.embedQuery(parsedQuery({ text: 'chicken' }))).rejects.toThrow(EmbeddingUnavailableError);
    });
  });

  it('rejects an unknown provider name that slipped past validation', async () => {
    const options = { provider: 'word2vec', distance: 'cosine' } as never;
    await expect(createEmbeddingProvider(options, { foodConcepts })).rejects.toThrow(EmbeddingConfigError);
  });
});
