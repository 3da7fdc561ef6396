'use client';

import { Pencil, Plus, Trash2 } from 'lucide-react';
import { useState } from 'react';
import { toast } from 'sonner';
import { INCIDENT_PRIORITIES, type EscalationRule } from '@desk/contracts';
import { PriorityBadge } from '@/components/badges';
import { QueryStates } from '@/components/states';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { Card, CardContent } from '@/components/ui/card';
import { Table, TableBody, TableCell, TableHead, TableHeader, TableRow } from '@/components/ui/table';
import { useDeleteEscalationRule } from '@/lib/mutations/escalations';
import { useEscalationRules } from '@/lib/queries';
import { EscalationRuleDialog } from './escalation-rule-dialog';
import { useDescribeError } from '@/lib/i18n/errors';

const REASSIGN_LABELS: Record<EscalationRule['reassign'], string> = { none: '', manager: 'hand it to the manager', routing: 'hand it on by the category’s routing' };

/** What a rule does, in one sentence. */
export function describeRule(rule: EscalationRule): string {
  const when = rule.thresholdPercent >= 100 ? `When the ${rule.target} target is missed` : `When ${rule.thresholdPercent} % of the ${rule.target} time has passed`;
  const told = [rule.notify.assignee ? 'the assignee' : '', rule.notify.manager ? 'the manager' : ''].filter(Boolean).join(' and ');
  const actions = [told ? `tell ${told}` : '', rule.raisePriority ? 'raise the priority one step' : '', REASSIGN_LABELS[rule.reassign]].filter(Boolean);
  return `${when}: ${actions.join(', ')}.`;
}

/** Administration › Escalations: the rules per priority, what each does, and their editing. */
export function EscalationRulesTab() {
  const describe = useDescribeError();
  const rules = useEscalationRules();
  const remove = useDeleteEscalationRule();
  const [editing, setEditing] = useState<EscalationRule | 'new' | null>(null);
  const order = (rule: EscalationRule) => INCIDENT_PRIORITIES.length - INCIDENT_PRIORITIES.indexOf(rule.priority);
  const sorted = [...(rules.data ?? [])].sort((a, b) => order(a) - order(b) || a.target.localeCompare(b.target) || a.thresholdPercent - b.thresholdPercent);
  const deleteRule = (rule: EscalationRule) =>
    remove.mutate(rule, {
      onSuccess: () => toast.success(`${rule.name} deleted`),
      onError: (caught) => toast.error(describe(caught).title, { description: describe(caught).detail }),
    });
  return (
    <Card className="py-0">
      <CardContent className="px-0">
        <div className="flex flex-col gap-3 border-b p-4 sm:flex-row sm:items-center sm:justify-between">
          <p className="text-sm text-muted-foreground">
            Before a target passes, tell the people working it; when it is missed, tell the manager and, if you want, raise the priority or hand the incident on.
            Each rule fires once per incident, counted in working time.
          </p>
          <Button onClick={() => setEditing('new')} className="shrink-0">
            <Plus /> New rule
          </Button>
        </div>
        <QueryStates query={rules}>
          {(items) => items.length === 0 ? (
            <p className="p-6 text-center text-sm text-muted-foreground">No escalation rules yet: only missed targets are reported.</p>
          ) : (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead className="pl-4">Rule</TableHead>
                  <TableHead>Priority</TableHead>
                  <TableHead className="hidden md:table-cell">What it does</TableHead>
                  <TableHead className="pr-4 text-right"><span className="sr-only">Edit or delete</span></TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {sorted.map((rule) => (
                  <TableRow key={rule.id} className={rule.isActive ? undefined : 'opacity-60'}>
                    <TableCell className="pl-4 whitespace-normal">
                      <div className="font-medium">{rule.name}</div>
                      <div className="text-xs text-muted-foreground md:hidden">{describeRule(rule)}</div>
                      {rule.isActive ? null : <Badge variant="outline" className="mt-1">Paused</Badge>}
                    </TableCell>
                    <TableCell><PriorityBadge priority={rule.priority} /></TableCell>
                    <TableCell className="hidden text-sm whitespace-normal text-muted-foreground md:table-cell">{describeRule(rule)}</TableCell>
                    <TableCell className="pr-4 text-right whitespace-nowrap">
                      <Button variant="ghost" size="icon" aria-label={`Edit ${rule.name}`} onClick={() => setEditing(rule)}><Pencil /></Button>
                      <Button variant="ghost" size="icon" aria-label={`Delete ${rule.name}`} onClick={() => deleteRule(rule)} disabled={remove.isPending}><Trash2 /></Button>
                    </TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          )}
        </QueryStates>
      </CardContent>
      {editing ? <EscalationRuleDialog rule={editing === 'new' ? null : editing} onClose={() => setEditing(null)} /> : null}
    </Card>
  );
}
