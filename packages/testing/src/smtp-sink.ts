import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerSession } from 'smtp-server';

export interface ReceivedMail {
  from: string;
  /** Envelope recipients (RCPT TO). */
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
  inReplyTo: string | undefined;
  references: string[];
  /** Header name (lower case) → value as text. */
  headers: Map<string, string>;
  /** When the sink accepted it (Date.now()). */
  receivedAt: number;
  /** The whole mail, parsed; undefined for a headers-only sink. */
  parsed: ParsedMail | undefined;
}

/** How the sink answers the next mails: accept them, or refuse for now (4xx) or for good (5xx). */
export type SinkMode = 'accept' | 'temporary-failure' | 'permanent-failure';

/**
 * A real SMTP server in the test process: mail sent with nodemailer over TCP lands here, parsed.
 * `stop()` and `start()` again on the same port play an SMTP server that is down for a while.
 */
export class SmtpSink {
  readonly mails: ReceivedMail[] = [];
  mode: SinkMode = 'accept';
  private server: SMTPServer | undefined;
  private port = 0;

  /**
   * `headersOnly` keeps only the envelope and the header block of each mail (subject, ids,
   * headers; no bodies): what a benchmark needs, at a fraction of the CPU of parsing MIME.
   */
  constructor(private readonly options: { headersOnly?: boolean } = {}) {}

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      // a stopped sink drops the senders' open connections at once
      closeTimeout: 100,
      logger: false,
      onData: (stream, session: SMTPServerSession, callback) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          if (this.mode !== 'accept') {
            const error = Object.assign(new Error(this.mode === 'temporary-failure' ? 'Try again later' : 'Mailbox unavailable'), {
              responseCode: this.mode === 'temporary-failure' ? 451 : 550,
            });
            callback(error);
            return;
          }
          const receivedAt = Date.now();
          if (this.options.headersOnly) {
            const raw = Buffer.concat(chunks).toString('utf8');
            const block = raw.slice(0, raw.search(/\r?\n\r?\n/)).replace(/\r?\n[ \t]+/g, ' ');
            const headers = new Map<string, string>();
            for (const line of block.split(/\r?\n/)) {
              const colon = line.indexOf(':');
              if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
            }
            this.mails.push({
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              to: session.envelope.rcptTo.map((recipient) => recipient.address),
              subject: headers.get('subject') ?? '',
              text: '',
              html: '',
              messageId: headers.get('message-id') ?? '',
              inReplyTo: headers.get('in-reply-to'),
              references: (headers.get('references') ?? '').split(/\s+/).filter(Boolean),
              headers,
              receivedAt,
              parsed: undefined,
            });
            callback();
            return;
          }
          simpleParser(Buffer.concat(chunks)).then(
            (parsed) => {
              const references = parsed.references === undefined ? [] : Array.isArray(parsed.references) ? parsed.references : [parsed.references];
              const headers = new Map<string, string>();
              for (const line of parsed.headerLines) headers.set(line.key, line.line.slice(line.line.indexOf(':') + 1).trim());
              this.mails.push({
                from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
                to: session.envelope.rcptTo.map((recipient) => recipient.address),
                subject: parsed.subject ?? '',
                text: parsed.text ?? '',
                html: typeof parsed.html === 'string' ? parsed.html : '',
                messageId: parsed.messageId ?? '',
                inReplyTo: parsed.inReplyTo,
                references,
                headers,
                receivedAt,
                parsed,
              });
              callback();
            },
            (error: Error) => callback(error),
          );
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    this.port = (server.server.address() as AddressInfo).port;
    this.server = server;
    return this;
  }

  /** Stops listening and drops open connections: the SMTP server is down. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** Mails to one address. */
  to(address: string): ReceivedMail[] {
    return this.mails.filter((mail) => mail.to.includes(address.toLowerCase()) || mail.to.includes(address));
  }
}
