import type { Ctx } from '@everyskill/core';
import { findSimilarSkills } from '@everyskill/core/search/find-similar-skills';
import Link from '@/components/ui/link';

/**
 * "Similar skills" on a skill page: the nearest neighbours of the skill's embedding in the same
 * workspace. Renders nothing until the skill has been embedded (a job after publishing).
 * Meant to be wrapped in <Suspense> so the rest of the page does not wait for it.
 */
export async function SimilarSkills({ ctx, slug }: { ctx: Ctx; slug: string }) {
  const similar = await findSimilarSkills(ctx, { slug, limit: 5 });
  if (similar.length === 0) return null;
  return (
    <section aria-labelledby="similar-skills-heading" className="flex flex-col gap-2" data-testid="similar-skills">
      <h2 id="similar-skills-heading" className="text-lg font-semibold">
        Similar skills
      </h2>
      <ul className="flex flex-col gap-2">
        {similar.map(({ skill, similarity }) => (
          <li key={skill.id} className="rounded-md border p-3">
            <Link href={`/skills/${skill.slug}`} className="font-medium underline-offset-4 hover:underline">
              {skill.name}
            </Link>
            <span className="ml-2 text-xs text-muted-foreground">{Math.round(similarity * 100)}% alike</span>
            <p className="line-clamp-2 text-sm text-muted-foreground">{skill.description}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
