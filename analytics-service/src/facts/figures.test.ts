import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { intervalStart, nth } from './figures.js';

describe('nth', () => {
  test('when values are random, sorted, reversed or full of repeats, then the k-th smallest is what sorting gives, for every k asked in turn', () => {
    const shapes: Record<string, (n: number) => number[]> = {
      random: (n) => Array.from({ length: n }, () => Math.random() * 10_000),
      sorted: (n) => Array.from({ length: n }, (_, i) => i),
      reversed: (n) => Array.from({ length: n }, (_, i) => n - i),
      repeats: (n) => Array.from({ length: n }, () => Math.floor(Math.random() * 3)),
    };
    for (const [shape, make] of Object.entries(shapes)) {
      for (const n of [1, 2, 3, 10, 101, 5000]) {
        const values = make(n);
        const sorted = [...values].sort((a, b) => a - b);
        const array = Float64Array.from(values);
        for (const k of [0, n - 1, Math.floor(n / 2), Math.floor(0.9 * (n - 1)), Math.min(n - 1, Math.floor(0.9 * (n - 1)) + 1)]) {
          assert.equal(nth(array, k), sorted[k], `${shape} n=${n} k=${k}`);
        }
      }
    }
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
