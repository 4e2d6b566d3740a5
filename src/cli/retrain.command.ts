import { Command, CommandRunner } from 'nest-commander';
import { IndexingService } from '../indexing/indexing.service';
import { unlessIndexJobRunning } from './index-job-refusal';
import { ProgressReporter } from './progress';

@Command({
  name: 'retrain',
  description:
    'Retrain the food-concept model on the current catalog, index into a new collection, and swap it in; ' +
    'a running server follows within seconds',
})
export class RetrainCommand extends CommandRunner {
  constructor(private readonly indexing: IndexingService) {
    super();
  }

  async run(): Promise<void> {
    await this.indexing.prepare();
    const bar = new ProgressReporter('retrain + index');
    const result = await unlessIndexJobRunning(() => this.indexing.retrainAndSwap((done, total) => bar.update(done, total)));
    bar.stop();
    if (!result) return;
    process.stdout.write(
      result.previous === result.current
        ? `The catalog has not changed since ${result.current} was trained; nothing to do.\n`
        : `Model ${result.previous} → ${result.current}; the index was rebuilt in a new collection.\n`,
    );
  }
}
