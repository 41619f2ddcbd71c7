// Classic JSX runtime on purpose: tsx and vitest compile this file with or without its tsconfig.
import React from 'react';
import { Body, Container, Head, Heading, Hr, Html, Link, Preview, Section, Text } from '@react-email/components';
import { render } from '@react-email/render';

export interface DigestItem {
  name: string;
  url: string;
  /** One short line under the name: "v1.2.0", "42 uses", "4.5 ★ (8 ratings)". */
  detail: string;
}

/** Everything one person's digest shows, already scoped to their tenant and window. */
export interface DigestEmailProps {
  kind: 'daily' | 'weekly';
  tenantName: string;
  recipientName: string;
  /** "Friday 5 December 2026" or "week 49 of 2026 (1–7 December)". */
  periodLabel: string;
  appUrl: string;
  newSkills: DigestItem[];
  newVersions: DigestItem[];
  mostUsed: DigestItem[];
  bestRated: DigestItem[];
  followedChanged: DigestItem[];
  reviewsAwaiting: DigestItem[];
  /** Versions the person installed that were withdrawn, skills they installed that were deprecated. */
  installedChanged: DigestItem[];
  preferencesUrl: string;
  unsubscribeUrl: string;
}

type SectionKey = 'installedChanged' | 'reviewsAwaiting' | 'followedChanged' | 'newSkills' | 'newVersions' | 'mostUsed' | 'bestRated';

const sections: { key: SectionKey; title: string }[] = [
  { key: 'installedChanged', title: 'Skills you installed that were withdrawn or deprecated' },
  { key: 'reviewsAwaiting', title: 'Waiting for your review' },
  { key: 'followedChanged', title: 'Skills you follow or wrote that changed' },
  { key: 'newSkills', title: 'New skills' },
  { key: 'newVersions', title: 'New versions' },
  { key: 'mostUsed', title: 'Most used' },
  { key: 'bestRated', title: 'Best rated' },
];

const main = { backgroundColor: '#f6f6f6', fontFamily: 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif' };
const container = { backgroundColor: '#ffffff', margin: '0 auto', padding: '24px', maxWidth: '600px' };
const muted = { color: '#666666', fontSize: '13px' };

/** True when no section has anything in it. */
export function isQuietDigest(props: DigestEmailProps): boolean {
  return sections.every((s) => props[s.key].length === 0);
}

/** The digest email: one section per kind of news, a quiet-period line when there is none. */
export function DigestEmail(props: DigestEmailProps) {
  const title = `${props.tenantName}: your ${props.kind} skills digest`;
  return (
    <Html lang="en">
      <Head />
      <Preview>{`${title} for ${props.periodLabel}`}</Preview>
      <Body style={main}>
        <Container style={container}>
          <Heading as="h1" style={{ fontSize: '22px' }}>
            {title}
          </Heading>
          <Text style={muted}>
            Hello {props.recipientName}, here is what happened in {props.tenantName} on {props.periodLabel}.
          </Text>
          {isQuietDigest(props) ? <Text>A quiet {props.kind === 'daily' ? 'day' : 'week'}: no new skills, versions, uses or ratings.</Text> : null}
          {sections
            .filter((s) => props[s.key].length > 0)
            .map((s) => (
              <Section key={s.key}>
                <Heading as="h2" style={{ fontSize: '17px', marginTop: '20px' }}>
                  {s.title}
                </Heading>
                {props[s.key].map((item) => (
                  <Text key={`${s.key}-${item.url}`} style={{ margin: '6px 0' }}>
                    <Link href={item.url}>{item.name}</Link> <span style={muted}>— {item.detail}</span>
                  </Text>
                ))}
              </Section>
            ))}
          <Hr />
          <Text style={muted}>
            You get this email because your digest is set to {props.kind}.{' '}
            <Link href={props.preferencesUrl}>Change how often</Link> or <Link href={props.unsubscribeUrl}>unsubscribe</Link>.
          </Text>
        </Container>
      </Body>
    </Html>
  );
}

/** Subject, HTML and the plain-text alternative of a digest. */
export async function renderDigestEmail(props: DigestEmailProps): Promise<{ subject: string; html: string; text: string }> {
  const element = <DigestEmail {...props} />;
  const [html, text] = await Promise.all([render(element), render(element, { plainText: true })]);
  return { subject: `${props.tenantName} skills digest — ${props.periodLabel}`, html, text };
}
