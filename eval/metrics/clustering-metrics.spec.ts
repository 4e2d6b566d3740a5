import { clusteringAgreement } from './clustering-metrics';

describe('clusteringAgreement', () => {
  it('gives NMI 1 and purity 1 for the same partition under other names', () => {
    const r = clusteringAgreement([1, 1, 2, 2, 3], ['a', 'a', 'b', 'b', 'c']);
    expect(r.nmi).toBeCloseTo(1, 10);
    expect(r.purity).toBe(1);
  });

  it('gives NMI 0 when clusters say nothing about labels', () => {
    const r = clusteringAgreement([1, 1, 2, 2], ['a', 'b', 'a', 'b']);
    expect(r.nmi).toBeCloseTo(0, 10);
    expect(r.purity).toBe(0.5);
  });

  it('rewards singletons with purity but not with full NMI', () => {
    const r = clusteringAgreement([1, 2, 3, 4], ['a', 'a', 'b', 'b']);
    expect(r.purity).toBe(1);
    expect(r.nmi).toBeLessThan(0.8);
  });
});
