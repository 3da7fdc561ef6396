'use client';

import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Loader2 } from 'lucide-react';
import { useState } from 'react';
import { toast } from 'sonner';
import { INCIDENT_PRIORITIES, type SlaPolicy } from '@desk/contracts';
import { PriorityBadge } from '@/components/badges';
import { QueryStates } from '@/components/states';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { Input } from '@/components/ui/input';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { describeError } from '@/lib/api-client';
import { duration } from '@/lib/format';
import { mapFieldErrors } from '@/lib/form-errors';
import { keys, useSlaPolicies } from '@/lib/queries';
import { useApi } from '@/lib/session';

export function SlaTab() {
  const policies = useSlaPolicies();
  const byPriority = new Map((policies.data ?? []).map((policy) => [policy.priority, policy]));
  return (
    <Card className="py-0">
      <CardContent className="px-0">
        <p className="border-b p-4 text-sm text-muted-foreground">
          Response: until work starts. Resolution: until resolved. Changes apply to incidents created or re-prioritised afterwards.
        </p>
        <QueryStates query={policies}>
          {() => (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead className="pl-4">Priority</TableHead>
                  <TableHead>Response (minutes)</TableHead>
                  <TableHead>Resolution (minutes)</TableHead>
                  <TableHead className="pr-4 text-right"><span className="sr-only">Save</span></TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {[...INCIDENT_PRIORITIES].reverse().map((priority) => {
                  const policy = byPriority.get(priority);
                  return policy ? <SlaRow key={priority} policy={policy} /> : null;
                })}
              </TableBody>
            </Table>
          )}
        </QueryStates>
      </CardContent>
    </Card>
  );
}

function SlaRow({ policy }: { policy: SlaPolicy }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const [response, setResponse] = useState(String(policy.responseMinutes));
  const [resolution, setResolution] = useState(String(policy.resolutionMinutes));
  const [error, setError] = useState<string | null>(null);
  const changed = Number(response) !== policy.responseMinutes || Number(resolution) !== policy.resolutionMinutes;
  const save = useMutation({
    mutationFn: () => api.json<SlaPolicy>(`/sla-policies/${policy.priority}`, { method: 'PUT', body: { responseMinutes: Number(response), resolutionMinutes: Number(resolution) } }),
    onSuccess: () => {
      setError(null);
      void queryClient.invalidateQueries({ queryKey: keys.slaPolicies });
      toast.success(`${policy.priority.toLowerCase()} targets saved`);
    },
    onError: (caught) => {
      const { byField } = mapFieldErrors(caught, ['responseMinutes', 'resolutionMinutes'] as const);
      setError(byField.resolutionMinutes ? `Resolution: ${byField.resolutionMinutes}` : byField.responseMinutes ? `Response: ${byField.responseMinutes}` : describeError(caught).detail);
    },
  });
  return (
    <TableRow>
      <TableCell className="pl-4"><PriorityBadge priority={policy.priority} /></TableCell>
      <TableCell>
        <Input type="number" min={1} value={response} onChange={(event) => setResponse(event.target.value)} className="w-28" aria-label={`${policy.priority} response minutes`} />
        <div className="mt-1 text-xs text-muted-foreground">{duration(Number(response) * 60)}</div>
      </TableCell>
      <TableCell>
        <Input type="number" min={1} value={resolution} onChange={(event) => setResolution(event.target.value)} className="w-28" aria-label={`${policy.priority} resolution minutes`} />
        <div className="mt-1 text-xs text-muted-foreground">{duration(Number(resolution) * 60)}</div>
        {error ? <div className="mt-1 text-xs whitespace-normal text-destructive">{error}</div> : null}
      </TableCell>
      <TableCell className="pr-4 text-right">
        <Button size="sm" variant={changed ? 'default' : 'outline'} disabled={!changed || save.isPending} onClick={() => save.mutate()}>
          {save.isPending ? <Loader2 className="animate-spin" /> : null}
          Save
        </Button>
      </TableCell>
    </TableRow>
  );
}
