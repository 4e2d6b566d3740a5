import type { Worker } from 'node:cluster';

/**
 * Sends `message` to a worker, never throwing and never leaving an 'error' event behind: a
 * worker that has disconnected but not yet exited makes Node emit ERR_IPC_CHANNEL_CLOSED on it
 * after the call returns, and with no listener that error would end the primary. `onFailed`
 * runs when the message could not be sent.
 */
export function sendTo(worker: Worker, message: object, onFailed?: () => void): void {
  const failed = () => onFailed?.();
  try {
    worker.send(message, undefined, undefined, (error: Error | null) => {
      if (error) failed();
    });
  } catch {
    failed();
  }
}

/**
 * A worker's message to the primary, with the same care: a worker whose primary is gone (it is
 * being stopped) drops the message rather than meeting an 'error' event.
 */
export function sendToPrimary(message: object): void {
  try {
    process.send?.(message, undefined, undefined, () => undefined);
  } catch {
    // No channel left: the worker is on its way out.
  }
}

/** Whether `message` is one of the service's IPC messages of type `type`. */
export function hasType<T extends { type: string }>(message: unknown, type: string): message is T {
  return typeof message === 'object' && message !== null && (message as { type?: unknown }).type === type;
}
