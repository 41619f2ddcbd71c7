import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openJobQueue, setJobQueue, type JobQueue } from '@everyskill/jobs';
import type { TestDatabases } from '@everyskill/db/testing';
import { countUnreadNotifications, followSkill, isFollowingSkill, listNotifications, markNotificationsRead } from '../src/notifications/notifications';
import { getNotificationSettings, setDigestFrequency } from '../src/notifications/notification-settings';
import { updateReviewSettings } from '../src/review-workflow/review-settings';
import { submitSkillForReview } from '../src/review-workflow/submit-skill-for-review';
import { publishSkill } from '../src/skills/publish-skill';
import { setSkillVisibility } from '../src/skills/set-skill-visibility';
import { createSkillsTenant, MemoryBlobStore, mode, openTestDatabases, skillFolder, skillMarkdown, skillsCtx, type SkillsTestTenant } from './skills-fixtures';

let dbs: TestDatabases;
let queue: JobQueue;
const blobs = new MemoryBlobStore();

beforeAll(async () => {
  dbs = await openTestDatabases();
  // Publishing and submitting queue jobs (embeddings, AI review when on); no workers needed here.
  queue = openJobQueue({ handle: dbs.app, connectionString: process.env.DATABASE_URL, log: () => {} });
  setJobQueue(queue);
});

afterAll(async () => {
  await queue?.close();
  setJobQueue(null);
  await dbs?.close();
});

describe(`notifications (${mode})`, () => {
  let t: SkillsTestTenant;
  const as = (who: 'admin' | 'author' | 'other') => skillsCtx(dbs.app.db, t.tenantId, t[who], blobs);

  beforeAll(async () => {
    t = await createSkillsTenant(dbs);
  });

  it('a new version notifies followers and the author, never the publisher; reading clears the bell', async () => {
    await publishSkill(as('author'), { source: { kind: 'files', files: skillFolder('pdf-tools', { version: '1.0.0' }) } });
    expect(await followSkill(as('other'), { slug: 'pdf-tools', follow: true })).toEqual({ following: true });
    expect(await isFollowingSkill(as('other'), 'pdf-tools')).toBe(true);
    expect(await countUnreadNotifications(as('other'))).toBe(0);

    // The author publishes a new version: the follower hears of it; the publisher does not.
    await publishSkill(as('author'), { source: { kind: 'files', files: skillFolder('pdf-tools', { version: '1.1.0', body: '# Better\n' }) } });
    const [note] = await listNotifications(as('other'));
    expect(note).toMatchObject({ kind: 'skill_updated', title: 'pdf-tools has a new version: 1.1.0', link: '/skills/pdf-tools', readAt: null });
    expect(await countUnreadNotifications(as('other'))).toBe(1);
    expect(await countUnreadNotifications(as('author'))).toBe(0); // the publisher
    expect(await countUnreadNotifications(as('admin'))).toBe(0); // neither follows nor wrote it

    expect(await markNotificationsRead(as('other'))).toBe(1);
    expect(await countUnreadNotifications(as('other'))).toBe(0);
    await followSkill(as('other'), { slug: 'pdf-tools', follow: false });
    expect(await isFollowingSkill(as('other'), 'pdf-tools')).toBe(false);
  });

  it('a follower who may no longer see a skill (made private) is not told about its new versions', async () => {
    await publishSkill(as('author'), { source: { kind: 'files', files: skillFolder('secret-notes', { version: '1.0.0' }) } });
    await followSkill(as('other'), { slug: 'secret-notes', follow: true });
    await setSkillVisibility(as('author'), { slug: 'secret-notes', visibility: 'private' });
    const before = await countUnreadNotifications(as('other'));
    await publishSkill(as('author'), { source: { kind: 'files', files: skillFolder('secret-notes', { version: '1.1.0', body: '# Hidden\n' }) } });
    expect(await countUnreadNotifications(as('other'))).toBe(before);
    expect((await listNotifications(as('other'))).map((n) => n.title)).not.toContain('secret-notes has a new version: 1.1.0');

    // Visible to the workspace again: the follow still stands and counts again.
    await setSkillVisibility(as('author'), { slug: 'secret-notes', visibility: 'tenant' });
    await publishSkill(as('author'), { source: { kind: 'files', files: skillFolder('secret-notes', { version: '1.2.0', body: '# Shared\n' }) } });
    const [note] = await listNotifications(as('other'));
    expect(note).toMatchObject({ title: 'secret-notes has a new version: 1.2.0' });
    await markNotificationsRead(as('other'));
  });

  it('a submission waiting for review notifies the admins and reviewers, not its author', async () => {
    await updateReviewSettings(as('admin'), { reviewMode: 'approval', autoApproveThreshold: null });
    await submitSkillForReview(as('other'), { skillMd: skillMarkdown({ name: 'csv-tools', description: 'Helps with CSV files.' }) });
    const [note] = await listNotifications(as('admin'));
    expect(note).toMatchObject({ kind: 'review_requested', title: 'csv-tools is waiting for review' });
    expect(note!.link).toMatch(/^\/reviews\/[0-9a-f-]{36}$/);
    expect(await countUnreadNotifications(as('other'))).toBe(0);
    expect(await countUnreadNotifications(as('author'))).toBe(0);
  });

  it('digest preferences default, change, and are per person', async () => {
    expect(await getNotificationSettings(as('author'))).toEqual({ digest: 'weekly', isDefault: true });
    await setDigestFrequency(as('author'), { digest: 'daily' });
    expect(await getNotificationSettings(as('author'))).toEqual({ digest: 'daily', isDefault: false });
    expect((await getNotificationSettings(as('other'))).isDefault).toBe(true);
    await expect(setDigestFrequency(as('author'), { digest: 'hourly' as 'daily' })).rejects.toThrow(/digest must be 'off', 'daily' or 'weekly'/);
  });
});
