import type { IncomingMessage } from 'node:http';
import { routeLabel, statusClass, UNMATCHED_ROUTE } from './route-label';

const request = (fields: object) => fields as IncomingMessage;

describe('routeLabel', () => {
  it('is the matched route template, not the URL', () => {
    expect(routeLabel(request({ url: '/api/recipes/abc?x=1', route: { path: '/api/recipes/:id' }, baseUrl: '' }))).toBe('/api/recipes/:id');
  });

  it('groups requests no route handled, including the catch-all that answers 404', () => {
    expect(routeLabel(request({ url: '/favicon.ico' }))).toBe(UNMATCHED_ROUTE);
    expect(routeLabel(request({ url: '/api/x/y', route: { path: '/api/{*path}' } }))).toBe(UNMATCHED_ROUTE);
  });
});

describe('statusClass', () => {
  it('keeps only the first digit', () => {
    expect([200, 201, 304, 404, 429, 503].map(statusClass)).toEqual(['2xx', '2xx', '3xx', '4xx', '4xx', '5xx']);
    expect(statusClass(0)).toBe('other');
  });
});
