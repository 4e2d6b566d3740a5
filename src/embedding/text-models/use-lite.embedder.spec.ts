import { EmbeddingConfigError } from '../embedding.errors';
import { fixture, parsedQuery } from '../../../test/fixtures/food-concepts';
import { cosine, norm } from '../similarity';
import { SentenceModel, UseLiteTextEmbedder, useLiteAvailable, USE_LITE_PACKAGES } from './use-lite.embedder';

/** Records what the model is asked to read; returns a fixed unit-ish vector per input. */
class RecordingModel implements SentenceModel {
  calls: string[][] = [];
  async embed(input: string[]): Promise<number[][]> {
    this.calls.push(input);
    return input.map(() => Array.from({ length: 512 }, (_, i) => (i === 0 ? 1 : 0)));
  }
}

const loadFake = (model: SentenceModel) => async () => ({ model, version: '0.2.0' });

describe('UseLiteTextEmbedder (input preparation)', () => {
  it('reads English recipes as written and others through their English concept names', async () => {
    const embedder = await UseLiteTextEmbedder.load({}, loadFake(new RecordingModel()));
    const english = fixture('Butter chicken').analysis;
    expect(embedder.documentText({ analysis: english, text: 'Butter chicken. Chicken in a buttery tomato sauce.' })).toBe(
      'Butter chicken. Chicken in a buttery tomato sauce.',
    );
    const chinese = embedder.documentText({ analysis: fixture('宫保鸡丁').analysis, text: '宫保鸡丁。鸡肉、花生、干辣椒' });
    expect(chinese).toMatch(/^Dish with chicken, peanut, dried chili, sichuan pepper/);
    expect(chinese).toMatch(/spicy, stir fry, sichuan, main\.$/);
    expect(chinese).not.toMatch(/\p{Script=Han}/u);
  });

  it('turns a Chinese query into English concept text and keeps English queries verbatim', async () => {
    const embedder = await UseLiteTextEmbedder.load({}, loadFake(new RecordingModel()));
    expect(
      embedder.queryText(parsedQuery({ text: '辣的豆腐', language: 'zh', ingredients: ['tofu'], properties: ['spicy'], freeText: ['辣'] })),
    ).toBe('Dish with tofu. spicy.');
    expect(embedder.queryText(parsedQuery({ text: ' spicy tofu ', language: 'en', ingredients: ['tofu'] }))).toBe('spicy tofu');
  });

  it('embeds documents in small batches and a query in one call', async () => {
    const model = new RecordingModel();
    const embedder = await UseLiteTextEmbedder.load({ batchSize: 2 }, loadFake(model));
    const vectors = await embedder.embed(['a', 'b', 'c', 'd', 'e'], 'document');
    expect(model.calls.map((call) => call.length)).toEqual([2, 2, 1]);
    vectors.forEach((vector) => expect(norm(vector)).toBeCloseTo(1));
    model.calls = [];
    await embedder.embed(['spicy tofu'], 'query');
    expect(model.calls).toEqual([['spicy tofu']]);
    expect(embedder.modelId).toBe('use-lite@0.2.0-512-en1-1000');
  });

  it('explains which packages are missing instead of failing obscurely', async () => {
    const missing = async (): Promise<never> => {
      throw new EmbeddingConfigError(`needs ${USE_LITE_PACKAGES.join(', ')}`);
    };
    await expect(UseLiteTextEmbedder.load({}, missing)).rejects.toThrow(/@energetic-ai\/embeddings/);
    await expect(UseLiteTextEmbedder.load({ batchSize: 0 }, loadFake(new RecordingModel()))).rejects.toThrow(EmbeddingConfigError);
  });
});

const available = useLiteAvailable();
if (!available) {
  console.warn(`Skipping the real use-lite model spec: optional packages ${USE_LITE_PACKAGES.join(', ')} are not installed`);
}

(available ? describe : describe.skip)('UseLiteTextEmbedder (bundled model)', () => {
  let embedder: UseLiteTextEmbedder;

  beforeAll(async () => {
    embedder = await UseLiteTextEmbedder.load();
  }, 60_000);

  it('puts "chicken curry" nearer a chicken curry than a chocolate cake', async () => {
    const [query] = await embedder.embed(['chicken curry'], 'query');
    const [curry, cake] = await embedder.embed(
      [
        'Chicken curry. Chicken thighs simmered in an onion and tomato gravy with garam masala, ginger and garlic.',
        'Chocolate cake. A rich sponge of cocoa, butter, eggs and sugar with a chocolate glaze.',
      ],
      'document',
    );
    expect(query).toHaveLength(512);
    expect(cosine(query, curry)).toBeGreaterThan(cosine(query, cake));
  }, 60_000);

  it('lets an English query find a Chinese dish through its concept text', async () => {
    const kungPao = embedder.documentText({ analysis: fixture('宫保鸡丁').analysis, text: '宫保鸡丁' });
    const tiramisu = embedder.documentText({ analysis: fixture('Tiramisù').analysis, text: 'Tiramisù' });
    const [query] = await embedder.embed(['spicy chicken with peanuts'], 'query');
    const [chicken, dessert] = await embedder.embed([kungPao, tiramisu], 'document');
    expect(cosine(query, chicken)).toBeGreaterThan(cosine(query, dessert));
  }, 60_000);
});
