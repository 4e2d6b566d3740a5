import { numberPlaceholders } from './sql';

describe('numberPlaceholders', () => {
  it('numbers each ? for PostgreSQL, leaving quoted text alone', () => {
    expect(numberPlaceholders('SELECT id FROM recipes WHERE source = ? AND source_id IN (?, ?) LIMIT ?')).toBe(
      'SELECT id FROM recipes WHERE source = $1 AND source_id IN ($2, $3) LIMIT $4',
    );
    expect(numberPlaceholders(`SELECT '?' AS q, "a?b" FROM t WHERE x = ? AND y = 'it''s ?'`)).toBe(
      `SELECT '?' AS q, "a?b" FROM t WHERE x = $1 AND y = 'it''s ?'`,
    );
  });
});
