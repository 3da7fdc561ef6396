import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { verifySatisfactionLink } from '@desk/auth';
import { waitFor } from '@desk/testing';
import { startNotifications, type NotificationHarness, type TestUser } from '../test-support/harness.js';

const SECRET = 'a satisfaction link secret of at least 32 characters';

describe('the resolution mail asks the reporter to rate the incident', () => {
  let h: NotificationHarness;
  let reporter: TestUser;
  let staff: TestUser;

  before(async () => {
    h = await startNotifications({ SATISFACTION_LINK_SECRET: SECRET });
    reporter = await h.createUser('reporter');
    staff = await h.createUser('staff', h.department);
  });
  after(() => h?.close());

  test('with five one-click links whose token stands for the reporter and this incident only; other mails have none', async () => {
    const incident = h.incident(reporter.user, { assigneeId: staff.user.id, status: 'RESOLVED', version: 4 });
    await h.publish('incident.status_changed', { incident, actorId: staff.user.id, from: 'IN_PROGRESS', to: 'RESOLVED', reason: null });
    const [mail] = await waitFor('the resolution mail', () => {
      const mails = h.smtp.to(reporter.user.email).filter((each) => each.headers.get('x-incident-key') === incident.key);
      return mails.length > 0 ? mails : undefined;
    });
    const links = [...mail!.text.matchAll(/https:\/\/desk\.example\.com\/rate\/([^?\s]+)\?rating=(\d)/g)];
    assert.deepEqual(links.map((link) => link[2]), ['1', '2', '3', '4', '5']);
    assert.match(mail!.text, /How did we do\? Rate it with one click:/);
    assert.match(mail!.html, /How did we do\?/);
    const subject = await verifySatisfactionLink(SECRET, links[0]![1]!);
    assert.deepEqual(subject, { incidentId: incident.id, reporterId: reporter.user.id });
    assert.equal(await verifySatisfactionLink('another secret of at least thirty-two characters', links[0]![1]!), undefined);

    // Going back to work on it is no time to rate it.
    const reopened = { ...incident, status: 'IN_PROGRESS' as const, version: 5 };
    await h.publish('incident.status_changed', { incident: reopened, actorId: staff.user.id, from: 'RESOLVED', to: 'IN_PROGRESS', reason: 'Still broken' });
    const second = await waitFor('the second mail', () => h.smtp.to(reporter.user.email).filter((each) => each.headers.get('x-incident-key') === incident.key)[1]);
    assert.doesNotMatch(second.text, /rate\//);
  });
});
