import { InProcessEventBus } from './in-process-bus.js';
import { eventBusContract, silentLogger } from './test-support/bus-contract.js';

eventBusContract('InProcessEventBus', (policy) => {
  const bus = new InProcessEventBus({ logger: silentLogger, policy });
  return Promise.resolve({ bus, dispose: () => bus.close() });
});
