// What the framework alone costs a page like the portal's /skills: rendered on request, a header of
// links, a heading and six cards of text with links, and no client component of its own. Links do
// not prefetch as they scroll into view, as in the portal.
import Link from 'next/link';

export const dynamic = 'force-dynamic';

const NAV = ['/', '/skills', '/search', '/my-skills', '/reviews', '/notifications', '/profile/api-keys', '/admin'];
const TAGS = ['meetings', 'productivity', 'summaries'];
const DESCRIPTION =
  'Turns raw meeting notes or a transcript into decisions, owners and dated action items, with a short summary ' +
  'people can paste into a channel, and flags open questions nobody took.';

export default function Page() {
  const cards = Array.from({ length: 6 }, (_, i) => ({ slug: `skill-${i + 1}`, name: `Skill number ${i + 1}` }));
  return (
    <>
      <header style={{ borderBottom: '1px solid #e2e8f0', padding: '12px 16px' }}>
        <nav aria-label="Main">
          <ul style={{ display: 'flex', flexWrap: 'wrap', gap: 16, listStyle: 'none', margin: 0, padding: 0 }}>
            {NAV.map((href) => (
              <li key={href}>
                <Link href={href} prefetch={false}>
                  {href}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
      </header>
      <main style={{ maxWidth: 960, margin: '0 auto', padding: 16 }}>
        <h1>Skills</h1>
        <p>Every skill your company has published, newest first.</p>
        <ul style={{ display: 'grid', gap: 16, listStyle: 'none', padding: 0 }}>
          {cards.map((card) => (
            <li key={card.slug} style={{ border: '1px solid #e2e8f0', borderRadius: 8, padding: 16 }}>
              <h2 style={{ fontSize: 18, margin: 0 }}>
                <Link href={`/skills/${card.slug}`} prefetch={false}>
                  {card.name}
                </Link>
              </h2>
              <p style={{ color: '#475569' }}>{DESCRIPTION}</p>
              <ul style={{ display: 'flex', gap: 8, listStyle: 'none', padding: 0 }}>
                {TAGS.map((tag) => (
                  <li key={tag}>
                    <Link href={`/skills?tag=${tag}`} prefetch={false}>
                      {tag}
                    </Link>
                  </li>
                ))}
              </ul>
            </li>
          ))}
        </ul>
      </main>
    </>
  );
}
