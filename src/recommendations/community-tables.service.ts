import { Injectable, Logger } from '@nestjs/common';
import { UserInteractionsRepository } from '../users/user-interactions.repository';
import { bestFirst } from './ranking/best-first';
import { coInteractions, CoInteractions } from './ranking/co-interaction';
import { popularityScores } from './ranking/cold-start';
import { itemPriors } from './ranking/item-prior';

/** Age at which everyone's opinions are read again, for writes through other processes. */
const PRIOR_CACHE_MS = 60_000;
/**
 * Everyone's opinions are rebuilt before a list is made once this process has written more
 * than this share of the interactions they were built from; fewer writes are taken in by a
 * rebuild in the background, at most every COMMUNITY_REFRESH_MIN_MS, while lists use the last.
 */
const COMMUNITY_STALE_SHARE = 0.01;
/**
 * A rebuild holds the main thread for one piece of ~0.1 s (co-interactions ~75 ms of it, with
 * 10,000 users on the 100,000-recipe bench catalog), and a list arriving meanwhile waits for it.
 * With one interaction recorded every 1/7 s beside one client asking for lists, one service at
 * a time, two rounds: every second, p99 208 / 169 ms; every 10 s, 29 / 26 ms (p50 12.5 / 10.3
 * against 14.0 / 10.3 ms). Everyone's opinions then lag this process's writes by up to 10 s;
 * the user's own history and the neighbours' are read fresh after them.
 */
const COMMUNITY_REFRESH_MIN_MS = 10_000;

/** What everyone's history says, cached between requests. */
export interface Community {
  priors: Map<string, number>;
  /**
   * The dishes everyone rates above the middle, best first: sorted once per cache instead of
   * per request (every dish anyone has an opinion on, thousands with a busy history).
   */
  priorOrder: string[];
  /** What a new user is shown first (cold-start popularity). */
  popularity: Map<string, number>;
  coInteractions: CoInteractions;
}

/**
 * Everyone's centred opinion per dish, which dishes people have opinions on together, and
 * what is popular: reading and centring the recent history of every user is the costliest
 * read of a recommendation (~0.3 s with 10,000 users on the 100,000-recipe bench catalog), and
 * it changes slowly. Rebuilt on every write before, so with an app recording a like every
 * ~150 ms next to them, user lists took 366 ms (p50) instead of 17. Now a list waits for a
 * rebuild only when there is none yet, or when this process has written more than
 * COMMUNITY_STALE_SHARE of the history it was built from (a small community, as in the tests,
 * after any write; a bulk import of ratings); otherwise it uses the last one and a rebuild
 * runs behind it.
 */
@Injectable()
export class CommunityTables {
  private cache?: { writtenRows: number; rows: number; at: number; community: Community };
  private build: { from: number; done: Promise<Community> } | null = null;
  private readonly logger = new Logger(CommunityTables.name);

  constructor(private readonly interactions: UserInteractionsRepository) {}

  /** The tables a list may use now (see the class comment for when that waits for a rebuild). */
  async current(): Promise<Community> {
    const written = this.interactions.writtenRows;
    const cached = this.cache;
    if (!cached || written - cached.writtenRows > Math.max(1, cached.rows) * COMMUNITY_STALE_SHARE) {
      return this.asOf(written);
    }
    const age = Date.now() - cached.at;
    if (age >= PRIOR_CACHE_MS || (written > cached.writtenRows && age >= COMMUNITY_REFRESH_MIN_MS)) {
      this.asOf(written).catch((error: unknown) =>
        this.logger.warn(
          `Rebuilding everyone's opinions failed; lists keep the last ones: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    }
    return cached.community;
  }

  /** Tables built from a read made after `written` interactions of this process had landed. */
  private async asOf(written: number): Promise<Community> {
    for (;;) {
      const build = this.build;
      if (build && build.from >= written) return build.done;
      if (!build) break;
      // It read before the writes this caller must see: wait for it to end, then read again.
      await build.done.catch(() => undefined);
    }
    const from = this.interactions.writtenRows;
    const done = this.rebuild(from).finally(() => {
      if (this.build?.done === done) this.build = null;
    });
    this.build = { from, done };
    return done;
  }

  private async rebuild(writtenRows: number): Promise<Community> {
    const history = await this.interactions.recentExplicit();
    const priors = itemPriors(history, Date.now());
    const community = {
      priors,
      priorOrder: bestFirst(priors),
      coInteractions: coInteractions(history),
      popularity: popularityScores(history, Date.now()),
    };
    this.cache = { writtenRows, rows: history.length, at: Date.now(), community };
    return community;
  }
}
