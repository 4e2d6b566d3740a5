export interface CatalogDrift {
  trained: number;
  current: number;
  added: number;
  removed: number;
  changed: number;
  /** (added + removed + changed) / recipes trained on; 1 when the model was trained on nothing. */
  share: number;
}

/**
 * How far the catalog has moved since the model was trained, judged only by what the model
 * learns from (concepts and terms), so fixing a typo in the steps is not drift.
 *
 * Fingerprints carry no recipe ids (the model does not need them), so a changed recipe shows as
 * one fingerprint gone and one new; pairs of those count as changes, the rest as additions or
 * removals. Takes the current recipes' fingerprints (recipeFingerprint), which the caller
 * computes as it reads the catalog a page at a time. Pure: the caller decides when the share
 * warrants a background retrain.
 */
export function catalogDrift(trainedOn: Iterable<string>, currentFingerprints: Iterable<string>): CatalogDrift {
  const remaining = new Map<string, number>();
  let trained = 0;
  for (const fingerprint of trainedOn) {
    remaining.set(fingerprint, (remaining.get(fingerprint) ?? 0) + 1);
    trained++;
  }
  let unmatchedCurrent = 0;
  let current = 0;
  for (const fingerprint of currentFingerprints) {
    current++;
    const left = remaining.get(fingerprint) ?? 0;
    if (left > 0) remaining.set(fingerprint, left - 1);
    else unmatchedCurrent++;
  }
  let unmatchedTrained = 0;
  for (const left of remaining.values()) unmatchedTrained += left;

  const changed = Math.min(unmatchedCurrent, unmatchedTrained);
  const added = unmatchedCurrent - changed;
  const removed = unmatchedTrained - changed;
  const moved = changed + added + removed;
  return {
    trained,
    current,
    added,
    removed,
    changed,
    share: trained === 0 ? (moved === 0 ? 0 : 1) : moved / trained,
  };
}
