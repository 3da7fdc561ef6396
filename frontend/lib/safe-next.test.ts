import assert from 'node:assert/strict';
import { test } from 'node:test';
import { safeNext } from './safe-next';

test('when next is a path of the portal, then sign-in goes there', () => {
  assert.equal(safeNext('/incidents/INC-000042'), '/incidents/INC-000042');
  assert.equal(safeNext('/incidents?status=OPEN#top'), '/incidents?status=OPEN#top');
  assert.equal(safeNext('/admin?tab=events'), '/admin?tab=events');
});

test('when next points anywhere else, or could be read as another host, then sign-in goes to the incidents', () => {
  for (const next of [null, '', 'incidents', '//evil.example', '/\\evil.example', '/\t/evil.example', '/\n/evil.example', '\\/evil.example', 'https://evil.example', 'javascript:alert(1)', '/login', '/login?next=/x', '/register']) {
    assert.equal(safeNext(next), '/incidents', JSON.stringify(next));
  }
});
