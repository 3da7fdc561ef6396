import os from 'node:os';
import { addWorkingMinutes, type WorkingCalendar } from '../../incident-service/src/sla/working-time.js';

// Due times for a million incidents: addWorkingMinutes on office hours in Europe/Berlin with
// holidays and a closure, starts spread over three years, targets from 30 minutes to 5 working
// days. Prints the time per due time; run: node --conditions=source --import tsx bench/sla/working-time.ts [--count 1000000]

const count = Number(process.argv[process.argv.indexOf('--count') + 1] || 1_000_000) || 1_000_000;
const hours = [{ start: '08:00', end: '12:00' }, { start: '13:00', end: '17:00' }];
const calendar: WorkingCalendar = {
  timeZone: 'Europe/Berlin',
  week: { 1: hours, 2: hours, 3: hours, 4: hours, 5: hours },
  holidays: ['2024-12-25', '2024-12-26', '2025-01-01', '2025-12-25', '2025-12-26', '2026-01-01', '2026-12-25', '2026-12-26'].map((date) => ({ date, name: 'Holiday' })),
  closures: [{ from: new Date('2025-06-02T08:00:00+02:00'), to: new Date('2025-06-06T17:00:00+02:00'), reason: 'Office move' }],
};
const targets = [30, 60, 240, 480, 960, 2400];
const from = Date.parse('2024-01-01T00:00:00Z');
const span = 3 * 365 * 86_400_000;
let seed = 42;
const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
const starts = Array.from({ length: count }, () => new Date(from + Math.floor(random() * span)));
const minutes = Array.from({ length: count }, () => targets[Math.floor(random() * targets.length)]!);

const started = performance.now();
let checksum = 0;
for (let i = 0; i < count; i += 1) checksum += addWorkingMinutes(calendar, starts[i]!, minutes[i]!).getTime() % 1000;
const seconds = (performance.now() - started) / 1000;
process.stdout.write(`${count.toLocaleString('en')} due times in ${seconds.toFixed(1)} s: ${((seconds * 1e6) / count).toFixed(1)} µs each (${Math.round(count / seconds).toLocaleString('en')} per second); machine ${os.cpus().length} CPUs, ${os.cpus()[0]?.model}, Node ${process.version}; checksum ${checksum}\n`);
