import { CatalogRecipe } from '../search/catalog-recipe';
import { CatalogView } from '../search/catalog-view';
import { ANOMALY_CODES, AnomalyCode } from './anomalies';
import { CatalogInsight } from './catalog-insight';
import { DishFamily } from './dish-families';
import { ConceptSpace } from './dish-vectors';
import { ConceptNames } from './family-labels';
import { DUPLICATE_THRESHOLD } from './near-duplicates';
import {
  AnomaliesResponseDto,
  CatalogStatsDto,
  DishRefDto,
  DuplicateRecipeDto,
  DuplicatesResponseDto,
  FamiliesResponseDto,
  FamilyResponseDto,
  FamilySummaryDto,
} from './dto/catalog-insight.dto';
import { duplicateGroups } from './near-duplicates';
import { pushTo } from './push-to';

/** One computed insight with what it was computed from. */
export interface InsightState {
  insight: CatalogInsight;
  /** The provider (model) the vectors came from: a retrain means new families. */
  modelId: string;
  space: ConceptSpace;
  view: CatalogView;
  /** The catalog-view entries the facts were made from: a changed recipe is a new object. */
  seen: Map<string, CatalogRecipe>;
  /** Changed or deleted recipes folded in since the families were computed. */
  drift: number;
  computedAt: string;
}

/** Whole-catalog summaries, made once per computed insight rather than once per request. */
interface Summaries {
  anomalyCounts: Record<string, number>;
  byCode: Map<AnomalyCode, string[]>;
  /** Duplicate groups over all pairs, over cross-source pairs only and over same-source pairs only. */
  groups: { all: number; cross: number; same: number };
  stats: CatalogStatsDto;
}

const summaries = new WeakMap<CatalogInsight, Summaries>();

const round = (x: number) => Math.round(x * 1000) / 1000;

/** Response shapes over one computed state; each costs what it returns (plus one summary per state). */
export class InsightViews {
  constructor(
    private readonly state: InsightState,
    private readonly nameOf: (id: string) => ConceptNames,
  ) {}

  families(representatives: number): FamiliesResponseDto {
    const { insight, modelId, computedAt } = this.state;
    return {
      modelId,
      computedAt,
      recipes: insight.families.reduce((n, f) => n + f.size, 0),
      families: insight.families.map((f) => this.summary(f, representatives)),
    };
  }

  family(id: number, representatives: number, page: { limit: number; offset: number }): FamilyResponseDto | null {
    const family = this.state.insight.familyById.get(id);
    if (!family) return null;
    return {
      ...this.summary(family, representatives),
      members: {
        items: family.members.slice(page.offset, page.offset + page.limit).map((m) => this.dish(m)),
        total: family.size,
        limit: page.limit,
        offset: page.offset,
      },
    };
  }

  duplicates(page: { limit: number; offset: number }, crossSource?: boolean): DuplicatesResponseDto {
    const all = this.state.insight.duplicates;
    const pairs = crossSource === undefined ? all : all.filter((p) => p.crossSource === crossSource);
    return {
      threshold: DUPLICATE_THRESHOLD,
      total: pairs.length,
      groups: this.summaries().groups[crossSource === undefined ? 'all' : crossSource ? 'cross' : 'same'],
      limit: page.limit,
      offset: page.offset,
      items: pairs.slice(page.offset, page.offset + page.limit).map((p) => ({
        score: round(p.score),
        evidence: { vector: round(p.evidence.vector), ingredients: round(p.evidence.ingredients), name: round(p.evidence.name) },
        crossSource: p.crossSource,
        records: [this.recipe(p.a), this.recipe(p.b)],
        keep: this.recipe(p.keep),
        drop: this.recipe(p.drop),
        reason: p.reason,
      })),
    };
  }

  anomalies(page: { limit: number; offset: number }, code?: AnomalyCode): AnomaliesResponseDto {
    const { insight } = this.state;
    const ids = code ? (this.summaries().byCode.get(code) ?? []) : insight.flagged.map((f) => f.id);
    return {
      total: ids.length,
      counts: this.summaries().anomalyCounts,
      limit: page.limit,
      offset: page.offset,
      items: ids.slice(page.offset, page.offset + page.limit).map((id) => ({
        ...this.recipe(id),
        anomalies: (insight.recipes.get(id)?.anomalies ?? []).map((a) => ({ ...a, score: round(a.score) })),
      })),
    };
  }

  stats(): CatalogStatsDto {
    return this.summaries().stats;
  }

  private summary(f: DishFamily, representatives: number): FamilySummaryDto {
    return {
      id: f.id,
      label: f.label,
      size: f.size,
      spread: round(f.spread),
      defining: f.defining.map((c) => ({
        id: c.id,
        ...this.nameOf(c.id),
        familyShare: round(c.familyShare),
        catalogShare: round(c.catalogShare),
      })),
      representatives: f.members.slice(0, representatives).map((m) => this.dish(m)),
    };
  }

  private dish(id: string): DishRefDto {
    return { ...this.recipe(id), similarity: round(this.state.insight.recipes.get(id)?.similarity ?? 0) };
  }

  private recipe(id: string): DuplicateRecipeDto {
    const facts = this.state.insight.facts.get(id);
    return { id, name: facts?.name ?? '', source: facts?.source ?? '' };
  }

  private summaries(): Summaries {
    const { insight } = this.state;
    const cached = summaries.get(insight);
    if (cached) return cached;
    const anomalyCounts: Record<string, number> = Object.fromEntries(ANOMALY_CODES.map((c) => [c, 0]));
    const byCode = new Map<AnomalyCode, Array<{ id: string; score: number }>>();
    for (const { id } of insight.flagged) {
      for (const a of insight.recipes.get(id)?.anomalies ?? []) {
        anomalyCounts[a.code] += 1;
        pushTo(byCode, a.code, { id, score: a.score });
      }
    }
    const sources: Record<string, number> = {};
    for (const f of insight.facts.values()) sources[f.source] = (sources[f.source] ?? 0) + 1;
    const clustered = insight.families.reduce((n, f) => n + f.size, 0);
    const within = clustered === 0 ? 0 : insight.families.reduce((sum, f) => sum + f.spread * f.size, 0) / clustered;
    let entropy = 0;
    for (const f of insight.families) {
      const p = f.size / clustered;
      if (p > 0) entropy -= p * Math.log(p);
    }
    const stats: CatalogStatsDto = {
      recipes: insight.facts.size,
      sources,
      catalogSpread: round(insight.catalogSpread),
      withinFamilySpread: round(within),
      familySeparation: round(insight.catalogSpread > 0 ? 1 - within / insight.catalogSpread : 0),
      familyEvenness: round(insight.families.length > 1 ? entropy / Math.log(insight.families.length) : 1),
      duplicatePairs: insight.duplicates.length,
      anomalies: anomalyCounts,
      families: insight.families.map((f) => {
        const perSource: Record<string, number> = {};
        for (const id of f.members) {
          const source = insight.facts.get(id)?.source ?? '';
          perSource[source] = (perSource[source] ?? 0) + 1;
        }
        return {
          id: f.id,
          label: f.label,
          size: f.size,
          share: round(clustered ? f.size / clustered : 0),
          spread: round(f.spread),
          sources: perSource,
        };
      }),
    };
    const made: Summaries = {
      anomalyCounts,
      byCode: new Map(
        [...byCode].map(([code, list]) => [code, list.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : 1)).map((x) => x.id)]),
      ),
      groups: {
        all: duplicateGroups(insight.duplicates).length,
        cross: duplicateGroups(insight.duplicates.filter((p) => p.crossSource)).length,
        same: duplicateGroups(insight.duplicates.filter((p) => !p.crossSource)).length,
      },
      stats,
    };
    summaries.set(insight, made);
    return made;
  }
}
