import { randomBytes } from 'node:crypto';

const DEFAULT_TEST_AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

export function testAmqpUrl(): string {
  return process.env.TEST_AMQP_URL ?? DEFAULT_TEST_AMQP_URL;
}

/**
 * A prefix for exchange and queue names that only one test uses, so test files sharing a
 * broker never receive each other's messages: `test-<label>-t<unix seconds>-<random>.`. The time
 * lets `npm test` delete what an interrupted run left behind without touching the queues of a
 * run going on at the same time (scripts/run-tests.mjs deletes only namespaces over an hour old).
 */
export function uniqueBrokerNamespace(label = 'test'): string {
  return `test-${label}-t${Math.floor(Date.now() / 1000)}-${randomBytes(4).toString('hex')}.`;
}
