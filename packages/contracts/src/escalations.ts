import { z } from 'zod';
import { timestampSchema as timestamp } from './events/snapshots.js';
import { incidentPrioritySchema, slaTargetSchema } from './incidents.js';

// Escalation rules: what happens before and at a missed SLA target, per priority.

/** At breach, who takes the incident: nobody new, the department's manager, or the next person by the category's routing. */
export const ESCALATION_REASSIGN = ['none', 'manager', 'routing'] as const;
export const escalationReassignSchema = z.enum(ESCALATION_REASSIGN);

export const escalationRuleSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  /** Incidents of this priority. */
  priority: incidentPrioritySchema,
  target: slaTargetSchema,
  /** Fires when this share of the target's working time has passed; 100: at the breach. */
  thresholdPercent: z.number().int().min(1).max(100),
  notify: z.object({ assignee: z.boolean(), manager: z.boolean() }),
  /** At breach only: one step up (LOW → MEDIUM → HIGH → CRITICAL). */
  raisePriority: z.boolean(),
  /** At breach only. */
  reassign: escalationReassignSchema,
  isActive: z.boolean(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type EscalationRule = z.infer<typeof escalationRuleSchema>;
export const escalationRuleListSchema = z.object({ items: z.array(escalationRuleSchema) });

const ruleFields = {
  name: z.string().trim().min(1, { error: 'must not be empty' }).max(100, { error: 'must be at most 100 characters' }),
  priority: incidentPrioritySchema,
  target: slaTargetSchema,
  thresholdPercent: z.number({ error: 'must be a whole number from 1 to 100' }).int({ error: 'must be a whole number from 1 to 100' }).min(1).max(100),
  notify: z.strictObject({ assignee: z.boolean(), manager: z.boolean() }),
  raisePriority: z.boolean(),
  reassign: escalationReassignSchema,
  isActive: z.boolean(),
};

export const createEscalationRuleBodySchema = z.strictObject({
  ...ruleFields,
  notify: ruleFields.notify.optional(),
  raisePriority: ruleFields.raisePriority.optional(),
  reassign: ruleFields.reassign.optional(),
  isActive: ruleFields.isActive.optional(),
});
export type CreateEscalationRuleBody = z.infer<typeof createEscalationRuleBodySchema>;

export const updateEscalationRuleBodySchema = z
  .strictObject({
    name: ruleFields.name.optional(),
    priority: ruleFields.priority.optional(),
    target: ruleFields.target.optional(),
    thresholdPercent: ruleFields.thresholdPercent.optional(),
    notify: ruleFields.notify.optional(),
    raisePriority: ruleFields.raisePriority.optional(),
    reassign: ruleFields.reassign.optional(),
    isActive: ruleFields.isActive.optional(),
  })
  .refine((body) => Object.keys(body).length > 0, { error: 'give at least one field to change' });
export type UpdateEscalationRuleBody = z.infer<typeof updateEscalationRuleBodySchema>;

/** The administrator's escalation rule form: the API's rules, said for people. */
export const escalationRuleFormSchema = z
  .object({
    name: z.string().trim().min(1, { error: 'Give the rule a name.' }).max(100, { error: 'Keep the name under 100 characters.' }),
    priority: incidentPrioritySchema,
    target: slaTargetSchema,
    thresholdPercent: z
      .number({ error: 'Give a share from 1 to 100 %.' })
      .int({ error: 'Give a whole number of percent.' })
      .min(1, { error: 'At least 1 %.' })
      .max(100, { error: 'At most 100 % (the breach).' }),
    notifyAssignee: z.boolean(),
    notifyManager: z.boolean(),
    raisePriority: z.boolean(),
    reassign: escalationReassignSchema,
    isActive: z.boolean(),
  })
  .refine((form) => form.thresholdPercent === 100 || (!form.raisePriority && form.reassign === 'none'), {
    error: 'Raising the priority and reassigning happen at the breach: set 100 %.',
    path: ['thresholdPercent'],
  })
  .refine((form) => form.notifyAssignee || form.notifyManager || form.raisePriority || form.reassign !== 'none', {
    error: 'The rule would do nothing: tell someone, or act at the breach.',
    path: ['notifyManager'],
  });
export type EscalationRuleForm = z.infer<typeof escalationRuleFormSchema>;
