/** Polls until `check` passes or the deadline is reached: indexing is asynchronous by design. */
export async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  return (await until(read, check, timeoutMs, 100)).value;
}

/** {@link eventually}, also saying how long it took (for specs that time what a client would wait). */
export async function until<T>(
  read: () => Promise<T> | T,
  done: (value: T) => boolean,
  withinMs: number,
  pollMs = 25,
): Promise<{ value: T; ms: number }> {
  const t0 = Date.now();
  let value = await read();
  while (!done(value) && Date.now() - t0 < withinMs) {
    await new Promise((resolve) => setTimeout(resolve, pollMs));
    value = await read();
  }
  return { value, ms: Date.now() - t0 };
}
