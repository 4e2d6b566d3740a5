import type { IncomingMessage } from 'node:http';

/** The label of requests that matched no route (404s, CORS preflights, body-parser rejections). */
export const UNMATCHED_ROUTE = 'unmatched';

type RoutedRequest = IncomingMessage & { route?: { path?: unknown }; baseUrl?: string; metricsRoute?: string };

/**
 * The route template a request was served by (`/api/recipes/:id`), never the raw URL: ids and
 * query strings in labels would make one time series per recipe. Express sets `req.route` once
 * a route handler matched; anything else is grouped under one label, including Nest's
 * catch-all (`/api/{*path}`) that answers unknown paths with 404.
 */
export function routeLabel(req: IncomingMessage): string {
  const routed = req as RoutedRequest;
  if (routed.metricsRoute) return routed.metricsRoute;
  const path = routed.route?.path;
  if (typeof path !== 'string' || path.includes('*')) return UNMATCHED_ROUTE;
  return `${routed.baseUrl ?? ''}${path}`;
}

/** `2xx`, `4xx`…: the status class keeps the label set small while telling errors apart. */
export function statusClass(status: number): string {
  return status >= 100 && status < 600 ? `${Math.floor(status / 100)}xx` : 'other';
}
