import { definingConcepts, familyLabel } from './family-labels';
import { chineseHead } from './recipe-facts';

describe('definingConcepts', () => {
  const catalog = new Map([
    ['pork', 100],
    ['garlic', 600],
    ['red-braise', 40],
    ['chili', 300],
  ]);

  it('ranks concepts common in the family and rare in the catalog first, and drops ones as common everywhere', () => {
    const family = new Map([
      ['pork', 40],
      ['garlic', 30],
      ['red-braise', 25],
      ['chili', 5],
    ]);
    const defining = definingConcepts(family, 50, catalog, 1000);
    // pork: 0.8·ln(0.8/0.1) = 1.66 beats red-braise: 0.5·ln(0.5/0.04) = 1.26; garlic is as common everywhere.
    expect(defining.map((d) => d.id)).toEqual(['pork', 'red-braise']);
    expect(defining[1].familyShare).toBe(0.5);
    expect(defining[1].catalogShare).toBe(0.04);
  });

  it('ignores a concept only a few members have, however rare', () => {
    const family = new Map([['red-braise', 5]]);
    expect(definingConcepts(family, 50, catalog, 1000)).toEqual([]);
  });
});

describe('familyLabel', () => {
  const names: Record<string, { zh: string; en: string }> = {
    pork: { zh: '猪肉', en: 'pork' },
    'red-braise': { zh: '红烧', en: 'red-braised' },
  };
  it('names a family by its first two defining concepts in both languages', () => {
    const label = familyLabel(
      [
        { id: 'red-braise', familyShare: 0.5, catalogShare: 0.04, score: 1 },
        { id: 'pork', familyShare: 0.8, catalogShare: 0.1, score: 0.9 },
      ],
      (id) => names[id],
      { zh: '其他', en: 'other' },
    );
    expect(label).toEqual({ zh: '红烧·猪肉', en: 'red-braised · pork' });
  });

  it('falls back when nothing defines the family', () => {
    expect(familyLabel([], (id) => names[id], { zh: '其他', en: 'other' })).toEqual({ zh: '其他', en: 'other' });
  });
});

describe('chineseHead', () => {
  it('picks the form the others are built on, widened to two characters', () => {
    expect(chineseHead(['鸽子', '乳鸽', '鸡肉', '鸡', '鸡胸', '鸡腿'])).toBe('鸡肉');
    expect(chineseHead(['血肠', '香肠', '腊肠', '广式香肠'])).toBe('香肠');
    expect(chineseHead(['莴笋', '莴苣', '青笋'])).toBe('莴笋');
  });
});
