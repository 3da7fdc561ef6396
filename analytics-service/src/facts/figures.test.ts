import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { intervalStart } from './figures.js';

describe('intervalStart', () => {
  test('when a time falls in a day or a week, then the interval starts at midnight UTC, weeks on Monday', () => {
    const wednesday = Date.parse('2026-03-04T17:45:00Z');
    assert.equal(new Date(intervalStart(wednesday, 'day')).toISOString(), '2026-03-04T00:00:00.000Z');
    assert.equal(new Date(intervalStart(wednesday, 'week')).toISOString(), '2026-03-02T00:00:00.000Z');
    const sunday = Date.parse('2026-03-08T23:59:59Z');
    assert.equal(new Date(intervalStart(sunday, 'week')).toISOString(), '2026-03-02T00:00:00.000Z');
    const monday = Date.parse('2026-03-09T00:00:00Z');
    assert.equal(new Date(intervalStart(monday, 'week')).toISOString(), '2026-03-09T00:00:00.000Z');
  });
});
