import { z } from 'zod';
import { roleSchema, uuid } from './common';

export const memberStatus = z.enum(['active', 'deactivated']);
export type MemberStatus = z.infer<typeof memberStatus>;

export const changeMemberRoleInput = z.object({ userId: uuid, role: roleSchema });
export type ChangeMemberRoleInput = z.input<typeof changeMemberRoleInput>;

export const memberIdInput = z.object({ userId: uuid });
export type MemberIdInput = z.input<typeof memberIdInput>;
