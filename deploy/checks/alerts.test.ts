import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, test } from 'node:test';
import { listAt, mapAt, readYaml, stringAt } from './test-support/repository.js';

// The alert rules (deploy/prometheus/alerts.yaml) watch metrics by name; a metric renamed in the
// code would leave an alert that never fires. Every `desk_*` name an expression uses must be one
// the services register.

const root = path.resolve(__dirname, '..', '..');

function sources(directory: string, found: string[] = []): string[] {
  for (const entry of readdirSync(directory, { withFileTypes: true })) {
    const full = path.join(directory, entry.name);
    if (entry.isDirectory() && !['node_modules', 'dist', '.next'].includes(entry.name)) sources(full, found);
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts')) found.push(full);
  }
  return found;
}

const registered = new Set(
  ['packages', 'identity-service', 'incident-service', 'notification-service', 'analytics-service']
    .flatMap((workspace) => sources(path.join(root, workspace)))
    .flatMap((file) => [...readFileSync(file, 'utf8').matchAll(/name: '(desk_[a-z_]+)'/g)].map((match) => match[1]!)),
);

describe('the Prometheus alert rules', () => {
  const groups = listAt(mapAt(readYaml('deploy/prometheus/alerts.yaml'), 'alerts.yaml').groups, 'groups');
  const rules = groups.flatMap((group) => listAt(mapAt(group, 'group').rules, 'rules').map((rule) => mapAt(rule, 'rule')));

  test('every rule has a name, an expression, a severity and a summary saying what to do', () => {
    assert.ok(rules.length >= 5);
    for (const rule of rules) {
      const name = stringAt(rule.alert, 'alert');
      stringAt(rule.expr, `${name}.expr`);
      assert.match(stringAt(mapAt(rule.labels, `${name}.labels`).severity, `${name}.severity`), /^(info|warning|critical)$/);
      const annotations = mapAt(rule.annotations, `${name}.annotations`);
      assert.ok(stringAt(annotations.summary, `${name}.summary`).length > 0);
      assert.ok(stringAt(annotations.description, `${name}.description`).length > 0);
    }
  });

  test('every metric an expression uses is one the services export', () => {
    assert.ok(registered.has('desk_event_bus_connected'), 'the scan finds the registrations');
    for (const rule of rules) {
      for (const [metric] of stringAt(rule.expr, 'expr').matchAll(/desk_[a-z_]+/g)) {
        const base = metric.replace(/_total$/, '');
        assert.ok(registered.has(metric) || registered.has(`${base}_total`), `${String(rule.alert)} uses ${metric}, which nothing registers`);
      }
    }
  });
});
