import 'reflect-metadata';
import { CommandFactory } from 'nest-commander';
import { CliModule } from './cli/cli.module';
import { ConfigError, loadConfig } from './config/app-config';

/** Admin commands (seed, reindex, verify-index, retrain, lexicon-coverage) on the service's own config. */
async function main(): Promise<void> {
  let config;
  try {
    // The CLI never needs an admin key; don't print or generate one.
    config = loadConfig({ ADMIN_API_KEY: 'cli-does-not-serve-http', ...process.env, SEED_ON_EMPTY: 'false' });
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(error.message);
      process.exit(1);
    }
    throw error;
  }
  await CommandFactory.run(CliModule.forRoot(config), {
    logger: ['error', 'warn'],
    errorHandler: (error) => {
      // Commander reports --help and --version through the error path too.
      const code = (error as { code?: string }).code;
      if (code === 'commander.helpDisplayed' || code === 'commander.version' || code === 'commander.help') process.exit(0);
      if (!code?.startsWith('commander.')) console.error(error.message);
      process.exit(1);
    },
    serviceErrorHandler: (error) => {
      console.error(error instanceof Error ? error.message : String(error));
      process.exit(1);
    },
  });
}

void main();
