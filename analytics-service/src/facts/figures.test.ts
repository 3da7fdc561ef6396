import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { intervalStart, percentile } from './figures.js';

/** percentile_cont as the textbook says: sort, then interpolate. */
function reference(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const position = p * (sorted.length - 1);
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

describe('percentile', () => {
  test('when values are random, sorted, reversed or full of repeats, then quickselect gives what sorting gives', () => {
    const shapes: Record<string, (n: number) => number[]> = {
      random: (n) => Array.from({ length: n }, () => Math.random() * 10_000),
      sorted: (n) => Array.from({ length: n }, (_, i) => i),
      reversed: (n) => Array.from({ length: n }, (_, i) => n - i),
      repeats: (n) => Array.from({ length: n }, () => Math.floor(Math.random() * 3)),
    };
    for (const [shape, make] of Object.entries(shapes)) {
      for (const n of [1, 2, 3, 10, 101, 5000]) {
        for (const p of [0, 0.5, 0.9, 1]) {
          const values = make(n);
          assert.equal(percentile(Float64Array.from(values), n, p), reference(values, p), `${shape} n=${n} p=${p}`);
        }
      }
    }
  });

  test('when nothing was measured, then there is no percentile', () => {
    assert.equal(percentile(new Float64Array(4), 0, 0.5), null);
  });
});

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
