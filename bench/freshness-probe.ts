import { BENCH_QUERIES } from './queries';
import { runLoad } from './http-load';

/**
 * How soon a new recipe is found by a search for its name and its similar dishes answer (its
 * vectors indexed) after its write returns, while N clients search: the scale bench's freshness
 * phase on its own, against a service already running, so that two builds can be compared on
 * copies of one catalog:
 *
 *   npx tsc -p tsconfig.bench.json && node dist-bench/bench/freshness-probe.js PORT ADMIN_KEY [CLIENTS=4] [PROBES=6]
 *
 * Each probe POSTs a recipe with a name no other has, then searches for that name and asks for
 * its similar dishes every 25 ms until both answer with it; probes are 0.5 s apart. Prints each
 * probe's milliseconds and their medians, and the searches a second the clients got meanwhile.
 */
async function main(): Promise<void> {
  const [port, key, clients = 4, probes = 6] = [
    Number(process.argv[2]),
    process.argv[3],
    Number(process.argv[4] ?? 4),
    Number(process.argv[5] ?? 6),
  ];
  if (!port || !key) throw new Error('usage: node dist-bench/bench/freshness-probe.js PORT ADMIN_KEY [CLIENTS] [PROBES]');
  const base = `http://127.0.0.1:${port}`;
  let done = false;
  const background =
    clients > 0
      ? runLoad({
          port,
          paths: BENCH_QUERIES.map((q) => `/api/search?q=${encodeURIComponent(q)}&limit=10`),
          clients,
          total: Number.MAX_SAFE_INTEGER,
          maxSeconds: 600,
          stop: () => done,
        })
      : Promise.resolve(null);
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
  await sleep(1_500);
  const times: number[] = [];
  const found: number[] = [];
  try {
    for (let k = 0; k < probes; k++) {
      const run = `${Date.now().toString(36)}${k}`.replace(/\d/g, (d) => 'qwxyzjkvfh'[Number(d)]);
      const response = await fetch(`${base}/api/recipes`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-api-key': key },
        body: JSON.stringify({
          name: `宫保鸡丁${run}`,
          source: 'freshness-probe',
          sourceId: run,
          language: 'zh',
          ingredients: [{ name: '鸡胸肉' }, { name: '花生' }, { name: '干辣椒' }],
          steps: ['炒'],
        }),
      });
      if (response.status !== 201) throw new Error(`POST /api/recipes answered ${response.status}: ${await response.text()}`);
      const { id } = (await response.json()) as { id: string };
      const written = Date.now();
      let foundMs = -1;
      let similarMs = -1;
      while (foundMs < 0 || similarMs < 0) {
        if (foundMs < 0) {
          const search = await fetch(`${base}/api/search?q=${encodeURIComponent(`宫保鸡丁${run}`)}&limit=10`);
          const page = (await search.json()) as { items?: Array<{ recipe: { id: string } }> };
          if (page.items?.some((hit) => hit.recipe.id === id)) foundMs = Date.now() - written;
        }
        if (similarMs < 0) {
          const similar = await fetch(`${base}/api/recipes/${encodeURIComponent(id)}/similar?limit=1`);
          await similar.arrayBuffer();
          if (similar.ok) similarMs = Date.now() - written;
        }
        if (Date.now() - written > 60_000) throw new Error(`recipe ${id} not found and indexed within 60 s`);
        await sleep(25);
      }
      found.push(foundMs);
      times.push(similarMs);
      await sleep(500);
    }
  } finally {
    done = true;
  }
  const load = await background;
  const median = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  };
  console.log(
    `${clients} clients searching (${load ? Math.round(load.requestsPerSecond) : 0} searches/s): ` +
      `found by name after ${found.join(', ')} ms (median ${median(found)} ms); ` +
      `similar dishes answered after ${times.join(', ')} ms (median ${median(times)} ms)`,
  );
}

main().catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
