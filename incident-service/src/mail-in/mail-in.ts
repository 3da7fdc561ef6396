import { createHash } from 'node:crypto';
import type { Caller } from '@desk/auth';
import { incidentKey, LOCALES, negotiateLocale, type Locale, type UserRole } from '@desk/contracts';
import { AppError } from '@desk/platform';
import EmailReplyParser from 'email-reply-parser';
import type { Knex } from 'knex';
import { simpleParser, type Attachment as MailAttachment, type ParsedMail } from 'mailparser';
import { Readable } from 'node:stream';
import { attachStream } from '../attachments/upload.use-case.js';
import { addComment } from '../comments/add-comment.use-case.js';
import type { IncidentDependencies } from '../dependencies.js';
import { actorOf, factsOf } from '../incidents/actor.js';
import { createIncident } from '../incidents/create-incident.use-case.js';
import { findIncident, type IncidentRow } from '../incidents/incidents.repository.js';
import { maySee } from '../incidents/visibility.js';
import { automaticMail } from './automatic-mail.js';
import { requestSenderRegistration } from './sender-registration.js';

/** What the SMTP listener answers the sending server: 250 taken, 4xx try again later, 5xx never. */
export interface Verdict {
  code: 250 | 450 | 451 | 550 | 554;
  message: string;
}

export interface InboundRoute {
  address: string;
  categoryName: string;
}

/** `it@example.com=Network; hr@example.com=Payroll` → routes; a malformed entry stops the service at start. */
export function parseRoutes(text: string): InboundRoute[] {
  return text
    .split(/[;\n]/)
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const match = /^([^=\s]+@[^=\s]+)\s*=\s*(.+)$/.exec(entry);
      if (!match) throw new Error(`INBOUND_ROUTES: "${entry}" is not address=Category name`);
      return { address: match[1]!.toLowerCase(), categoryName: match[2]!.trim() };
    });
}

interface MailRow {
  id: string;
  message_id: string;
  recipient: string;
  sender: string;
  sender_name: string | null;
  subject: string;
  raw: Buffer | null;
  status: 'received' | 'awaiting_sender' | 'filed' | 'ignored' | 'rejected';
  incident_id: string | null;
  comment_id: string | null;
  attachment_count: number;
  attachments_done: number;
  received_at: Date;
}

interface SenderRow {
  id: string;
  full_name: string;
  role: UserRole;
  department_id: string | null;
  is_active: boolean;
}

/** A mail's sender as the caller of what it does: a person, signed in by having their address. */
function callerOf(user: SenderRow): Caller {
  const now = new Date();
  return { kind: 'user', id: user.id, role: user.role, departmentId: user.department_id, scopes: [], tokenId: 'mail', sessionId: null, clientId: null, issuedAt: now, expiresAt: now };
}

/** The thread root every notification mail about an incident names (notification-service's links.ts). */
const THREAD_ROOT = /<incident-([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})@/i;
const SUBJECT_KEY = /\[(INC-\d{6,})\]/;
/** How long a lease on a mail being filed lasts; a process that died holding one leaves it to the sweep after this. */
const LEASE_SECONDS = 60;
/** How long a mail from an unknown address waits for its sender to finish registering. */
const AWAIT_SENDER_MS = 3 * 86_400_000;
const TITLE_MAX = 200;
const TEXT_MAX = 10_000;

const clip = (text: string, limit: number) => (text.length > limit ? `${text.slice(0, limit - 1)}…` : text);

/** The files of a mail: its attachments, not the images its HTML shows inline (logos, signatures). */
const filesOf = (mail: ParsedMail): MailAttachment[] => mail.attachments.filter((attachment) => !attachment.related);

/**
 * The language a mail is written in, when its headers say one the desk writes in
 * (`Content-Language`, or the `Accept-Language` some mail clients send): the sender's
 * verification mail is then in it too.
 */
function languageOf(headerLines: readonly { key: string; line: string }[]): Locale | undefined {
  for (const name of ['content-language', 'accept-language']) {
    const found = headerLines.find((entry) => entry.key === name);
    if (!found) continue;
    const value = found.line.slice(found.line.indexOf(':') + 1).trim();
    const language = value.toLowerCase().split(/[-,;\s]/)[0] ?? '';
    if ((LOCALES as readonly string[]).includes(language)) return negotiateLocale(value);
  }
  return undefined;
}

/** What a person wrote in a reply, without the quoted mail below it and their signature. */
export function replyText(text: string): string {
  return new EmailReplyParser().read(text.replace(/\r\n/g, '\n')).getVisibleText().trim();
}

/**
 * Mail in: the desk's mailbox. `receive` decides, while the sending server waits, whether to take
 * a mail (a known sender, not automatic, within the sender's hourly budget) and keeps what it
 * takes whole in `inbound_mails` before it answers 250; `file` turns a kept mail into an incident,
 * or a reply into a public comment, with the mail's row marked filed in the same transaction, and
 * then its attachments, each counted in the transaction that records it. A mail sent twice (same
 * Message-ID) is one row; a process stopping anywhere leaves a row the sweep files later, never
 * twice.
 */
export class MailIn {
  private readonly routes: InboundRoute[];
  private readonly ownAddresses: Set<string>;
  private sweeper: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;
  private readonly filing = new Set<Promise<unknown>>();

  constructor(private readonly deps: IncidentDependencies) {
    this.routes = parseRoutes(deps.config.INBOUND_ROUTES);
    this.ownAddresses = new Set([deps.config.INBOUND_ADDRESS, ...this.routes.map((route) => route.address)]);
  }

  /** Whether the desk takes mail for this address: its own, a `+tag` of it, or a routed one. */
  accepts(address: string): boolean {
    return this.ownAddresses.has(address.trim().toLowerCase().replace(/\+[^@]*@/, '@'));
  }

  /** Decides on a mail, keeps it when taken, and files it at once (the sweep files it if that fails). */
  async receive(envelope: { from: string; to: string[] }, raw: Buffer): Promise<Verdict> {
    const { db, logger, config } = this.deps;
    let mail: ParsedMail;
    try {
      mail = await simpleParser(raw, { skipImageLinks: true, skipTextLinks: true });
    } catch (error) {
      logger.warn({ err: error }, 'inbound mail could not be parsed');
      return { code: 554, message: '5.6.0 The message could not be read as a mail.' };
    }
    const fromAddress = mail.from?.value[0]?.address?.trim().toLowerCase() ?? '';
    if (!fromAddress) return { code: 550, message: '5.1.7 The mail has no From address.' };
    const senderName = mail.from?.value[0]?.name?.trim() || null;
    const messageId = mail.messageId?.trim() || `<${createHash('sha256').update(raw).digest('hex')}@inbound.desk>`;
    const recipient = envelope.to.find((address) => this.accepts(address))?.toLowerCase() ?? config.INBOUND_ADDRESS;
    const subject = (mail.subject ?? '').trim();
    const row = { message_id: messageId, envelope_from: envelope.from.toLowerCase(), recipient, sender: fromAddress, sender_name: senderName, subject: clip(subject, 1000), size_bytes: raw.length };

    const automatic = automaticMail({ envelopeFrom: envelope.from, from: fromAddress, headerLines: mail.headerLines, subject, ownAddresses: this.ownAddresses });
    if (automatic) {
      // Taken, so the sending machine stops, and recorded; never filed, never answered.
      await db('inbound_mails').insert({ ...row, status: 'ignored', outcome: automatic }).onConflict('message_id').ignore();
      logger.info({ sender: fromAddress, reason: automatic }, 'inbound mail is automatic: recorded, not filed');
      return { code: 250, message: `2.0.0 Accepted; not filed (${automatic}).` };
    }

    const sender = await this.senderOf(fromAddress);
    if (!sender && config.INBOUND_UNKNOWN_SENDERS === 'refuse') {
      logger.info({ sender: fromAddress }, 'inbound mail from an address with no account: refused');
      return { code: 550, message: `5.7.1 No account at this service desk has the address ${fromAddress}. Ask the desk for one, or report the incident in its portal.` };
    }
    const recent = await db('inbound_mails')
      .where({ sender: fromAddress })
      .whereNot({ status: 'ignored' })
      .where('received_at', '>', db.raw("now() - interval '1 hour'"))
      .count<{ count: string }[]>('* as count');
    if (Number(recent[0]?.count ?? 0) >= config.INBOUND_RATE_LIMIT) {
      logger.warn({ sender: fromAddress, limit: config.INBOUND_RATE_LIMIT }, 'inbound mail deferred: the sender had their hourly budget');
      return { code: 450, message: `4.7.1 ${fromAddress} has sent ${config.INBOUND_RATE_LIMIT} mails to the desk within the hour; try again later.` };
    }

    const inserted = await db('inbound_mails')
      .insert({ ...row, raw, status: sender ? 'received' : 'awaiting_sender', attachment_count: filesOf(mail).length })
      .onConflict('message_id')
      .ignore()
      .returning<{ id: string }[]>('id');
    const id = inserted[0]?.id;
    if (!id) return { code: 250, message: '2.0.0 Accepted (this mail was received before).' };
    logger.info({ mailId: id, sender: fromAddress, bytes: raw.length }, 'inbound mail received');
    if (!sender) {
      await this.track(this.requestRegistration(id, fromAddress, senderName, languageOf(mail.headerLines)));
      return { code: 250, message: `2.0.0 Accepted; ${fromAddress} is mailed a link to finish registering, and the mail is filed once they have.` };
    }
    // Filed with the mail as parsed here: only the sweep parses a kept mail again.
    const filed = await this.track(this.file(id, mail));
    return { code: 250, message: filed ? `2.0.0 Accepted; filed on ${filed}.` : '2.0.0 Accepted; it will be filed shortly.' };
  }

  /**
   * Files a kept mail, once: a lease taken in one statement keeps two processes from working on
   * it at once, and each step is marked done in the transaction that does it. Resolves the
   * incident's key when filed, undefined when the mail is not (yet) fileable.
   */
  async file(id: string, parsed?: ParsedMail): Promise<string | undefined> {
    const { db, logger } = this.deps;
    const leased = await db('inbound_mails')
      .where({ id })
      .where((query) => query.whereNull('lease_until').orWhere('lease_until', '<', db.fn.now()))
      .where((query) => query.whereIn('status', ['received', 'awaiting_sender']).orWhere((filed) => filed.where('status', 'filed').whereRaw('attachments_done < attachment_count')))
      .update({ lease_until: db.raw(`now() + interval '${LEASE_SECONDS} seconds'`), attempts: db.raw('attempts + 1') })
      .returning<MailRow[]>(['id', 'message_id', 'recipient', 'sender', 'sender_name', 'subject', 'raw', 'status', 'incident_id', 'comment_id', 'attachment_count', 'attachments_done', 'received_at']);
    const row = leased[0];
    if (!row) return undefined;
    try {
      const key = await this.fileLeased(row, parsed);
      await db('inbound_mails').where({ id }).update({ lease_until: null, last_error: null });
      return key;
    } catch (error) {
      // Left leased: the sweep tries again when the lease ends.
      logger.warn({ err: error, mailId: id }, 'filing an inbound mail failed; it will be tried again');
      await db('inbound_mails')
        .where({ id })
        .update({ last_error: clip(error instanceof Error ? error.message : String(error), 1000) })
        .catch(() => undefined);
      return undefined;
    }
  }

  private async fileLeased(row: MailRow, parsed?: ParsedMail): Promise<string | undefined> {
    const { db, logger } = this.deps;
    const sender = await this.senderOf(row.sender);
    if (row.status === 'awaiting_sender') {
      if (!sender) {
        if (Date.now() - row.received_at.getTime() > AWAIT_SENDER_MS) {
          await this.reject(row.id, 'sender-never-registered');
        }
        return undefined;
      }
      await db('inbound_mails').where({ id: row.id, status: 'awaiting_sender' }).update({ status: 'received' });
      row.status = 'received';
    }
    if (!sender) {
      // The account was deactivated (or its address changed) since the mail was taken.
      await this.reject(row.id, 'sender-has-no-active-account');
      return undefined;
    }
    const caller = callerOf(sender);
    const mail = parsed ?? (await simpleParser(row.raw ?? Buffer.alloc(0), { skipImageLinks: true, skipTextLinks: true }));
    let incident: IncidentRow | undefined = row.incident_id ? await findIncident(db, row.incident_id) : undefined;
    let commentId = row.comment_id;

    if (row.status === 'received') {
      const replyTo = await this.repliedIncident(mail, row.subject);
      const markFiled = (outcome: 'incident' | 'comment') => async (trx: Knex.Transaction, made: { id: string; incident_id?: string }) => {
        const updated = await trx('inbound_mails')
          .where({ id: row.id, status: 'received' })
          .update({ status: 'filed', outcome, incident_id: made.incident_id ?? made.id, comment_id: outcome === 'comment' ? made.id : null, filed_at: trx.fn.now() });
        // Another process filed it first: this transaction is undone, nothing is doubled.
        if (updated !== 1) throw new Error('the mail was filed by another process');
      };
      if (replyTo && maySee(actorOf(caller), factsOf(replyTo), caller.scopes)) {
        const written = replyText(mail.text ?? '');
        const files = filesOf(mail).length;
        const content = written || (files > 0 ? `(Sent by mail with ${files === 1 ? 'an attachment' : `${files} attachments`}.)` : '');
        if (!content) {
          await this.reject(row.id, 'empty-reply', replyTo.id);
          return incidentKey(replyTo.number);
        }
        const comment = await addComment(this.deps, caller, replyTo.id, { content: clip(content, TEXT_MAX), isInternal: false }, { within: markFiled('comment') });
        incident = replyTo;
        commentId = comment.id;
        logger.info({ mailId: row.id, incidentId: replyTo.id, commentId: comment.id }, 'inbound mail filed as a comment');
      } else {
        const categoryId = await this.categoryFor(row.recipient);
        if (!categoryId) {
          await this.reject(row.id, 'no-category');
          return undefined;
        }
        const title = row.subject.replace(/^\s*((re|aw|fwd?|wg)\s*:\s*)+/i, '').trim();
        const description = (mail.text ?? '').replace(/\r\n/g, '\n').trim();
        try {
          const created = await createIncident(
            this.deps,
            caller,
            {
              title: title.length >= 3 ? clip(title, TITLE_MAX) : `Mail from ${row.sender_name ?? row.sender}`,
              description: clip(description, TEXT_MAX),
              categoryId,
            },
            undefined,
            { within: markFiled('incident') },
          );
          incident = await findIncident(db, created.incident.id);
          logger.info({ mailId: row.id, incidentId: created.incident.id, key: created.incident.key }, 'inbound mail filed as an incident');
        } catch (error) {
          if (error instanceof AppError && error.status < 500) {
            await this.reject(row.id, error.code);
            return undefined;
          }
          throw error;
        }
      }
    }
    if (!incident) return undefined;

    // The attachments, one by one, each counted with the attachment it made.
    const files = filesOf(mail);
    for (let index = row.attachments_done; index < files.length; index += 1) {
      const file = files[index]!;
      const countIt = async (trx: Knex.Transaction) => {
        const updated = await trx('inbound_mails').where({ id: row.id, attachments_done: index }).update({ attachments_done: index + 1 });
        if (updated !== 1) throw new Error('the attachment was filed by another process');
      };
      try {
        await attachStream(this.deps, caller, incident.id, Readable.from(file.content), file.filename ?? `attachment-${index + 1}`, { commentId, within: countIt });
      } catch (error) {
        if (!(error instanceof AppError) || error.status >= 500) throw error;
        // A file the desk does not take (its type, its size): skipped and said, the rest filed.
        logger.info({ mailId: row.id, fileName: file.filename, code: error.code }, 'an attachment of an inbound mail was not taken');
        await db('inbound_mails')
          .where({ id: row.id, attachments_done: index })
          .update({
            attachments_done: index + 1,
            skipped_attachments: db.raw('skipped_attachments || ?::jsonb', [JSON.stringify([{ fileName: file.filename ?? null, code: error.code, detail: error.detail ?? null }])]),
          });
      }
    }
    // Filed whole: the mail itself is no longer needed.
    await db('inbound_mails').where({ id: row.id, status: 'filed' }).whereRaw('attachments_done >= attachment_count').update({ raw: null });
    return incidentKey(incident.number);
  }

  /** The incident a mail answers: named by the thread of a notification mail, or by `[INC-…]` in the subject. */
  private async repliedIncident(mail: ParsedMail, subject: string): Promise<IncidentRow | undefined> {
    const references = [mail.inReplyTo ?? '', ...(Array.isArray(mail.references) ? mail.references : [mail.references ?? ''])].join(' ');
    const root = THREAD_ROOT.exec(references)?.[1];
    if (root) {
      const incident = await findIncident(this.deps.db, root.toLowerCase());
      if (incident) return incident;
    }
    const key = SUBJECT_KEY.exec(subject)?.[1];
    return key ? findIncident(this.deps.db, key) : undefined;
  }

  /** The category mail to this address is filed in: its route's, or INBOUND_CATEGORY, or the oldest active one. */
  private async categoryFor(recipient: string): Promise<string | undefined> {
    const { db, config } = this.deps;
    const base = recipient.replace(/\+[^@]*@/, '@');
    const name = this.routes.find((route) => route.address === base)?.categoryName ?? config.INBOUND_CATEGORY;
    const query = db('categories').select('id').where({ is_active: true });
    const row = name
      ? await query.whereRaw('lower(name) = lower(?)', [name]).first<{ id: string } | undefined>()
      : await query.orderBy('created_at').orderBy('id').first<{ id: string } | undefined>();
    if (!row) this.deps.logger.error({ recipient, category: name ?? '(the oldest active)' }, 'no active category to file inbound mail in: check INBOUND_CATEGORY and INBOUND_ROUTES');
    return row?.id;
  }

  /** The active account with this address, from the replica of identity's users. */
  private async senderOf(address: string): Promise<SenderRow | undefined> {
    return this.deps.db('users')
      .select('id', 'full_name', 'role', 'department_id', 'is_active')
      .whereRaw('lower(email) = ?', [address])
      .where({ is_active: true })
      .first<SenderRow | undefined>();
  }

  private async reject(id: string, outcome: string, incidentId?: string): Promise<void> {
    await this.deps.db('inbound_mails')
      .where({ id })
      .update({ status: 'rejected', outcome, raw: null, ...(incidentId ? { incident_id: incidentId } : {}) });
    this.deps.logger.info({ mailId: id, outcome }, 'inbound mail not filed');
  }

  private async requestRegistration(id: string, address: string, name: string | null, locale?: Locale): Promise<void> {
    try {
      await requestSenderRegistration(this.deps, { email: address, fullName: name ?? address.split('@')[0]!, locale });
    } catch (error) {
      // Kept all the same: the sweep asks again.
      this.deps.logger.warn({ err: error, mailId: id }, 'could not ask identity-service to register the sender of an inbound mail; asking again later');
      await this.deps.db('inbound_mails').where({ id }).update({ last_error: 'registration not requested yet' });
    }
  }

  private async track<T>(work: Promise<T>): Promise<T> {
    this.filing.add(work);
    try {
      return await work;
    } finally {
      this.filing.delete(work);
    }
  }

  /** Files what is left to file: mails whose filing failed or stopped half way, and senders who have since registered. */
  async sweep(): Promise<void> {
    const { db } = this.deps;
    const rows = await db('inbound_mails')
      .select('id', 'status', 'sender', 'sender_name', 'last_error')
      .where((query) => query.whereIn('status', ['received', 'awaiting_sender']).orWhere((filed) => filed.where('status', 'filed').whereRaw('attachments_done < attachment_count')))
      .where((query) => query.whereNull('lease_until').orWhere('lease_until', '<', db.fn.now()))
      .orderBy('received_at')
      .limit(50);
    for (const row of rows as { id: string; status: string; sender: string; sender_name: string | null; last_error: string | null }[]) {
      if (row.status === 'awaiting_sender' && row.last_error === 'registration not requested yet') {
        await db('inbound_mails').where({ id: row.id }).update({ last_error: null });
        await this.requestRegistration(row.id, row.sender, row.sender_name);
      }
      await this.track(this.file(row.id));
    }
  }

  start(intervalMs = 15_000): void {
    this.sweeper = setInterval(() => {
      if (this.sweeping) return;
      this.sweeping = this.sweep()
        .catch((error: unknown) => this.deps.logger.warn({ err: error }, 'sweeping inbound mail failed'))
        .finally(() => {
          this.sweeping = undefined;
        });
    }, intervalMs);
    this.sweeper.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.sweeper);
    await this.sweeping;
    await Promise.allSettled([...this.filing]);
  }
}
