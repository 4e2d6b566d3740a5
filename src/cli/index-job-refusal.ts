import { IndexJobRunningError } from '../indexing/index-job-lock';

/**
 * Runs an index job for a command; when another one holds the index-build lock (the server's
 * background retrain, an admin route, another command), says which and exits 1 instead of
 * printing a stack.
 */
export async function unlessIndexJobRunning<T>(work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (error) {
    if (!(error instanceof IndexJobRunningError)) throw error;
    const { job } = error;
    const progress = job.total > 0 ? `, ${job.done}/${job.total} recipes` : '';
    process.stderr.write(
      `A ${job.kind} is already running (${job.phase}${progress}, since ${job.startedAt}, process ${job.owner}). ` +
        'Run this again once it has finished.\n',
    );
    process.exitCode = 1;
    return undefined;
  }
}
