/**
 * What the other processes answering on the same port have counted against a budget (WORKERS
 * above 1; see the cluster's shared budgets). A rate limit adds it to its own count, so a client
 * is held to the configured budget however its connections were spread over the workers.
 */
export interface BudgetPeers {
  /** This process's count for `key` in its current window of `counter`, for the others to see. */
  spent(counter: BudgetCounter, key: string, count: number, endsAt: number): void;
  /** The other processes' counts for `key` in their windows of `counter` that have not ended. */
  spentElsewhere(counter: BudgetCounter, key: string): number;
}

/** The budgets that are shared: the per-client request budget and the wrong admin keys per address. */
export type BudgetCounter = 'clients' | 'admin-failures';

/** A single process: nobody else counts. */
export const NO_PEERS: BudgetPeers = {
  spent: () => undefined,
  spentElsewhere: () => 0,
};
