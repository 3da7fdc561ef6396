export interface ClaimLoopOptions<Row> {
  /** How often due work is looked for besides pokes (retries come due on their own). */
  pollIntervalMs: number;
  /** How long a poke waits for more, so that work recorded close together is claimed in one statement. */
  pokeDelayMs: number;
  /** Senders free right now. */
  free(): number;
  /** Claims up to `limit` rows of due work. */
  claim(limit: number): Promise<Row[]>;
  /** Starts sending one claimed row; it pokes the loop again when done. */
  launch(row: Row): void;
  /** On every poll, besides looking for work (releasing expired leases, say). */
  onPoll?(): void;
  onClaimError(error: unknown): void;
}

/**
 * The claiming half of a sender (mail, webhooks): looks for due work when poked (after an event
 * recorded some, or a send finished) and on a timer, claims as many rows as there are free
 * senders, and keeps claiming while there is more. Pokes arriving within `pokeDelayMs` of each
 * other lead to one claim, and a poke during a claim leads to another round after it.
 */
export class ClaimLoop<Row> {
  private timer: NodeJS.Timeout | undefined;
  private pokeTimer: NodeJS.Timeout | undefined;
  private claiming = false;
  private pokedWhileClaiming = false;
  private stopped = true;

  constructor(private readonly options: ClaimLoopOptions<Row>) {}

  get isStopped(): boolean {
    return this.stopped;
  }

  /** Whether a claim is under way (a stop waits for it). */
  get isClaiming(): boolean {
    return this.claiming;
  }

  start(): void {
    this.stopped = false;
    this.timer = setInterval(() => {
      this.poke();
      this.options.onPoll?.();
    }, this.options.pollIntervalMs);
    this.timer.unref();
    this.poke();
  }

  poke(): void {
    if (this.stopped || this.pokeTimer) return;
    this.pokeTimer = setTimeout(() => {
      this.pokeTimer = undefined;
      if (this.stopped) return;
      if (this.claiming) {
        this.pokedWhileClaiming = true;
        return;
      }
      void this.fill();
    }, this.options.pokeDelayMs);
  }

  /** Stops claiming; the caller waits for what it launched. */
  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
    clearTimeout(this.pokeTimer);
    this.pokeTimer = undefined;
  }

  private async fill(): Promise<void> {
    this.claiming = true;
    try {
      do {
        this.pokedWhileClaiming = false;
        const free = this.options.free();
        if (free <= 0 || this.stopped) break;
        const claimed = await this.options.claim(free);
        for (const row of claimed) this.options.launch(row);
        if (claimed.length < free && !this.pokedWhileClaiming) break;
      } while (!this.stopped);
    } catch (error) {
      this.options.onClaimError(error);
    } finally {
      this.claiming = false;
    }
  }
}
