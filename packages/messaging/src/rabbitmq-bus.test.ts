import { testAmqpUrl, uniqueBrokerNamespace } from '@desk/testing';
import { RabbitMqEventBus } from './rabbitmq-bus.js';
import { eventBusContract, silentLogger } from './test-support/bus-contract.js';

eventBusContract('RabbitMqEventBus', async (policy) => {
  const bus = await RabbitMqEventBus.connect({
    url: testAmqpUrl(),
    logger: silentLogger,
    connectionName: 'messaging contract test',
    namespace: uniqueBrokerNamespace('contract'),
    policy,
  });
  await bus.waitUntilConnected(10_000);
  return {
    bus,
    async dispose() {
      await bus.deleteTopology();
      await bus.close();
    },
  };
});
