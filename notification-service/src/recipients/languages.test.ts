import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { IncidentSnapshot, NotificationPage } from '@desk/contracts';
import { waitFor } from '@desk/testing';
import { startNotifications, type NotificationHarness, type TestUser } from '../test-support/harness.js';

/** ICU writes no-break spaces into dates and percentages ("80\u00a0%", "9:00\u202fAM"); read them as spaces. */
const spaced = (text: string) => text.replace(/\s/g, ' ');

describe('each person reads mails and in-app notifications in their own language', () => {
  let h: NotificationHarness;
  let germanReporter: TestUser;
  let germanStaff: TestUser;
  let manager: TestUser;

  before(async () => {
    h = await startNotifications();
    germanReporter = await h.createUser('reporter', null, { locale: 'de' });
    germanStaff = await h.createUser('staff', h.department, { locale: 'de' });
    // Chose no language: English, the default.
    manager = await h.createUser('manager', h.department, { locale: null });
  });
  after(() => h?.close());

  const inbox = async (user: TestUser, incident: IncidentSnapshot) => {
    const response = await h.http.get('/notifications?limit=100').set('Authorization', `Bearer ${user.token}`).expect(200);
    return (response.body as NotificationPage).items.filter((item) => item.incidentId === incident.id);
  };
  const mailsAbout = (user: TestUser, incident: IncidentSnapshot) => h.smtp.to(user.user.email).filter((mail) => mail.headers.get('x-incident-key') === incident.key);

  test('when a reporter who reads German files an incident and it is resolved, then their mails and notification are German; the subject keeps its threading form', async () => {
    const incident = h.incident(germanReporter.user, { title: 'Drucker im 3. Stock klemmt', assigneeId: germanStaff.user.id, status: 'OPEN' });
    await h.publish('incident.created', { incident, actorId: germanReporter.user.id });
    const [receipt] = await waitFor('the receipt', () => (mailsAbout(germanReporter, incident).length === 1 ? mailsAbout(germanReporter, incident) : undefined));
    assert.equal(receipt!.subject, `[${incident.key}] Drucker im 3. Stock klemmt`);
    assert.match(receipt!.text, new RegExp(`^Wir haben ${incident.key} erhalten`));
    assert.match(receipt!.text, /„Drucker im 3\. Stock klemmt“ wurde mit der Priorität Mittel erfasst\./);
    assert.match(receipt!.text, /Status: Offen · Priorität: Mittel/);
    assert.match(receipt!.text, /Sie erhalten diese E-Mail, weil Sie diesen Vorfall gemeldet haben\. Wählen Sie, welche E-Mails Sie erhalten: https:\/\/desk\.example\.com\//);
    assert.match(receipt!.html, /<html lang="de">/);
    assert.match(receipt!.html, new RegExp(`${incident.key} öffnen</a>`));

    const resolved = { ...incident, status: 'RESOLVED' as const, version: 2 };
    await h.publish('incident.status_changed', { incident: resolved, actorId: germanStaff.user.id, from: 'IN_PROGRESS', to: 'RESOLVED', reason: 'Toner getauscht' });
    const mail = await waitFor('the resolution mail', () => mailsAbout(germanReporter, incident)[1]);
    assert.match(mail.text, new RegExp(`^${incident.key} ist jetzt gelöst`));
    assert.match(mail.text, new RegExp(`${germanStaff.user.fullName} hat den Status von In Bearbeitung auf Gelöst geändert\\. Grund: Toner getauscht\\. Ist das Problem behoben, schließen Sie den Vorfall bitte`));
    assert.match(mail.text, /Wie zufrieden sind Sie\? Bewerten Sie uns mit einem Klick:\n {2}1 · sehr unzufrieden: https:/);
    assert.match(mail.text, /Vorfall öffnen: https:\/\/desk\.example\.com\/incidents\//);
    assert.doesNotMatch(mail.text, /You get this mail|Open it|How did we do/);

    const [notification] = await inbox(germanReporter, incident);
    assert.equal(notification!.headline, `${incident.key} ist jetzt gelöst`);
    assert.match(notification!.detail, /hat den Status von In Bearbeitung auf Gelöst geändert/);
  });

  test('when an SLA is breached or an escalation fires, then German readers get German words and a German date, English readers (no language chosen) English', async () => {
    const incident = h.incident(germanReporter.user, { assigneeId: germanStaff.user.id, status: 'IN_PROGRESS', priority: 'HIGH', version: 3, slaBreached: true });
    await h.publish('incident.sla_breached', { incident, target: 'resolution', dueAt: '2026-11-20T09:00:00.000Z', breachedAt: '2026-11-20T09:00:30.000Z' });
    await waitFor('breach mails', () => mailsAbout(germanStaff, incident).length === 1 && mailsAbout(manager, incident).length === 1);

    const german = spaced(mailsAbout(germanStaff, incident)[0]!.text);
    assert.match(german, new RegExp(`^${incident.key}: Lösungszeit überschritten`));
    assert.match(german, /Die Lösung war bis 20\. Nov\. 2026, 09:00 UTC fällig; „Printer on floor 3 jams“ ist in Bearbeitung\./);
    assert.match(german, /Status: In Bearbeitung · Priorität: Hoch/);
    assert.match(german, /weil dieser Vorfall Ihnen zugewiesen ist/);
    const [germanNotification] = await inbox(germanStaff, incident);
    assert.equal(germanNotification!.headline, `${incident.key}: Lösungszeit überschritten`);
    assert.match(spaced(germanNotification!.detail), /20\. Nov\. 2026, 09:00 UTC/);

    const english = spaced(mailsAbout(manager, incident)[0]!.text);
    assert.match(english, new RegExp(`^${incident.key} missed its resolution target`));
    assert.match(english, /The resolution was due Nov 20, 2026, 9:00 AM UTC; “Printer on floor 3 jams” is in progress\./);
    assert.match(english, /Status: In progress · Priority: High/);
    assert.match(english, /You get this mail because you manage the incident's department\./);
    assert.equal((await inbox(manager, incident))[0]!.headline, `${incident.key} missed its resolution target`);

    const escalated = await h.publish('incident.escalated', {
      incident: { ...incident, version: 4 },
      rule: { id: randomUUID(), name: 'Warnung bei 80 %', target: 'resolution', thresholdPercent: 80 },
      notify: ['assignee', 'manager'],
      dueAt: '2026-11-20T09:00:00.000Z',
      raisedPriority: 'CRITICAL',
      reassignedTo: null,
    });
    await h.handled(escalated.id);
    await waitFor('escalation mails', () => mailsAbout(germanStaff, incident).length === 2 && mailsAbout(manager, incident).length === 2);
    assert.match(spaced(mailsAbout(germanStaff, incident)[1]!.text), /80 % der Lösungszeit sind verstrichen; fällig am 20\. Nov\. 2026, 09:00 UTC\. Die Priorität wurde auf Kritisch angehoben\./);
    assert.match(spaced(mailsAbout(manager, incident)[1]!.text), /80% of the resolution time has passed; it is due Nov 20, 2026, 9:00 AM UTC\. The priority was raised to Critical\./);
  });

  test('when a person chooses German, then what is told from then on is German, and what they were told before stays as it was written', async () => {
    let switcher = await h.createUser('staff', h.department);
    const first = h.incident(germanReporter.user, { title: 'Before' });
    await h.handled((await h.publish('incident.created', { incident: first, actorId: germanReporter.user.id })).id);
    assert.equal((await inbox(switcher, first))[0]!.headline, `New incident ${first.key}: Before`);

    switcher = { ...switcher, user: await h.changeUser(switcher.user, { locale: 'de' }) };
    const second = h.incident(germanReporter.user, { title: 'After' });
    await h.handled((await h.publish('incident.created', { incident: second, actorId: germanReporter.user.id })).id);
    const [told] = await inbox(switcher, second);
    assert.equal(told!.headline, `Neuer Vorfall ${second.key}: After`);
    assert.equal(told!.detail, `Gemeldet von ${germanReporter.user.fullName}, Priorität Mittel.`);
    assert.equal((await inbox(switcher, first))[0]!.headline, `New incident ${first.key}: Before`);
  });
});
