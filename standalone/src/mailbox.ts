import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { SMTPServer } from 'smtp-server';

export interface Mailbox {
  /** `smtp://127.0.0.1:<port>`: what the services send through when SMTP_URL is not set. */
  url: string;
  directory: string;
  stop(): Promise<void>;
}

/**
 * The local mailbox of the standalone mode: a real SMTP server on this machine only that keeps
 * every message it receives as an `.eml` file (any mail client opens them), so email works on a
 * fresh machine without an account anywhere and without sending anything out.
 */
export async function startMailbox(directory: string, port: number): Promise<Mailbox> {
  mkdirSync(directory, { recursive: true });
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    size: 25 * 1024 * 1024,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('error', callback);
      stream.on('end', () => {
        const recipients = session.envelope.rcptTo.map((address) => address.address).join(', ');
        const name = `${new Date().toISOString().replace(/[:.]/g, '-')}-${randomBytes(3).toString('hex')}.eml`;
        // The envelope recipients first (Bcc is not in the headers), then the message as received.
        writeFileSync(path.join(directory, name), Buffer.concat([Buffer.from(`X-Envelope-To: ${recipients}\r\n`), ...chunks]));
        callback();
      });
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.server.address() as AddressInfo;
  return {
    url: `smtp://127.0.0.1:${address.port}`,
    directory,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
