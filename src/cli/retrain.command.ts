import { Command, CommandRunner } from 'nest-commander';
import { IndexRetrainer } from '../indexing/index-retrainer.service';
import { IndexSynchroniser } from '../indexing/index-synchroniser.service';
import { unlessIndexJobRunning } from './index-job-refusal';
import { ProgressReporter } from './progress';

@Command({
  name: 'retrain',
  description:
    'Retrain the food-concept model on the current catalog, index into a new collection, and swap it in; ' +
    'a running server follows within seconds',
})
export class RetrainCommand extends CommandRunner {
  constructor(
    private readonly synchroniser: IndexSynchroniser,
    private readonly retrainer: IndexRetrainer,
  ) {
    super();
  }

  async run(): Promise<void> {
    await this.synchroniser.prepare();
    const bar = new ProgressReporter('retrain + index');
    const result = await unlessIndexJobRunning(() => this.retrainer.retrainAndSwap((done, total) => bar.update(done, total)));
    bar.stop();
    if (!result) return;
    process.stdout.write(
      result.previous === result.current
        ? `The catalog has not changed since ${result.current} was trained; nothing to do.\n`
        : `Model ${result.previous} → ${result.current}; the index was rebuilt in a new collection.\n`,
    );
  }
}
