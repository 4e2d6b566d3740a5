import { RecipeAnalysis } from '../../text/text.types';
import { catalogDrift } from './catalog-drift';
import { FIXTURE_CATALOG } from '../../../test/fixtures/food-concepts';
import { FoodConceptTrainer } from './food-concept.trainer';
import { recipeFingerprint } from './recipe-concepts';

const fingerprints = (analyses: readonly RecipeAnalysis[]) => analyses.map(recipeFingerprint);

describe('catalogDrift', () => {
  const analyses = FIXTURE_CATALOG.slice(0, 20).map((entry) => entry.analysis);
  const model = new FoodConceptTrainer().train(analyses);

  it('reports no drift for the catalog the model was trained on, in any order', () => {
    expect(catalogDrift(model.trainedOn, fingerprints([...analyses].reverse()))).toEqual({
      trained: 20,
      current: 20,
      added: 0,
      removed: 0,
      changed: 0,
      share: 0,
    });
  });

  it('counts an edited recipe once, as a change', () => {
    const edited: RecipeAnalysis[] = analyses.map((a, i) => (i === 3 ? { ...a, propertyConcepts: [...a.propertyConcepts, 'smoky'] } : a));
    expect(catalogDrift(model.trainedOn, fingerprints(edited))).toMatchObject({ changed: 1, added: 0, removed: 0, share: 0.05 });
  });

  it('counts additions and removals against the size trained on', () => {
    const current = [...analyses.slice(2), ...FIXTURE_CATALOG.slice(20, 26).map((entry) => entry.analysis)];
    const drift = catalogDrift(model.trainedOn, fingerprints(current));
    expect(drift).toMatchObject({ trained: 20, current: 24, changed: 2, added: 4, removed: 0 });
    expect(drift.share).toBeCloseTo(6 / 20);
  });

  it('ignores changes the model does not learn from, such as term order', () => {
    const reordered = analyses.map((a) => ({ ...a, terms: [...a.terms].reverse(), allergens: ['peanut'] }));
    expect(catalogDrift(model.trainedOn, fingerprints(reordered)).share).toBe(0);
  });

  it('treats any catalog as fully drifted from an empty training set', () => {
    expect(catalogDrift([], fingerprints(analyses)).share).toBe(1);
    expect(catalogDrift([], fingerprints([])).share).toBe(0);
  });
});
