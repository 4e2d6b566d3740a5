import sqlite3 from 'sqlite3';
import { CollectionSpec, DenseVectorName, RecipePayload } from '../src/vector-store/vector-store.port';
import { dot, dotRun, useDotKernel } from '../src/vector-store/embedded/dot-kernel';
import { EmbeddedCollection } from '../src/vector-store/embedded/embedded-collection';
import { decodeDense } from '../src/vector-store/embedded/point-codec';

/**
 * The dense scans with and without the SIMD dot-product kernel, on a stored catalog's own
 * vectors (the database `npm run bench -- --scale 100k --database FILE` leaves behind):
 *
 *   npx tsc -p tsconfig.bench.json && node dist-bench/bench/dense-kernel-bench.js FILE
 *
 * 1. Dot products over inverted-list-sized blocks (160 vectors, cycled through 64 blocks so they
 *    come from memory as in a scan), scalar loop against the kernel with its copy.
 * 2. The serving collection's dense spaces loaded and partitioned twice, kernel on and off
 *    (build time of each space), then 1,200 dense queries (the catalog's own vectors: k = 128,
 *    and k = 50 leaving that point out) alternating kernel on and off over 9 rounds; every hit
 *    of both is compared by row and score.
 */
const BLOCK = 160;
const BLOCKS = 64;
const ROUNDS = 9;

type Row = { id: string; content_hash: string; payload: string; dense: Buffer };

async function main(): Promise<void> {
  const file = process.argv[2];
  if (!file) throw new Error('usage: node dist-bench/bench/dense-kernel-bench.js DATABASE_FILE');
  const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY);
  const all = <T>(sql: string): Promise<T[]> =>
    new Promise((resolve, reject) => db.all(sql, (e, rows) => (e ? reject(e) : resolve(rows as T[]))));
  const [serving] = await all<{ collection: string; spec: string }>('SELECT collection, spec FROM index_serving');
  const spec = JSON.parse(serving.spec) as CollectionSpec;
  const names = Object.keys(spec.dense) as DenseVectorName[];
  const dims = names.map((n) => spec.dense[n]!.size);
  const rows = await all<Row>(
    `SELECT id, content_hash, payload, dense FROM vector_points WHERE collection = '${serving.collection.replace(/'/g, "''")}'`,
  );
  db.close();
  const vectors = rows.map((r) => decodeDense(r.dense, dims));
  console.log(`${rows.length} points, dense spaces ${names.join(', ')} (${dims.join(', ')} dimensions)`);

  // 1. Blocks.
  const dim = dims[0];
  const blocks = Array.from({ length: BLOCKS }, (_, b) => {
    const block = new Float32Array(BLOCK * dim);
    for (let i = 0; i < BLOCK; i++) block.set(vectors[(b * BLOCK + i) % vectors.length][0] ?? new Float32Array(dim), i * dim);
    return block;
  });
  const query = vectors[vectors.length >> 1][0] ?? blocks[0].subarray(0, dim);
  let sink = 0;
  const scalarBlocks = () => {
    for (const block of blocks) for (let i = 0; i < BLOCK; i++) sink += dot(block, i * dim, query, dim);
  };
  const kernelBlocks = () => {
    for (const block of blocks) sink += dotRun(block, BLOCK, dim, query)[BLOCK - 1];
  };
  const perVector = (run: () => void) => {
    for (let w = 0; w < 30; w++) run();
    const started = process.hrtime.bigint();
    for (let r = 0; r < 200; r++) run();
    return Number(process.hrtime.bigint() - started) / 200 / (BLOCKS * BLOCK);
  };
  const blockTimes = { scalar: [] as number[], kernel: [] as number[] };
  for (let r = 0; r < 3; r++) {
    useDotKernel(false);
    blockTimes.scalar.push(perVector(scalarBlocks));
    useDotKernel(true);
    blockTimes.kernel.push(perVector(kernelBlocks));
  }
  console.log(
    `blocks of ${BLOCK} × ${dim}: scalar ${fmt(median(blockTimes.scalar), 1)} ns a vector, kernel (with its copy) ${fmt(median(blockTimes.kernel), 1)} ns`,
  );

  // 2. Collections. The index work runs on unref'd timers: keep the process alive meanwhile.
  const alive = setInterval(() => undefined, 1000);
  const load = async (kernel: boolean) => {
    useDotKernel(kernel);
    const collection = new EmbeddedCollection(`bench-${kernel}`, { ...spec, sparse: false }, rows.length + 16);
    rows.forEach((r, i) =>
      collection.put({
        id: r.id,
        contentHash: r.content_hash,
        payload: JSON.parse(r.payload) as RecipePayload,
        dense: vectors[i],
        sparse: null,
      }),
    );
    collection.scheduleIndexWork();
    await collection.indexIdle();
    const status = collection.indexStatus();
    console.log(
      `partitions built with the kernel ${kernel ? 'on' : 'off'}: ${names.map((n) => `${n} ${fmt(status[n]?.lastBuildMs ?? NaN, 0)} ms`).join(', ')}`,
    );
    return collection;
  };
  const withKernel = await load(true);
  const without = await load(false);

  const queries: Array<{ name: DenseVectorName; vector: Float32Array; row: number }> = [];
  for (let i = 0; i < 600; i++) {
    const row = (i * 7919) % rows.length;
    names.forEach((name, n) => {
      const vector = vectors[row][n];
      if (vector) queries.push({ name, vector, row });
    });
  }
  const answers = (collection: EmbeddedCollection, kernel: boolean): string[] => {
    useDotKernel(kernel);
    return queries.map(({ name, vector, row }) => {
      const plain = collection.searchDense(name, vector, null, 128);
      const rest = collection.searchDense(name, vector, collection.buildMask({ excludeIds: [collection.idAt(row)] }), 50);
      return [...plain, ...rest].map((h) => `${collection.idAt(h.row)}:${h.score}`).join(',');
    });
  };
  const a = answers(withKernel, true);
  const b = answers(without, false);
  const differing = a.filter((x, i) => x !== b[i]).length;
  console.log(`${queries.length} queries × 2: ${differing} answers differ between the kernel and the scalar loop`);

  const excluded = queries.map(({ row }) => withKernel.idAt(row));
  const timeQueries = (kernel: boolean): number => {
    useDotKernel(kernel);
    const started = process.hrtime.bigint();
    queries.forEach(({ name, vector }, i) => {
      withKernel.searchDense(name, vector, null, 128);
      withKernel.searchDense(name, vector, withKernel.buildMask({ excludeIds: [excluded[i]] }), 50);
    });
    return Number(process.hrtime.bigint() - started) / 1e6 / queries.length / 2;
  };
  const times = { scalar: [] as number[], kernel: [] as number[] };
  timeQueries(true);
  timeQueries(false);
  for (let r = 0; r < ROUNDS; r++) {
    times.kernel.push(timeQueries(true));
    times.scalar.push(timeQueries(false));
  }
  useDotKernel(true);
  console.log(
    `dense query (median of ${ROUNDS} rounds): scalar ${fmt(median(times.scalar), 3)} ms, kernel ${fmt(median(times.kernel), 3)} ms`,
  );
  if (!Number.isFinite(sink)) console.log('(the block sums were not finite)');
  clearInterval(alive);
}

function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[sorted.length >> 1];
}

function fmt(value: number, digits: number): string {
  return value.toFixed(digits);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
