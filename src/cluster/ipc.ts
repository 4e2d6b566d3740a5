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
