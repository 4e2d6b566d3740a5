import { solve, TasteRegression } from './taste-regression';
import { drivingDishes } from './because-you-liked';
import { contentDomain, statedScore } from './user-ranking';

// Dishes in a toy 3-d space: fish, meat, pasta directions.
const fish = { ingredients: [1, 0, 0.2] };
const fish2 = { ingredients: [0.95, 0.05, 0.3] };
const meat = { ingredients: [0, 1, 0.2] };
const meat2 = { ingredients: [0.05, 0.95, 0.3] };
const curry = { ingredients: [0, 0, 0], properties: [1] };

describe('TasteRegression', () => {
  it('predicts a liked kind of dish above a disliked kind', () => {
    const model = new TasteRegression([
      { id: 'bass', vectors: fish, target: 0.6, confidence: 1 },
      { id: 'ragu', vectors: meat, target: -0.6, confidence: 1 },
    ]);
    expect(model.predict(fish2).value).toBeGreaterThan(0);
    expect(model.predict(meat2).value).toBeLessThan(0);
  });

  it('shrinks towards no opinion with few ratings, and less so with more that agree', () => {
    const one = new TasteRegression([{ id: 'a', vectors: fish, target: 1, confidence: 1 }]);
    const three = new TasteRegression(['a', 'b', 'c'].map((id) => ({ id, vectors: fish, target: 1, confidence: 1 })));
    expect(one.predict(fish2).value).toBeLessThan(0.6);
    expect(three.predict(fish2).value).toBeGreaterThan(one.predict(fish2).value);
  });

  it('lets an old, faint rating move predictions less than a fresh one', () => {
    const fresh = new TasteRegression([{ id: 'a', vectors: fish, target: 1, confidence: 1 }]);
    const old = new TasteRegression([{ id: 'a', vectors: fish, target: 1, confidence: 0.1 }]);
    expect(old.predict(fish2).value).toBeLessThan(fresh.predict(fish2).value);
  });

  it('names the liked dishes that drove a prediction, never a disliked one', () => {
    const examples = [
      { id: 'bass', vectors: fish, target: 0.6, confidence: 1 },
      { id: 'ragu', vectors: meat, target: -0.6, confidence: 1 },
    ];
    const model = new TasteRegression(examples);
    expect(drivingDishes(model.predict(fish2), examples)).toEqual(['bass']);
    expect(drivingDishes(model.predict(meat2), examples)).not.toContain('ragu');
  });

  it('tells a dish of the user’s world from an unrelated one', () => {
    const model = new TasteRegression([
      { id: 'bass', vectors: fish, target: 0.6, confidence: 1 },
      { id: 'clams', vectors: fish2, target: -0.2, confidence: 1 },
    ]);
    expect(contentDomain(model.predict(fish2).affinity, model.typicalAffinity)).toBeGreaterThan(0.9);
    expect(contentDomain(model.predict(curry).affinity, model.typicalAffinity)).toBe(0);
  });

  it('solves a linear system', () => {
    expect(
      solve(
        [
          [2, 1],
          [1, 3],
        ],
        [3, 5],
      ).map((x) => Math.round(x * 1000) / 1000),
    ).toEqual([0.8, 1.4]);
  });
});

describe('statedScore', () => {
  const stated = { likedCuisines: ['italian'], likedIngredients: ['seafood'], dislikedCuisines: [], dislikedIngredients: ['pork'] };
  it('adds liked cuisines and ingredients and subtracts disliked ones', () => {
    const spaghettiClams = statedScore({ concepts: ['clam', 'seafood', 'pasta'], cuisine: 'italian', properties: [] }, stated);
    const porkBuns = statedScore({ concepts: ['pork', 'meat'], cuisine: 'cantonese', properties: [] }, stated);
    expect(spaghettiClams).toBeGreaterThan(0.9);
    expect(porkBuns).toBeLessThan(0);
  });

  it('credits a liked regional cuisine, which a dish carries as a property beside its broad cuisine', () => {
    const likesNorthIndian = { ...stated, likedCuisines: ['north-indian'], likedIngredients: [] };
    const dal = statedScore({ concepts: ['lentil'], cuisine: 'indian', properties: ['north-indian', 'stew'] }, likesNorthIndian);
    const dosa = statedScore({ concepts: ['rice'], cuisine: 'indian', properties: ['south-indian'] }, likesNorthIndian);
    expect(dal).toBeGreaterThan(0.7);
    expect(dosa).toBe(0);
  });
});
