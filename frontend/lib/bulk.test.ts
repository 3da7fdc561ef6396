import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Incident, IncidentStatus } from '@desk/contracts';
import { ApiError } from './api-client';
import { bulkFailure, planBulk, runLimited, statusTargets } from './bulk';
import type { Viewer } from './lifecycle';
import { englishWords } from '../messages/english';

const t = englishWords('incidents');

const IT = '11111111-1111-4111-8111-111111111111';
const HR = '22222222-2222-4222-8222-222222222222';
const staff: Viewer = { id: 'cccccccc-cccc-4ccc-8ccc-cccccccccccc', role: 'staff', departmentId: IT };
const manager: Viewer = { id: 'eeeeeeee-eeee-4eee-8eee-eeeeeeeeeeee', role: 'manager', departmentId: IT };

let number = 0;
const incident = (status: IncidentStatus, departmentId = IT, assigneeId: string | null = null) =>
  ({ id: `inc-${++number}`, key: `INC-${number}`, status, priority: 'MEDIUM', departmentId, reporterId: 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa', assigneeId, version: 1 }) as Incident;

describe('bulk actions', () => {
  test('when incidents in different statuses are selected, then every status one of them may reach is offered', () => {
    assert.deepEqual(statusTargets(staff, [incident('OPEN'), incident('IN_PROGRESS')]), ['OPEN', 'IN_PROGRESS', 'RESOLVED']);
    assert.deepEqual(statusTargets(staff, [incident('CLOSED')]), []);
  });

  test('when two of three may be resolved, then the third is skipped with the reason in words', () => {
    const first = incident('IN_PROGRESS');
    const second = incident('IN_PROGRESS');
    const third = incident('OPEN');
    const plan = planBulk(staff, [first, second, third], { kind: 'status', to: 'RESOLVED' }, t);
    assert.deepEqual(plan.apply, [first, second]);
    assert.deepEqual(plan.skipped, [{ incident: third, reason: 'It cannot move from open to resolved.' }]);
  });

  test('when staff or another department are asked to assign, then only what the manager may assign is applied', () => {
    const own = incident('OPEN');
    const other = incident('OPEN', HR);
    const change = { kind: 'assign', assigneeId: staff.id, assigneeName: 'Daniel Okafor' } as const;
    assert.deepEqual(planBulk(manager, [own, other], change, t).apply, [own]);
    assert.deepEqual(planBulk(staff, [own], change, t).apply, []);
    assert.match(planBulk(manager, [incident('OPEN', IT, staff.id)], change, t).skipped[0]!.reason, /already/);
  });

  test('when the API refuses, then the reason names no status code or field', () => {
    assert.equal(bulkFailure(new ApiError({ status: 412, code: 'INCIDENT.VERSION_MISMATCH', title: 'Changed' }), t), 'Someone changed it meanwhile. Open it to see the latest version.');
    assert.equal(bulkFailure(new ApiError({ status: 409, code: 'INCIDENT.INVALID_TRANSITION', title: 'No' }), t), 'Its status no longer allows this change.');
  });

  test('when tasks run with a limit, then no more than the limit run at once and every outcome is kept in order', async () => {
    let running = 0;
    let most = 0;
    const seen: number[] = [];
    const results = await runLimited(
      [1, 2, 3, 4, 5, 6, 7],
      3,
      async (item) => {
        running += 1;
        most = Math.max(most, running);
        await new Promise((resolve) => setTimeout(resolve, 5 + (item % 3) * 5));
        running -= 1;
        if (item === 4) throw new Error('refused');
        return item * 10;
      },
      (_item, _result, done) => seen.push(done),
    );
    assert.equal(most, 3);
    assert.deepEqual(seen, [1, 2, 3, 4, 5, 6, 7]);
    assert.deepEqual(results.map((result) => (result.status === 'fulfilled' ? result.value : 'refused')), [10, 20, 30, 'refused', 50, 60, 70]);
  });
});
