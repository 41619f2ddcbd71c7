import { rowsOf, sql, type Transaction } from '@everyskill/db';
import type { DigestItem } from '@everyskill/email';

export interface DigestSections {
  newSkills: DigestItem[];
  newVersions: DigestItem[];
  mostUsed: DigestItem[];
  bestRated: DigestItem[];
  followedChanged: DigestItem[];
  reviewsAwaiting: DigestItem[];
  installedChanged: DigestItem[];
}

interface Scope {
  userId: string;
  role: string;
  windowStart: Date;
  windowEnd: Date;
  limit: number;
  /** The tenant's portal origin, for links. */
  origin: string;
}

// Skills the person may see: live, and private ones only their own (as in the skill lists).
const visible = (alias: string, userId: string) =>
  sql`${sql.raw(alias)}.deleted_at IS NULL AND (${sql.raw(alias)}.visibility <> 'private' OR ${sql.raw(alias)}.author_user_id = ${userId}::uuid)`;

/**
 * One person's digest for a window, read inside withTenant: row-level security keeps every query
 * to the tenant, and each also filters on what this person may see.
 */
export async function buildDigestContent(tx: Transaction, scope: Scope): Promise<DigestSections> {
  const { userId, limit, origin } = scope;
  const from = scope.windowStart.toISOString();
  const to = scope.windowEnd.toISOString();
  const link = (slug: string) => `${origin}/skills/${slug}`;
  const inWindow = (column: string) => sql`${sql.raw(column)} >= ${from}::timestamptz AND ${sql.raw(column)} < ${to}::timestamptz`;

  const newSkills = rowsOf<{ slug: string; name: string; author: string | null }>(
    await tx.execute(sql`
      SELECT s.slug, s.name, COALESCE(u.name, u.email) AS author
      FROM skills s LEFT JOIN users u ON u.id = s.author_user_id
      WHERE ${visible('s', userId)} AND ${inWindow('s.created_at')}
      ORDER BY s.created_at DESC LIMIT ${limit}`),
  );
  const newVersions = rowsOf<{ slug: string; name: string; version: string }>(
    await tx.execute(sql`
      SELECT s.slug, s.name, v.version
      FROM skill_versions v JOIN skills s ON s.id = v.skill_id
      WHERE ${visible('s', userId)} AND ${inWindow('v.created_at')} AND s.created_at < ${from}::timestamptz
      ORDER BY v.created_at DESC LIMIT ${limit}`),
  );
  const mostUsed = rowsOf<{ slug: string; name: string; uses: number }>(
    await tx.execute(sql`
      SELECT s.slug, s.name, count(*)::int AS uses
      FROM skill_usage_events e JOIN skills s ON s.id = e.skill_id
      WHERE ${visible('s', userId)} AND e.kind = 'use' AND ${inWindow('e.created_at')}
      GROUP BY s.id, s.slug, s.name ORDER BY uses DESC, s.name LIMIT ${limit}`),
  );
  const bestRated = rowsOf<{ slug: string; name: string; avg: string; n: number }>(
    await tx.execute(sql`
      SELECT s.slug, s.name, round(avg(r.stars)::numeric, 1)::text AS avg, count(*)::int AS n
      FROM skill_ratings r JOIN skills s ON s.id = r.skill_id
      WHERE ${visible('s', userId)} AND ${inWindow('r.updated_at')}
      GROUP BY s.id, s.slug, s.name ORDER BY avg(r.stars) DESC, count(*) DESC, s.name LIMIT ${limit}`),
  );
  const followedChanged = rowsOf<{ slug: string; name: string; version: string; followed: boolean }>(
    await tx.execute(sql`
      SELECT DISTINCT ON (s.id) s.slug, s.name, v.version, (f.user_id IS NOT NULL) AS followed
      FROM skill_versions v
      JOIN skills s ON s.id = v.skill_id
      LEFT JOIN skill_follows f ON f.skill_id = s.id AND f.user_id = ${userId}::uuid
      WHERE ${visible('s', userId)} AND ${inWindow('v.created_at')}
        AND (f.user_id IS NOT NULL OR s.author_user_id = ${userId}::uuid)
        AND v.published_by IS DISTINCT FROM ${userId}::uuid
      ORDER BY s.id, v.created_at DESC LIMIT ${limit}`),
  );
  const reviewsAwaiting =
    scope.role === 'admin' || scope.role === 'reviewer'
      ? rowsOf<{ id: string; slug: string; author: string }>(
          await tx.execute(sql`
            SELECT sub.id, sub.slug, COALESCE(u.name, u.email) AS author
            FROM skill_submissions sub JOIN users u ON u.id = sub.author_user_id
            WHERE sub.status = 'in_review' AND sub.author_user_id <> ${userId}::uuid
            ORDER BY sub.updated_at LIMIT ${limit}`),
        )
      : [];

  // Withdrawals and deprecations reach the people who installed the skill as notifications
  // (withdrawSkillVersion, deprecateSkill). They ask for action, so the digest carries every one
  // since its window began that is still unread when it is built, including those after its end.
  const installedChanged = rowsOf<{ title: string; link: string; kind: string }>(
    await tx.execute(sql`
      SELECT n.title, n.link, n.kind FROM notifications n
      WHERE n.user_id = ${userId}::uuid AND n.kind IN ('version_withdrawn', 'skill_deprecated')
        AND n.read_at IS NULL AND n.created_at >= ${from}::timestamptz
      ORDER BY n.created_at DESC LIMIT ${limit}`),
  );

  return {
    installedChanged: installedChanged.map((r) => ({
      name: r.title,
      url: `${origin}${r.link}`,
      detail: r.kind === 'version_withdrawn' ? 'withdrawn: run everyskill update' : 'deprecated',
    })),
    newSkills: newSkills.map((r) => ({ name: r.name, url: link(r.slug), detail: r.author ? `by ${r.author}` : 'new skill' })),
    newVersions: newVersions.map((r) => ({ name: r.name, url: link(r.slug), detail: `version ${r.version}` })),
    mostUsed: mostUsed.map((r) => ({ name: r.name, url: link(r.slug), detail: `${r.uses} ${Number(r.uses) === 1 ? 'use' : 'uses'}` })),
    bestRated: bestRated.map((r) => ({ name: r.name, url: link(r.slug), detail: `${r.avg} ★ from ${r.n} ${Number(r.n) === 1 ? 'rating' : 'ratings'}` })),
    followedChanged: followedChanged.map((r) => ({
      name: r.name,
      url: link(r.slug),
      detail: `version ${r.version} (${r.followed ? 'you follow it' : 'you wrote it'})`,
    })),
    reviewsAwaiting: reviewsAwaiting.map((r) => ({ name: r.slug, url: `${origin}/reviews/${r.id}`, detail: `submitted by ${r.author}` })),
  };
}
