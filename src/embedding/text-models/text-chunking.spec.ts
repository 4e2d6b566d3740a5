import { norm } from '../similarity';
import { embedPooled, splitIntoChunks } from './text-chunking';

describe('splitIntoChunks', () => {
  it('leaves a short text whole', () => {
    expect(splitIntoChunks('  Mapo tofu.  ', 100)).toEqual(['Mapo tofu.']);
  });

  it('cuts at line breaks and sentence ends, packing pieces up to the limit', () => {
    const text = 'Dice the chicken. Fry the peanuts.\nAdd the sauce. Serve hot.';
    const chunks = splitIntoChunks(text, 36);
    expect(chunks).toEqual(['Dice the chicken. Fry the peanuts.', 'Add the sauce. Serve hot.']);
  });

  it('splits Chinese at full-width punctuation', () => {
    const chunks = splitIntoChunks('鸡肉切丁。花生炒香。加入调料翻炒均匀。', 10);
    expect(chunks).toEqual(['鸡肉切丁。花生炒香。', '加入调料翻炒均匀。']);
    chunks.forEach((chunk) => expect(chunk.length).toBeLessThanOrEqual(10));
  });

  it('never drops text, even an unpunctuated run longer than the limit', () => {
    const text = '辣'.repeat(25) + ' end';
    const chunks = splitIntoChunks(text, 10);
    chunks.forEach((chunk) => expect(chunk.length).toBeLessThanOrEqual(10));
    expect(chunks.join('').replace(/\s/g, '')).toBe(text.replace(/\s/g, ''));
  });

  it('does not split a surrogate pair', () => {
    const chunks = splitIntoChunks('𠀀'.repeat(5), 3);
    chunks.forEach((chunk) => expect(chunk).toMatch(/^(?:𠀀)+$/u));
  });
});

describe('embedPooled', () => {
  const fakeEmbed =
    (calls: string[][]) =>
    async (inputs: string[]): Promise<number[][]> => {
      calls.push(inputs);
      return inputs.map((input) => (input.startsWith('A') ? [2, 0] : [0, 3]));
    };

  it('mean-pools the chunks of a long text and re-normalises', async () => {
    const calls: string[][] = [];
    const [vector] = await embedPooled(['A one.\nB two.'], { maxInputChars: 7, batchSize: 8 }, fakeEmbed(calls));
    expect(calls).toEqual([['A one.', 'B two.']]);
    expect(vector[0]).toBeCloseTo(Math.SQRT1_2);
    expect(vector[1]).toBeCloseTo(Math.SQRT1_2);
  });

  it('batches inputs and keeps results in text order', async () => {
    const calls: string[][] = [];
    let yields = 0;
    const texts = ['A1', 'B2', 'A3', 'B4', 'A5'];
    const vectors = await embedPooled(
      texts,
      { maxInputChars: 100, batchSize: 2, betweenBatches: async () => void yields++ },
      fakeEmbed(calls),
    );
    expect(calls.map((call) => call.length)).toEqual([2, 2, 1]);
    expect(yields).toBe(2);
    expect(vectors.map((v) => v[0])).toEqual([1, 0, 1, 0, 1]);
    vectors.forEach((v) => expect(norm(v)).toBeCloseTo(1));
  });

  it('refuses a backend that returns the wrong number of vectors', async () => {
    await expect(embedPooled(['A', 'B'], { maxInputChars: 10, batchSize: 4 }, async () => [[1, 0]])).rejects.toThrow(RangeError);
  });
});
