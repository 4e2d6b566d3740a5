import type { SiblingNotice, SiblingNotices } from '../cluster/sibling-notices';
import { OutboxSignal } from './outbox-signal';

/** The other workers as a test drives them: what this process announced, and a way to deliver theirs. */
class SiblingsStub implements SiblingNotices {
  readonly announced: SiblingNotice[] = [];
  private readonly listeners: Array<[SiblingNotice, () => void]> = [];
  announce(notice: SiblingNotice): void {
    this.announced.push(notice);
  }
  subscribe(notice: SiblingNotice, listener: () => void): () => void {
    this.listeners.push([notice, listener]);
    return () => undefined;
  }
  deliver(notice: SiblingNotice): void {
    for (const [wanted, listener] of this.listeners) if (wanted === notice) listener();
  }
}

describe('OutboxSignal with other workers', () => {
  it('a write here runs the listeners and tells the other workers', () => {
    const siblings = new SiblingsStub();
    const signal = new OutboxSignal(siblings);
    let runs = 0;
    signal.subscribe(() => runs++);
    signal.written();
    expect(runs).toBe(1);
    expect(siblings.announced).toEqual(['catalog-written']);
  });

  it('another worker’s write runs the listeners here, and is not announced back (no echo between workers)', () => {
    const siblings = new SiblingsStub();
    const signal = new OutboxSignal(siblings);
    let runs = 0;
    signal.subscribe(() => runs++);
    siblings.deliver('catalog-written');
    siblings.deliver('index-changed');
    expect(runs).toBe(1);
    expect(siblings.announced).toEqual([]);
  });
});
