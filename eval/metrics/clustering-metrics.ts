/**
 * Agreement of a clustering with reference labels, over the items that have a label.
 * NMI: mutual information over the mean of the two entropies (0 = independent, 1 = the same
 * partition up to renaming). Purity: share of items whose cluster's commonest label is theirs;
 * it rewards many small clusters, so it is reported beside NMI, never alone.
 */
export function clusteringAgreement(
  clusters: readonly (string | number)[],
  labels: readonly string[],
): { nmi: number; purity: number; items: number } {
  const n = clusters.length;
  if (n === 0 || labels.length !== n) return { nmi: 0, purity: 0, items: n };
  const joint = new Map<string, Map<string, number>>();
  const byCluster = new Map<string, number>();
  const byLabel = new Map<string, number>();
  for (let i = 0; i < n; i++) {
    const c = String(clusters[i]);
    const l = labels[i];
    const row = joint.get(c) ?? new Map<string, number>();
    row.set(l, (row.get(l) ?? 0) + 1);
    joint.set(c, row);
    byCluster.set(c, (byCluster.get(c) ?? 0) + 1);
    byLabel.set(l, (byLabel.get(l) ?? 0) + 1);
  }
  const entropy = (counts: Iterable<number>) => {
    let h = 0;
    for (const k of counts) if (k > 0) h -= (k / n) * Math.log(k / n);
    return h;
  };
  let mi = 0;
  let pure = 0;
  for (const [c, row] of joint) {
    let top = 0;
    for (const [l, k] of row) {
      mi += (k / n) * Math.log((k * n) / (byCluster.get(c)! * byLabel.get(l)!));
      top = Math.max(top, k);
    }
    pure += top;
  }
  const hc = entropy(byCluster.values());
  const hl = entropy(byLabel.values());
  const nmi = hc + hl === 0 ? 1 : (2 * mi) / (hc + hl);
  return { nmi, purity: pure / n, items: n };
}
