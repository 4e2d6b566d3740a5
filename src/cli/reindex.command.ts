import { Command, CommandRunner, Option } from 'nest-commander';
import { IndexingService } from '../indexing/indexing.service';
import { ProgressReporter } from './progress';

@Command({
  name: 'reindex',
  description: 'Embed every recipe again and write it to the vector store (skips unchanged ones unless --recreate)',
})
export class ReindexCommand extends CommandRunner {
  constructor(private readonly indexing: IndexingService) {
    super();
  }

  async run(_args: string[], options: { recreate?: boolean }): Promise<void> {
    const bar = new ProgressReporter('reindex');
    const started = Date.now();
    const result = await this.indexing.reindex({ recreate: options.recreate }, (done, total) => bar.update(done, total));
    bar.stop();
    const seconds = (Date.now() - started) / 1000;
    process.stdout.write(
      `Indexed ${result.indexed} recipes (${result.unchanged} unchanged, ${result.deleted} orphans removed) in ${seconds.toFixed(1)} s` +
        (result.indexed > 0 ? ` (${Math.round(result.indexed / seconds)} recipes/s)` : '') +
        '\n',
    );
  }

  @Option({ flags: '--recreate', description: 'Drop the collection and index everything from scratch' })
  parseRecreate(): boolean {
    return true;
  }
}
