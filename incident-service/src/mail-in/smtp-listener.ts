import type { AddressInfo } from 'node:net';
import { hostname } from 'node:os';
import type { Logger } from '@desk/platform';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';
import type { MailIn, Verdict } from './mail-in.js';

export interface SmtpListener {
  port: number;
  close(): Promise<void>;
}

const refusal = (verdict: Verdict) => Object.assign(new Error(verdict.message), { responseCode: verdict.code });

/**
 * The desk's SMTP listener (RFC 5321, no AUTH: it is where mail for the desk's addresses is
 * delivered, by the organisation's mail server or straight from senders). Recipients it does not
 * serve are refused at RCPT; a mail over INBOUND_MAX_BYTES is refused while it is sent (552);
 * otherwise the answer to DATA is MailIn's verdict, given only once the mail is kept.
 */
export async function listenForMail(mailIn: MailIn, options: { host: string; port: number; maxBytes: number; logger: Logger; tls?: { cert: Buffer; key: Buffer } | undefined }): Promise<SmtpListener> {
  const server = new SMTPServer({
    name: hostname(),
    banner: 'Service desk',
    authOptional: true,
    // STARTTLS when a certificate is configured; senders' servers use it when offered.
    disabledCommands: options.tls ? ['AUTH'] : ['AUTH', 'STARTTLS'],
    ...(options.tls ? { cert: options.tls.cert, key: options.tls.key } : {}),
    size: options.maxBytes,
    logger: false,
    // Plenty for a person's mail server; no one connection can hold the listener.
    maxClients: 100,
    socketTimeout: 60_000,
    onRcptTo(address, _session, callback) {
      if (mailIn.accepts(address.address)) return callback();
      callback(refusal({ code: 550, message: `5.1.1 <${address.address}>: no such mailbox at this service desk.` }));
    },
    onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => {
        if (!stream.sizeExceeded) chunks.push(chunk);
      });
      stream.on('error', (error) => callback(error));
      stream.on('end', () => {
        if (stream.sizeExceeded) {
          callback(Object.assign(new Error(`5.3.4 The mail is larger than the ${options.maxBytes} bytes this desk takes.`), { responseCode: 552 }));
          return;
        }
        const envelope = {
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((recipient) => recipient.address),
        };
        mailIn.receive(envelope, Buffer.concat(chunks)).then(
          (verdict) => (verdict.code === 250 ? callback(null, verdict.message) : callback(refusal(verdict))),
          (error: unknown) => {
            // Nothing was kept: the sending server tries again later.
            options.logger.error({ err: error }, 'an inbound mail could not be kept; the sender was told to try again');
            callback(refusal({ code: 451, message: '4.3.0 The desk could not take the mail just now; try again later.' }));
          },
        );
      });
    },
  });
  server.on('error', (error) => options.logger.warn({ err: error }, 'inbound SMTP listener error'));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.server.address() as AddressInfo).port;
  options.logger.info({ port, host: options.host }, 'listening for inbound mail (SMTP)');
  return {
    port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
