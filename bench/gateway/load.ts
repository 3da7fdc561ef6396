import http from 'node:http';
import autocannon from 'autocannon';

/** One measured run of load, as the load process answers it. */
export interface LoadResult {
  requests: number;
  seconds: number;
  /** Milliseconds from sending each request to the end of its response. */
  latencies: number[];
  failures: number;
  statusCodes: Record<string, number>;
}

export type LoadSpec =
  | { kind: 'saturation'; url: string; token: string; connections: number; seconds: number }
  | { kind: 'paced'; url: string; token: string; rate: number; seconds: number };

/** As many requests as `connections` kept-alive connections can send, for `seconds` (autocannon). */
export function saturate(spec: Extract<LoadSpec, { kind: 'saturation' }>): Promise<LoadResult> {
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let failures = 0;
  const startedAt = performance.now();
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      { url: spec.url, connections: spec.connections, duration: spec.seconds, timeout: 30, headers: { authorization: `Bearer ${spec.token}` } },
      (error: Error | null, result) => {
        if (error) return reject(error);
        failures += result.errors + result.timeouts;
        resolve({ requests: latencies.length, seconds: (performance.now() - startedAt) / 1000, latencies, failures, statusCodes });
      },
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      statusCodes[statusCode] = (statusCodes[statusCode] ?? 0) + 1;
      if (statusCode !== 200) failures += 1;
      latencies.push(responseTime);
    });
  });
}

/**
 * An evenly paced load: one request every 1000/rate ms, each on a kept-alive connection, whether
 * or not earlier ones have answered (an open model, as real clients behave). autocannon's
 * `overallRate` sends each connection's share in a burst at the start of every second, which
 * measures queueing in the burst rather than what a request costs at this rate.
 */
export async function paced(spec: Extract<LoadSpec, { kind: 'paced' }>): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const total = Math.round(spec.rate * spec.seconds);
  const latencies: number[] = [];
  const statusCodes: Record<string, number> = {};
  let failures = 0;
  let outstanding = 0;
  let allSent = false;
  const startedAt = performance.now();
  return new Promise((resolve) => {
    const finish = () => {
      agent.destroy();
      resolve({ requests: latencies.length, seconds: (performance.now() - startedAt) / 1000, latencies, failures, statusCodes });
    };
    const done = () => {
      outstanding -= 1;
      if (allSent && outstanding === 0) finish();
    };
    const send = () => {
      const sentAt = performance.now();
      outstanding += 1;
      const request = http.get(spec.url, { agent, headers: { authorization: `Bearer ${spec.token}` } }, (response) => {
        response.resume();
        response.on('end', () => {
          latencies.push(performance.now() - sentAt);
          const code = String(response.statusCode);
          statusCodes[code] = (statusCodes[code] ?? 0) + 1;
          if (response.statusCode !== 200) failures += 1;
          done();
        });
      });
      request.on('error', () => {
        failures += 1;
        done();
      });
    };
    let sent = 0;
    const tick = () => {
      // Every request whose time has come, then a timer for the next one.
      while (sent < total && startedAt + (sent * 1000) / spec.rate <= performance.now()) {
        send();
        sent += 1;
      }
      if (sent < total) {
        setTimeout(tick, Math.max(0, startedAt + (sent * 1000) / spec.rate - performance.now()));
        return;
      }
      allSent = true;
      if (outstanding === 0) finish();
    };
    tick();
  });
}
