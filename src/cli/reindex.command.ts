import { Command, CommandRunner, Option } from 'nest-commander';
import { IndexRetrainer } from '../indexing/index-retrainer.service';
import { unlessIndexJobRunning } from './index-job-refusal';
import { ProgressReporter } from './progress';

@Command({
  name: 'reindex',
  description: 'Embed every recipe again and write it to the vector store (skips unchanged ones unless --recreate)',
})
export class ReindexCommand extends CommandRunner {
  constructor(private readonly retrainer: IndexRetrainer) {
    super();
  }

  async run(_args: string[], options: { recreate?: boolean }): Promise<void> {
    const bar = new ProgressReporter('reindex');
    const started = Date.now();
    const result = await unlessIndexJobRunning(() =>
      this.retrainer.reindex({ recreate: options.recreate }, (done, total) => bar.update(done, total)),
    );
    bar.stop();
    if (!result) return;
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(
      `Indexed ${result.indexed} recipes (${result.unchanged} unchanged, ${result.deleted} orphans removed) in ${seconds.toFixed(1)} s` +
        (result.indexed > 0 ? ` (${Math.round(result.indexed / seconds)} recipes/s)` : '') +
        '\n',
    );
  }

  @Option({
    flags: '--recreate',
    description: 'Index everything from scratch into a new collection and swap it in; the current one serves until then',
  })
  parseRecreate(): boolean {
    return true;
  }
}
