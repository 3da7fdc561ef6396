'use client';

import { Pencil, Plus, Trash2 } from 'lucide-react';
import { useTranslations } from 'next-intl';
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
import type { Words } from '@/lib/i18n/words';
import { EscalationRuleDialog } from './escalation-rule-dialog';
import { useDescribeError } from '@/lib/i18n/errors';

/** What a rule does, in one sentence. */
export function describeRule(rule: EscalationRule, t: Words<'admin'>): string {
  const when = rule.thresholdPercent >= 100 ? t('escalations.whenMissed', { target: rule.target }) : t('escalations.whenPassed', { percent: rule.thresholdPercent, target: rule.target });
  const told = rule.notify.assignee && rule.notify.manager ? t('escalations.tellBoth') : rule.notify.assignee ? t('escalations.tellAssignee') : rule.notify.manager ? t('escalations.tellManager') : '';
  const reassign = rule.reassign === 'none' ? '' : t(`escalations.reassignAction.${rule.reassign}`);
  const actions = [told, rule.raisePriority ? t('escalations.raiseAction') : '', reassign].filter(Boolean);
  return t('escalations.sentence', { when, actions: actions.join(t('escalations.separator')) });
}

/** Administration › Escalations: the rules per priority, what each does, and their editing. */
export function EscalationRulesTab() {
  const t = useTranslations('admin');
  const describe = useDescribeError();
  const rules = useEscalationRules();
  const remove = useDeleteEscalationRule();
  const [editing, setEditing] = useState<EscalationRule | 'new' | null>(null);
  const order = (rule: EscalationRule) => INCIDENT_PRIORITIES.length - INCIDENT_PRIORITIES.indexOf(rule.priority);
  const sorted = [...(rules.data ?? [])].sort((a, b) => order(a) - order(b) || a.target.localeCompare(b.target) || a.thresholdPercent - b.thresholdPercent);
  const deleteRule = (rule: EscalationRule) =>
    remove.mutate(rule, {
      onSuccess: () => toast.success(t('escalations.deleted', { name: rule.name })),
      onError: (caught) => toast.error(describe(caught).title, { description: describe(caught).detail }),
    });
  return (
    <Card className="py-0">
      <CardContent className="px-0">
        <div className="flex flex-col gap-3 border-b p-4 sm:flex-row sm:items-center sm:justify-between">
          <p className="text-sm text-muted-foreground">
            {t('escalations.intro')}
          </p>
          <Button onClick={() => setEditing('new')} className="shrink-0">
            <Plus /> {t('escalations.new')}
          </Button>
        </div>
        <QueryStates query={rules}>
          {(items) => items.length === 0 ? (
            <p className="p-6 text-center text-sm text-muted-foreground">{t('escalations.empty')}</p>
          ) : (
            <Table>
              <TableHeader>
                <TableRow>
                  <TableHead className="pl-4">{t('escalations.rule')}</TableHead>
                  <TableHead>{t('escalations.priority')}</TableHead>
                  <TableHead className="hidden md:table-cell">{t('escalations.whatItDoes')}</TableHead>
                  <TableHead className="pr-4 text-right"><span className="sr-only">{t('escalations.editOrDelete')}</span></TableHead>
                </TableRow>
              </TableHeader>
              <TableBody>
                {sorted.map((rule) => (
                  <TableRow key={rule.id} className={rule.isActive ? undefined : 'opacity-60'}>
                    <TableCell className="pl-4 whitespace-normal">
                      <div className="font-medium">{rule.name}</div>
                      <div className="text-xs text-muted-foreground md:hidden">{describeRule(rule, t)}</div>
                      {rule.isActive ? null : <Badge variant="outline" className="mt-1">{t('escalations.paused')}</Badge>}
                    </TableCell>
                    <TableCell><PriorityBadge priority={rule.priority} /></TableCell>
                    <TableCell className="hidden text-sm whitespace-normal text-muted-foreground md:table-cell">{describeRule(rule, t)}</TableCell>
                    <TableCell className="pr-4 text-right whitespace-nowrap">
                      <Button variant="ghost" size="icon" aria-label={t('escalations.editLabel', { name: rule.name })} onClick={() => setEditing(rule)}><Pencil /></Button>
                      <Button variant="ghost" size="icon" aria-label={t('escalations.deleteLabel', { name: rule.name })} onClick={() => deleteRule(rule)} disabled={remove.isPending}><Trash2 /></Button>
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
