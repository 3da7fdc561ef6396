import net from 'node:net';
import { LaunchError } from './data-directory.js';

/** Fails with a message naming the port and the variable to change, before anything starts. */
export async function assertPortsFree(ports: { port: number; variable: string }[], host: string): Promise<void> {
  for (const { port, variable } of ports) {
    if (port === 0) continue;
    await new Promise<void>((resolve, reject) => {
      const probe = net.createServer();
      probe.once('error', (error: NodeJS.ErrnoException) => {
        reject(
          error.code === 'EADDRINUSE'
            ? new LaunchError(`Port ${port} is already in use. Stop what is using it (for example another \`npm start\`), or set ${variable} to a free port.`)
            : error,
        );
      });
      probe.listen(port, host, () => probe.close(() => resolve()));
    });
  }
}
