/**
 * Mail in: the time from a mail to its incident. Mails at a steady rate to incident-service's
 * SMTP listener (nodemailer, a pool of connections, as a mail server relaying to the desk
 * would), from the organisation's reporters: most file a new incident, some are replies to a
 * filed incident's thread (comments), some carry an image attachment, and some are delivered
 * twice (the same Message-ID, as a retrying server would). Measured per mail from the start of
 * its SMTP transaction to the listener's 250, which it answers once the incident (or comment)
 * and its attachment are committed. None may be lost or doubled.
 *
 *   node --conditions=source --import tsx bench/mail-in/latency.ts [--rate 20] [--seconds 30]
 */
import { randomUUID } from 'node:crypto';
import { appendFileSync } from 'node:fs';
import { availableParallelism, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import sharp from 'sharp';
import { percentile, say, startBenchPlatform } from '../notifications/platform.js';

const { values: options } = parseArgs({
  options: {
    rate: { type: 'string', default: '20' },
    seconds: { type: 'string', default: '30' },
    connections: { type: 'string', default: '8' },
  },
});
const RATE = Number(options.rate);
const SECONDS = Number(options.seconds);
const CONNECTIONS = Number(options.connections);
const DATABASE_URL = process.env.BENCH_MAIL_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/desk_bench_mail';
const RESULTS = join(__dirname, '..', 'RESULTS.md');

interface Sent {
  kind: 'incident' | 'comment';
  attachment: boolean;
  twice: boolean;
  ms: number;
  ok: boolean;
}

async function main(): Promise<void> {
  const bench = await startBenchPlatform({
    databaseUrl: DATABASE_URL,
    incidents: 40,
    namespace: 'bench-mail-in',
    incident: { INBOUND_SMTP_PORT: '0', INBOUND_SMTP_HOST: '127.0.0.1', INBOUND_CATEGORY: 'Bench category', INBOUND_RATE_LIMIT: '100000' },
  });
  const { incidents, filed } = bench;
  const transport = nodemailer.createTransport({ host: '127.0.0.1', port: incidents.inboundSmtpPort!, secure: false, ignoreTLS: true, pool: true, maxConnections: CONNECTIONS, maxMessages: Infinity });
  try {
    const reporters = new Map(
      ((await incidents.db('users').select('id', 'email').where({ role: 'reporter' })) as { id: string; email: string }[]).map((row) => [row.id, row.email]),
    );
    const png = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#1d4ed8' } }).png().toBuffer();
    const run = randomUUID().slice(0, 8);
    say(`${reporters.size} reporters, ${filed.length} incidents to reply to; now ${RATE} mails per second for ${SECONDS} s over ${CONNECTIONS} SMTP connections…`);

    const sent: Sent[] = [];
    const pending: Promise<void>[] = [];
    const startedAt = performance.now();
    const total = RATE * SECONDS;
    for (let index = 0; index < total; index += 1) {
      const due = startedAt + (index * 1000) / RATE;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      // One in five a reply to a filed incident, as its reporter; one in four with an image; one in twenty delivered twice.
      const reply = index % 5 === 4;
      const incident = filed[index % filed.length]!;
      const from = reply ? reporters.get(incident.reporterId)! : [...reporters.values()][index % reporters.size]!;
      const mail: SendMailOptions = {
        from,
        to: 'desk@example.com',
        messageId: `<bench-${run}-${index}@mail.bench.example.com>`,
        ...(reply
          ? { subject: `Re: [${incident.key}] ${incident.title}`, references: [`<incident-${incident.id}@example.com>`], text: `Reply ${index}.\n\nOn Mon, 7 Dec 2026, Desk <desk@example.com> wrote:\n> earlier` }
          : { subject: `Mail bench ${run} ${index}`, text: `Mail ${index} of the benchmark.` }),
        ...(index % 4 === 0 ? { attachments: [{ filename: `screen-${index}.png`, content: png }] } : {}),
      };
      const twice = index % 20 === 7;
      const one = async () => {
        const began = performance.now();
        try {
          const info = (await transport.sendMail(mail)) as { response: string };
          return { ms: performance.now() - began, ok: /^250/.test(info.response) };
        } catch {
          return { ms: performance.now() - began, ok: false };
        }
      };
      pending.push(
        (async () => {
          const first = await one();
          sent.push({ kind: reply ? 'comment' : 'incident', attachment: index % 4 === 0, twice, ...first });
          if (twice) await one();
        })(),
      );
      if (index % (RATE * 10) === 0 && index > 0) say(`  ${index} mails sent, ${sent.length} answered`);
    }
    await Promise.all(pending);
    const elapsed = (performance.now() - startedAt) / 1000;

    const newMails = sent.filter((mail) => mail.kind === 'incident').length;
    const replies = sent.filter((mail) => mail.kind === 'comment').length;
    const [{ count: incidentCount }] = (await incidents.db('incidents').where('title', 'like', `Mail bench ${run} %`).count('* as count')) as [{ count: string }];
    const [{ count: commentCount }] = (await incidents.db('comments').where('content', 'like', 'Reply %').count('* as count')) as [{ count: string }];
    const [{ count: attachmentCount }] = (await incidents.db('attachments').where('file_name', 'like', 'screen-%').count('* as count')) as [{ count: string }];
    const failed = sent.filter((mail) => !mail.ok).length;
    const lostOrDoubled = { incidents: Number(incidentCount) - newMails, comments: Number(commentCount) - replies, attachments: Number(attachmentCount) - sent.filter((mail) => mail.attachment).length };
    const all = sent.map((mail) => mail.ms).sort((a, b) => a - b);
    const of = (pick: (mail: Sent) => boolean) => sent.filter(pick).map((mail) => mail.ms).sort((a, b) => a - b);
    const cell = (values: number[]) => `${percentile(values, 0.5).toFixed(0)} / ${percentile(values, 0.95).toFixed(0)} / ${percentile(values, 0.99).toFixed(0)}`;
    const pass = failed === 0 && lostOrDoubled.incidents === 0 && lostOrDoubled.comments === 0 && lostOrDoubled.attachments === 0;
    const lines = [
      '',
      `## Mail in — ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
      '',
      `- machine: ${availableParallelism()} CPUs (nproc), ${(totalmem() / 2 ** 30).toFixed(1)} GiB memory, ${cpus()[0]?.model ?? 'unknown CPU'}; Node ${process.version}`,
      `- incident-service (its SMTP listener) and notification-service in one Node process with the load generator (nodemailer, a pool of ${CONNECTIONS} SMTP connections), each service on its own RabbitMQ connection; Postgres and RabbitMQ on the same machine`,
      `- load: ${RATE} mails per second (evenly paced) for ${SECONDS} s from ${reporters.size} reporters: 4 in 5 new incidents, 1 in 5 replies to a filed incident's thread (comments, quote removed), 1 in 4 with a 320×240 PNG, 1 in 20 delivered twice with the same Message-ID; measured from the start of each SMTP transaction to the listener's 250, answered once the incident or comment and its attachment are committed`,
      '',
      '| mails | p50 / p95 / p99 ms, all | new incidents | replies (comments) | with an attachment | failed | incidents, comments, attachments lost (−) or doubled (+) | result |',
      '|---|---|---|---|---|---|---|---|',
      `| ${sent.length.toLocaleString('en')} in ${elapsed.toFixed(1)} s | ${cell(all)} | ${cell(of((mail) => mail.kind === 'incident' && !mail.attachment))} | ${cell(of((mail) => mail.kind === 'comment' && !mail.attachment))} | ${cell(of((mail) => mail.attachment))} | ${failed} | ${lostOrDoubled.incidents}, ${lostOrDoubled.comments}, ${lostOrDoubled.attachments} | ${pass ? 'pass' : 'FAIL'} |`,
      '',
    ];
    appendFileSync(RESULTS, `${lines.join('\n')}\n`);
    say(lines.join('\n'));
    process.exitCode = pass ? 0 : 1;
  } finally {
    transport.close();
    await bench.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
