import { InteractionSignal } from '../../users/user-interaction.types';

/**
 * From interactions to one signed preference per recipe. Pure code: the numbers below are the
 * whole policy and are documented in the API description.
 */

/** A taste signal loses half its weight every 30 days: last month's likes outweigh last year's. */
export const HALF_LIFE_DAYS = 30;

/**
 * Implicit signals, view < like (1) < cooked: a view is a weak hint (people open recipes they end
 * up not wanting), so it only nudges; cooking a dish costs an evening, so it says more than a tap
 * on "like", and every further cook says it again (up to `cookedMax`, so one family favourite
 * cooked weekly does not outweigh the rest of the history).
 */
export const IMPLICIT_PREFERENCE = { view: 0.15, cooked: 1.25, cookedRepeat: 0.25, cookedMax: 2 } as const;

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
  /** Signed strength, before recency: [-1, 1] for opinions, up to IMPLICIT_PREFERENCE.cookedMax for repeated cooks. */
  preference: number;
  /** Where the preference comes from: a rating is centred per user (see user-centring), the others are not. */
  kind: 'rating' | 'like' | 'dislike' | 'cooked' | 'view';
  /** Recency weight of the interaction the preference comes from. */
  recency: number;
  /** preference × recency: what profiles weigh examples by. */
  weight: number;
  /** Liked, disliked, rated or cooked: never recommended back. Views do not hide a recipe. */
  excluded: boolean;
}

/**
 * One preference per recipe. The latest explicit opinion wins (a user who liked a dish and later
 * rated it 2/5 has changed their mind). A rating or a dislike beats behaviour (cooked it, did not
 * like it); a like and cooks add up to the stronger of the two; without an opinion, cooking beats
 * viewing.
 */
export function recipePreferences(interactions: readonly InteractionSignal[], now: number): Map<string, RecipePreference> {
  const latest = new Map<string, { explicit?: InteractionSignal; cooked?: InteractionSignal; cooks?: number; view?: InteractionSignal }>();
  const later = (a: InteractionSignal | undefined, b: InteractionSignal) => (!a || Date.parse(b.at) > Date.parse(a.at) ? b : a);
  for (const signal of interactions) {
    const slot = latest.get(signal.recipeId) ?? {};
    if (signal.type === 'view') slot.view = later(slot.view, signal);
    else if (signal.type === 'cooked') {
      slot.cooked = later(slot.cooked, signal);
      slot.cooks = (slot.cooks ?? 0) + 1;
    } else slot.explicit = later(slot.explicit, signal);
    latest.set(signal.recipeId, slot);
  }
  const out = new Map<string, RecipePreference>();
  for (const [recipeId, slot] of latest) {
    const cooked = slot.cooks ? cookedPreference(slot.cooks) : 0;
    const opinion = slot.explicit ? explicitPreference(slot.explicit) : undefined;
    const byCooking = slot.cooked !== undefined && (opinion === undefined || (slot.explicit!.type === 'like' && cooked > opinion));
    const source = byCooking ? slot.cooked! : (slot.explicit ?? slot.view!);
    const preference = byCooking ? cooked : (opinion ?? IMPLICIT_PREFERENCE.view);
    const kind = byCooking ? 'cooked' : slot.explicit ? slot.explicit.type : 'view';
    const recency = recencyWeight(source.at, now);
    out.set(recipeId, {
      recipeId,
      preference,
      kind: kind as RecipePreference['kind'],
      recency,
      weight: preference * recency,
      excluded: Boolean(slot.explicit ?? slot.cooked),
    });
  }
  return out;
}

/** 1.25 for one cook, 0.25 more for each further one, at most 2. */
export function cookedPreference(cooks: number): number {
  if (cooks <= 0) return 0;
  return Math.min(IMPLICIT_PREFERENCE.cookedMax, IMPLICIT_PREFERENCE.cooked + IMPLICIT_PREFERENCE.cookedRepeat * (cooks - 1));
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
