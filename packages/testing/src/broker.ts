import { randomBytes } from 'node:crypto';

const DEFAULT_TEST_AMQP_URL = 'amqp://guest:guest@127.0.0.1:5672';

export function testAmqpUrl(): string {
  return process.env.TEST_AMQP_URL ?? DEFAULT_TEST_AMQP_URL;
}

/**
 * A prefix for exchange and queue names that only one test uses, so test files sharing a
 * broker never receive each other's messages.
 */
export function uniqueBrokerNamespace(label = 'test'): string {
  return `test-${label}-${randomBytes(4).toString('hex')}.`;
}
