export interface SlaTargets {
  responseMinutes: number;
  resolutionMinutes: number;
}

/** Due times run from the moment the incident was reported, for the priority it has now. */
export function dueTimes(createdAt: Date, targets: SlaTargets): { responseDueAt: Date; resolutionDueAt: Date } {
  return {
    responseDueAt: new Date(createdAt.getTime() + targets.responseMinutes * 60_000),
    resolutionDueAt: new Date(createdAt.getTime() + targets.resolutionMinutes * 60_000),
  };
}
