import { collaborativeWeight, COLLABORATIVE_MAX_WEIGHT, preferenceSimilarity, userBasedScores } from './collaborative-scores';

const prefs = (entries: Record<string, number>) => new Map(Object.entries(entries));

describe('user-based collaborative scores', () => {
  // A and B like the same three dishes; B also likes X. C hates what A likes and loves Y.
  const a = prefs({ kungpao: 1, mapo: 1, shuizhu: 1 });
  const others = new Map([
    ['b', prefs({ kungpao: 1, mapo: 1, shuizhu: 1, x: 1 })],
    ['c', prefs({ kungpao: -1, mapo: -1, y: 1 })],
    ['d', prefs({ pasta: 1 })],
  ]);

  it('measures agreement as the cosine of signed preferences', () => {
    expect(preferenceSimilarity(a, others.get('b')!)).toEqual({ similarity: expect.closeTo(3 / Math.sqrt(3 * 4), 6), overlap: 3 });
    expect(preferenceSimilarity(a, others.get('c')!).similarity).toBeLessThan(0);
    expect(preferenceSimilarity(a, others.get('d')!)).toEqual({ similarity: 0, overlap: 0 });
  });

  it('scores what like-minded users liked and ignores users who disagree or share nothing', () => {
    const result = userBasedScores(a, others);
    expect(result.neighbours).toBe(1);
    expect(result.evidence).toBe(3);
    expect(result.scores.get('x')).toBeCloseTo(1);
    expect(result.scores.has('y')).toBe(false);
    expect(result.scores.has('pasta')).toBe(false);
    expect(result.scores.has('kungpao')).toBe(false);
  });

  it('splits the vote by similarity among several neighbours', () => {
    const result = userBasedScores(
      prefs({ p: 1, q: 1 }),
      new Map([
        ['close', prefs({ p: 1, q: 1, x: 1 })],
        ['far', prefs({ p: 1, r: 1, s: 1, x: -1 })],
      ]),
    );
    const close = 2 / Math.sqrt(2 * 3);
    const far = 1 / Math.sqrt(2 * 4);
    expect(result.scores.get('x')).toBeCloseTo((close - far) / (close + far));
    expect(result.scores.get('r')).toBeCloseTo(far / (close + far));
  });

  it('gives the collaborative part weight that grows with evidence and never takes over', () => {
    expect(collaborativeWeight(0)).toBe(0);
    expect(collaborativeWeight(2)).toBeCloseTo(COLLABORATIVE_MAX_WEIGHT / 2);
    expect(collaborativeWeight(10)).toBeGreaterThan(collaborativeWeight(3));
    expect(collaborativeWeight(1e6)).toBeLessThan(COLLABORATIVE_MAX_WEIGHT + 1e-9);
  });
});
