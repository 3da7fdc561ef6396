import net from 'node:net';

/**
 * A TCP proxy in front of a real server (RabbitMQ, Postgres) that a test can cut: `cut()` drops
 * every open connection and refuses new ones until `restore()`, like the server going away and
 * coming back, without disturbing other tests that use the same server.
 */
export class TcpProxy {
  private server: net.Server | null = null;
  private readonly sockets = new Set<net.Socket>();
  /** Sockets whose traffic is silently dropped: a half-open link. */
  private readonly frozen = new Set<net.Socket>();
  private refusing = false;
  port = 0;

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  async start(): Promise<this> {
    this.server = net.createServer((client) => this.accept(client));
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this;
  }

  private accept(client: net.Socket): void {
    if (this.refusing) {
      client.destroy();
      return;
    }
    const upstream = net.connect(this.targetPort, this.targetHost);
    this.sockets.add(client);
    this.sockets.add(upstream);
    const dropBoth = () => {
      client.destroy();
      upstream.destroy();
      this.sockets.delete(client);
      this.sockets.delete(upstream);
    };
    client.on('error', dropBoth).on('close', dropBoth);
    upstream.on('error', dropBoth).on('close', dropBoth);
    // Forwarded by hand rather than piped, so that `freeze` can drop traffic without closing.
    client.on('data', (chunk: Buffer) => {
      if (!this.frozen.has(client)) upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!this.frozen.has(upstream)) client.write(chunk);
    });
  }

  /**
   * Stops forwarding on every open connection without closing it, as a link that went half-open
   * (a NAT or firewall dropping state): nothing arrives either way, and no FIN or RST tells
   * anyone. New connections are forwarded normally, unless `refuseNew` (then until `restore()`).
   */
  freeze({ refuseNew = false }: { refuseNew?: boolean } = {}): void {
    for (const socket of this.sockets) this.frozen.add(socket);
    // Refusing new connections too keeps a client that noticed from reconnecting until `restore()`.
    if (refuseNew) this.refusing = true;
  }

  /** Drops every connection now and refuses new ones. */
  cut(): void {
    this.refusing = true;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    this.frozen.clear();
  }

  restore(): void {
    this.refusing = false;
  }

  /** Rewrites a URL (amqp://…, postgres://…) to go through this proxy. */
  proxiedUrl(url: string): string {
    const parsed = new URL(url);
    parsed.hostname = '127.0.0.1';
    parsed.port = String(this.port);
    return parsed.toString();
  }

  async stop(): Promise<void> {
    this.cut();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
