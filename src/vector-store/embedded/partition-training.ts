import { join } from 'node:path';
import { WorkerHost } from '../../common/worker-host';
import { groupedAssigner } from './centroid-groups';
import { kmeans } from './kmeans';

/** A partition build's k-means: a sample of a dense space's vectors and how to cluster it. */
export interface PartitionTrainingTask {
  sample: Float32Array;
  n: number;
  dim: number;
  k: number;
  iterations: number;
  seed: number;
  spherical: boolean;
}

/**
 * The k-means of a partition build, a slice at a time. Random seeding, as Faiss's IVF training
 * does: k-means++ cost more than the rest of a build. The Lloyd iterations find each sample's
 * centroid through groups too, as rows are assigned later. `npm run bench -- --only scale` (632
 * lists): recall@10 0.987 before grouping, 0.988 after; the build took 8.2 s before, 6.1 and
 * 8.2 s after on a machine then 1.6 times slower (its raw scan 23 → 35–37 ms), so about 40% less
 * work.
 */
export function partitionKMeans(task: PartitionTrainingTask): Generator<void, Float32Array> {
  return kmeans(task.sample, task.n, task.dim, {
    k: task.k,
    iterations: task.iterations,
    seed: task.seed,
    spherical: task.spherical,
    seeding: 'random',
    assigner: groupedAssigner(task.spherical),
  });
}

/** Runs partition k-means somewhere other than the event loop. */
export interface PartitionTrainer {
  centroids(task: PartitionTrainingTask): Promise<Float32Array>;
}

/** Builds come in bursts (after an import, during a retrain); between them the thread goes. */
const PARTITION_THREAD_IDLE_MS = 30_000;

/**
 * A worker thread for partition k-means (see PartitionedSpace): the sample moves to it and the
 * centroids come back, with nothing copied. The thread loads only the k-means code.
 */
export class PartitionTrainingThread extends WorkerHost<PartitionTrainingTask> implements PartitionTrainer {
  constructor() {
    super(join(__dirname, 'partition-training.worker'), null, 'partition-training thread', PARTITION_THREAD_IDLE_MS);
  }

  centroids(task: PartitionTrainingTask): Promise<Float32Array> {
    return this.run(task, [task.sample.buffer as ArrayBuffer]) as Promise<Float32Array>;
  }
}

let shared: PartitionTrainingThread | null = null;

/** The process's partition-training thread, shared by every embedded store (a retrain's too). */
export function sharedPartitionTrainer(): PartitionTrainer {
  return (shared ??= new PartitionTrainingThread());
}
