import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';
import { EmbeddingConfigError, EmbeddingUnavailableError } from '../embedding.errors';
import { normalize } from '../similarity';
import { OpenAiCompatibleOptions, OpenAiCompatibleTextEmbedder } from './openai-compatible.embedder';

interface SeenRequest {
  url: string;
  authorization?: string;
  body: { model: string; input: string[]; dimensions?: number };
}

/** Deterministic fake embedding: a few features of the input, so pooling can be checked exactly. */
function fakeVector(input: string): number[] {
  return [input.length, (input.match(/a/g) ?? []).length + 1, input.includes('.') ? 1 : 0, 1];
}

describe('OpenAiCompatibleTextEmbedder', () => {
  let server: Server;
  let baseUrl: string;
  let seen: SeenRequest[];
  /** Per-test behaviour; the default answers like a healthy server. */
  let handler: (request: SeenRequest, res: ServerResponse) => void;

  const healthy = (request: SeenRequest, res: ServerResponse): void => {
    const data = request.body.input.map((input, index) => ({ object: 'embedding', index, embedding: fakeVector(input) }));
    // Reversed on purpose: clients must order by `index`, not by position.
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ object: 'list', data: data.reverse(), model: request.body.model }));
  };

  beforeAll(async () => {
    server = createServer((req: IncomingMessage, res: ServerResponse) => {
      let raw = '';
      req.on('data', (chunk) => (raw += chunk));
      req.on('end', () => {
        const request: SeenRequest = { url: req.url ?? '', authorization: req.headers.authorization, body: JSON.parse(raw) };
        seen.push(request);
        handler(request, res);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    seen = [];
    handler = healthy;
  });

  const connect = (options: Partial<OpenAiCompatibleOptions> = {}): Promise<OpenAiCompatibleTextEmbedder> =>
    OpenAiCompatibleTextEmbedder.connect({ baseUrl, model: 'bge-m3', dimensions: 4, retryDelayMs: 5, ...options });

  it('sends n texts in ceil(n / batchSize) requests, with the bearer token, and keeps the order', async () => {
    const embedder = await connect({ apiKey: 'sk-test', batchSize: 3 });
    const texts = ['a', 'aa', 'b', 'bbb', 'aaaa', 'c', 'cc'];
    const vectors = await embedder.embed(texts, 'document');
    expect(seen).toHaveLength(Math.ceil(texts.length / 3));
    expect(seen[0].url).toBe('/v1/embeddings');
    expect(seen.every((request) => request.authorization === 'Bearer sk-test')).toBe(true);
    expect(seen.every((request) => request.body.model === 'bge-m3' && request.body.dimensions === undefined)).toBe(true);
    vectors.forEach((vector, i) => expect(vector).toEqual(normalize(fakeVector(texts[i]))));
  });

  it('chunks a text longer than maxInputChars and returns the normalised mean of the chunks', async () => {
    const embedder = await connect({ maxInputChars: 20 });
    const long = 'Dice a chicken.\nToast peanuts.\nAdd a sauce.';
    const [vector] = await embedder.embed([long], 'document');
    const inputs = seen.flatMap((request) => request.body.input);
    expect(inputs.length).toBeGreaterThan(1);
    inputs.forEach((input) => expect(input.length).toBeLessThanOrEqual(20));
    expect(inputs.join(' ')).toBe(long.replace(/\n/g, ' '));
    const expected = normalize(
      inputs.map((input) => normalize(fakeVector(input))).reduce((sum, v) => sum.map((x, i) => x + v[i] / inputs.length), [0, 0, 0, 0]),
    );
    vector.forEach((value, i) => expect(value).toBeCloseTo(expected[i], 12));
  });

  it('adds the configured prefix for queries and documents', async () => {
    const embedder = await connect({ queryPrefix: 'query: ', documentPrefix: 'passage: ' });
    await embedder.embed(['mapo tofu'], 'query');
    await embedder.embed(['麻婆豆腐'], 'document');
    expect(seen.map((request) => request.body.input[0])).toEqual(['query: mapo tofu', 'passage: 麻婆豆腐']);
  });

  it('retries after a 500 and succeeds', async () => {
    let failures = 1;
    handler = (request, res) => {
      if (failures-- > 0) {
        res.statusCode = 500;
        res.end('upstream hiccup');
      } else healthy(request, res);
    };
    const embedder = await connect({ retries: 2 });
    const [vector] = await embedder.embed(['chicken'], 'query');
    expect(seen).toHaveLength(2);
    expect(vector).toEqual(normalize(fakeVector('chicken')));
  });

  it('honours Retry-After on 429', async () => {
    let failures = 1;
    handler = (request, res) => {
      if (failures-- > 0) {
        res.statusCode = 429;
        res.setHeader('retry-after', '0');
        res.end();
      } else healthy(request, res);
    };
    const embedder = await connect({ retries: 1, retryDelayMs: 60_000, maxRetryDelayMs: 60_000 });
    await expect(embedder.embed(['chicken'], 'query')).resolves.toHaveLength(1);
  });

  it('gives up with EmbeddingUnavailableError after persistent failures', async () => {
    handler = (_request, res) => {
      res.statusCode = 503;
      res.end('overloaded');
    };
    const embedder = await connect({ retries: 2 });
    const error = await embedder.embed(['chicken'], 'query').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbeddingUnavailableError);
    expect(error).toMatchObject({ failure: 'http', status: 503 });
    expect(seen).toHaveLength(3);
  });

  it('does not retry a request the server rejects as invalid', async () => {
    handler = (_request, res) => {
      res.statusCode = 401;
      res.end('bad key');
    };
    const embedder = await connect({ retries: 3 });
    await expect(embedder.embed(['chicken'], 'query')).rejects.toMatchObject({ failure: 'http', status: 401 });
    expect(seen).toHaveLength(1);
  });

  it('times out a server that does not answer', async () => {
    handler = () => undefined;
    const embedder = await connect({ timeoutMs: 150, retries: 1 });
    const started = Date.now();
    const error = await embedder.embed(['chicken'], 'query').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EmbeddingUnavailableError);
    expect(error).toMatchObject({ failure: 'timeout' });
    expect(seen).toHaveLength(2);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('reports an unreachable server as a network outage', async () => {
    const embedder = await OpenAiCompatibleTextEmbedder.connect({
      baseUrl: 'http://127.0.0.1:9/v1',
      model: 'm',
      dimensions: 4,
      retries: 1,
      retryDelayMs: 1,
    });
    await expect(embedder.embed(['x'], 'query')).rejects.toMatchObject({ name: 'EmbeddingUnavailableError', failure: 'network' });
  });

  it('probes the dimensions when none are configured and names them in the model id', async () => {
    const embedder = await connect({ dimensions: null });
    expect(embedder.dimensions).toBe(4);
    expect(seen).toHaveLength(1);
    expect(embedder.modelId).toMatch(/^openai-compatible:bge-m3@4-[0-9a-f]{8}$/);
  });

  it('treats a dimension mismatch as a configuration error, not an outage', async () => {
    const embedder = await connect({ dimensions: 1024 });
    await expect(embedder.embed(['x'], 'query')).rejects.toThrow(EmbeddingConfigError);
  });

  it('rejects bad options before any request', async () => {
    await expect(connect({ baseUrl: 'not a url' })).rejects.toThrow(EmbeddingConfigError);
    await expect(connect({ batchSize: 0 })).rejects.toThrow(/batchSize/);
    expect(seen).toHaveLength(0);
  });
});
