import { InteractionSignal } from '../../users/user-interaction.types';

/**
 * From interactions to one signed preference per recipe. Pure code: the numbers below are the
 * whole policy and are documented in the API description.
 */

/** A taste signal loses half its weight every 30 days: last month's likes outweigh last year's. */
export const HALF_LIFE_DAYS = 30;

/**
 * Implicit signals: cooking a dish is nearly as telling as liking it; a view is a weak hint
 * (people open recipes they end up not wanting), so it only nudges.
 */
export const IMPLICIT_PREFERENCE = { cooked: 0.8, view: 0.15 } as const;

const DAY_MS = 24 * 60 * 60 * 1000;

/** Exponential decay: 1 now, 0.5 one half-life ago. Future times count as now. */
export function recencyWeight(at: string | number, now: number, halfLifeDays = HALF_LIFE_DAYS): number {
  const time = typeof at === 'number' ? at : Date.parse(at);
  if (!Number.isFinite(time)) return 0;
  const ageDays = Math.max(0, now - time) / DAY_MS;
  return Math.pow(0.5, ageDays / halfLifeDays);
}

export interface RecipePreference {
  recipeId: string;
  /** Signed strength on [-1, 1], before recency. */
  preference: number;
  /** Recency weight of the interaction the preference comes from. */
  recency: number;
  /** preference × recency: what profiles weigh examples by. */
  weight: number;
  /** Liked, disliked, rated or cooked: never recommended back. Views do not hide a recipe. */
  excluded: boolean;
}

/**
 * One preference per recipe. An explicit opinion (like, dislike, rating) beats behaviour, and
 * the latest opinion wins (a user who liked a dish and later rated it 2/5 has changed their
 * mind); without one, cooking beats viewing.
 */
export function recipePreferences(interactions: readonly InteractionSignal[], now: number): Map<string, RecipePreference> {
  const latest = new Map<string, { explicit?: InteractionSignal; cooked?: InteractionSignal; view?: InteractionSignal }>();
  const later = (a: InteractionSignal | undefined, b: InteractionSignal) => (!a || Date.parse(b.at) > Date.parse(a.at) ? b : a);
  for (const signal of interactions) {
    const slot = latest.get(signal.recipeId) ?? {};
    if (signal.type === 'view') slot.view = later(slot.view, signal);
    else if (signal.type === 'cooked') slot.cooked = later(slot.cooked, signal);
    else slot.explicit = later(slot.explicit, signal);
    latest.set(signal.recipeId, slot);
  }
  const out = new Map<string, RecipePreference>();
  for (const [recipeId, slot] of latest) {
    const source = slot.explicit ?? slot.cooked ?? slot.view!;
    const preference = slot.explicit
      ? explicitPreference(slot.explicit)
      : slot.cooked
        ? IMPLICIT_PREFERENCE.cooked
        : IMPLICIT_PREFERENCE.view;
    const recency = recencyWeight(source.at, now);
    out.set(recipeId, {
      recipeId,
      preference,
      recency,
      weight: preference * recency,
      excluded: Boolean(slot.explicit ?? slot.cooked),
    });
  }
  return out;
}

function explicitPreference(signal: InteractionSignal): number {
  if (signal.type === 'like') return 1;
  if (signal.type === 'dislike') return -1;
  return Math.max(-1, Math.min(1, signal.preference ?? 0));
}

/** Groups interactions by user, keeping input order. */
export function byUser(interactions: readonly InteractionSignal[]): Map<string, InteractionSignal[]> {
  const out = new Map<string, InteractionSignal[]>();
  for (const signal of interactions) {
    const list = out.get(signal.userId) ?? [];
    list.push(signal);
    out.set(signal.userId, list);
  }
  return out;
}
