import dns from 'node:dns';
import net from 'node:net';
import ipaddr from 'ipaddr.js';

/** Whether `text` is a CIDR such as `10.0.0.0/8` or `fd00::/8`. */
export function isValidCidr(text: string): boolean {
  try {
    ipaddr.parseCIDR(text);
    return true;
  } catch {
    return false;
  }
}

/** A delivery refused before it connected: the target is an address webhooks may not reach. */
export class BlockedAddressError extends Error {
  readonly code = 'WEBHOOK_ADDRESS_BLOCKED';
  constructor(message: string) {
    super(message);
    this.name = 'BlockedAddressError';
  }
}

const RANGE_NAMES: Record<string, string> = {
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
  linkLocal: 'link-local',
  loopback: 'loopback',
  carrierGradeNat: 'carrier-grade NAT',
  private: 'private',
  uniqueLocal: 'private (unique local)',
  ipv4Mapped: 'IPv4-mapped',
  rfc6052: 'NAT64',
  rfc6145: 'IPv4-translated',
  '6to4': '6to4',
  teredo: 'Teredo',
  reserved: 'reserved',
};

/**
 * Decides which addresses webhooks may connect to: global unicast addresses, and those of the
 * networks the deployment allows (`WEBHOOK_ALLOWED_NETWORKS`). Everything else — private,
 * loopback, link-local (cloud metadata at 169.254.169.254), carrier-grade NAT, multicast,
 * reserved, and IPv6 forms that embed an IPv4 address — is refused, so that registering an
 * endpoint cannot be used to reach the platform's own network (SSRF).
 *
 * The check runs where the connection is made (`lookup`, which Node's HTTP client calls for
 * every new socket): a name that resolved to a public address when the endpoint was registered
 * and resolves to a private one later (DNS rebinding) is refused then, and so is any of several
 * addresses a name resolves to.
 */
export class AddressGuard {
  private readonly allowed: [ipaddr.IPv4 | ipaddr.IPv6, number][];

  constructor(allowedNetworks: readonly string[]) {
    this.allowed = allowedNetworks.map((cidr) => ipaddr.parseCIDR(cidr));
  }

  /** Why webhooks may not reach `address`, or undefined when they may. */
  refusal(address: string): string | undefined {
    let parsed: ipaddr.IPv4 | ipaddr.IPv6;
    try {
      // process() turns an IPv4-mapped IPv6 address (::ffff:127.0.0.1) into the IPv4 one it is.
      parsed = ipaddr.process(address);
    } catch {
      return `${address} is not an IP address`;
    }
    const range = parsed.range();
    if (range === 'unicast') return undefined;
    const allowed = this.allowed.some(([network, bits]) => network.kind() === parsed.kind() && parsed.match(network, bits));
    if (allowed) return undefined;
    return `${address} is a ${RANGE_NAMES[range] ?? range} address, which webhooks may not reach (allow its network in WEBHOOK_ALLOWED_NETWORKS if it is meant to be reached)`;
  }

  /** Why webhooks may not be sent to `url` as written (its host an IP literal that is refused); names are checked when connecting. */
  urlRefusal(url: URL): string | undefined {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    return net.isIP(host) ? this.refusal(host) : undefined;
  }

  /**
   * `lookup` for `http.request`: resolves the name and refuses the connection when any address
   * it resolves to is refused. An IP literal skips lookup in Node; the worker checks those with
   * `urlRefusal` before connecting.
   */
  readonly lookup: net.LookupFunction = (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
      if (error) {
        (callback as (error: Error) => void)(error);
        return;
      }
      for (const { address } of addresses) {
        const refusal = this.refusal(address);
        if (refusal) {
          (callback as (error: Error) => void)(new BlockedAddressError(`${hostname} resolves to ${refusal}`));
          return;
        }
      }
      if ((options).all) (callback as (error: null, addresses: dns.LookupAddress[]) => void)(null, addresses);
      else (callback as (error: null, address: string, family: number) => void)(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}
