import { UserInteractionsRepository } from '../users/user-interactions.repository';
import { InteractionSignal } from '../users/user-interaction.types';
import { CommunityTables } from './community-tables.service';

/** The two things the tables read of the repository: what this process wrote, and everyone's history. */
class FakeInteractions {
  writtenRows = 0;
  reads = 0;
  history: InteractionSignal[] = [];
  failNext = false;
  private gate: Promise<void> | null = null;
  private open: (() => void) | null = null;

  hold(): void {
    this.gate = new Promise((resolve) => (this.open = resolve));
  }

  release(): void {
    this.open?.();
    this.gate = null;
  }

  async recentExplicit(): Promise<InteractionSignal[]> {
    this.reads++;
    const snapshot = [...this.history];
    if (this.gate) await this.gate;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('database is locked');
    }
    return snapshot;
  }

  like(userId: string, recipeId: string): void {
    this.history.unshift({ userId, recipeId, type: 'like', preference: null, at: new Date().toISOString() });
    this.writtenRows++;
  }
}

/** A community of `users` people who all like `recipe`, written before the tables exist. */
function communityLiking(recipe: string, users: number): FakeInteractions {
  const fake = new FakeInteractions();
  for (let u = 0; u < users; u++) {
    fake.like(`u${u}`, recipe);
    fake.like(`u${u}`, `other-${u}`);
    fake.history.unshift({ userId: `u${u}`, recipeId: `disliked-${u}`, type: 'dislike', preference: null, at: new Date().toISOString() });
  }
  return fake;
}

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('CommunityTables', () => {
  afterEach(() => jest.useRealTimers());

  it('builds the tables on the first list and then serves them without reading again', async () => {
    const fake = communityLiking('r1', 3);
    const tables = new CommunityTables(fake as unknown as UserInteractionsRepository);

    const first = await tables.current();
    expect(first.priors.get('r1')).toBeGreaterThan(0);
    expect(first.popularity.has('r1')).toBe(true);
    const second = await tables.current();
    expect(second).toBe(first);
    expect(fake.reads).toBe(1);
  });

  it('waits for a rebuild once this process wrote more than a small share of the history they came from', async () => {
    const fake = communityLiking('r1', 3);
    const tables = new CommunityTables(fake as unknown as UserInteractionsRepository);
    await tables.current();

    // Nine rows built them; a like on a new dish is over 1% of that, so the next list must see it.
    fake.like('u9', 'r-new');
    const after = await tables.current();
    expect(after.popularity.has('r-new')).toBe(true);
    expect(fake.reads).toBe(2);
  });

  it('serves the last tables while a few writes are taken in behind the lists, at most every 10 s', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    const fake = communityLiking('r1', 400);
    const tables = new CommunityTables(fake as unknown as UserInteractionsRepository);
    const built = await tables.current();

    fake.like('u9999', 'r-new');
    // Within the 10 s: the same tables, and no read.
    expect(await tables.current()).toBe(built);
    expect(fake.reads).toBe(1);

    jest.advanceTimersByTime(10_000);
    // Due: this list still gets the last tables, and a rebuild starts behind it.
    expect(await tables.current()).toBe(built);
    await flush();
    expect(fake.reads).toBe(2);
    const rebuilt = await tables.current();
    expect(rebuilt).not.toBe(built);
    expect(rebuilt.popularity.has('r-new')).toBe(true);
  });

  it('reads again after a minute without writes here (other processes may have written)', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    const fake = communityLiking('r1', 3);
    const tables = new CommunityTables(fake as unknown as UserInteractionsRepository);
    await tables.current();

    jest.advanceTimersByTime(59_000);
    await tables.current();
    await flush();
    expect(fake.reads).toBe(1);
    jest.advanceTimersByTime(1_000);
    await tables.current();
    await flush();
    expect(fake.reads).toBe(2);
  });

  it('keeps the last tables when a rebuild behind the lists fails', async () => {
    jest.useFakeTimers({ doNotFake: ['setImmediate', 'nextTick', 'queueMicrotask'] });
    const fake = communityLiking('r1', 3);
    const tables = new CommunityTables(fake as unknown as UserInteractionsRepository);
    const built = await tables.current();

    jest.advanceTimersByTime(60_000);
    fake.failNext = true;
    expect(await tables.current()).toBe(built);
    await flush();
    expect(fake.reads).toBe(2);
    expect(await tables.current()).toBe(built);
  });

  it('does not hand a list that must see a write the tables of a read made before it', async () => {
    const fake = communityLiking('r1', 3);
    const tables = new CommunityTables(fake as unknown as UserInteractionsRepository);
    fake.hold();
    const first = tables.current();
    await flush();
    // The first read is under way; this write lands after it read.
    fake.like('u7', 'r-late');
    const second = tables.current();
    fake.release();
    expect((await first).popularity.has('r-late')).toBe(false);
    expect((await second).popularity.has('r-late')).toBe(true);
    expect(fake.reads).toBe(2);
  });
});
