/**
 * Is a process with this id running (on this machine)? Signal 0 checks without sending anything;
 * EPERM means it runs under another user. For lock and reservation files that name their owner.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
