'use client';
import NextLink from 'next/link';
import { useState, type ComponentProps } from 'react';

/**
 * The portal's link: `next/link`, prefetching the page behind it only once the person shows
 * intent (a pointer over it, keyboard focus, a touch) rather than as soon as it scrolls into view.
 *
 * A list page shows dozens of links (skill cards, tags, the header); prefetching them all right
 * after hydration costs a phone a second of network and main-thread work before the page answers
 * taps, for pages the person mostly will not open. `prefetch={false}` still turns it off entirely.
 */
export default function Link({ prefetch, onMouseEnter, onFocus, onTouchStart, ...props }: ComponentProps<typeof NextLink>) {
  const [intent, setIntent] = useState(false);
  const showIntent = () => {
    if (!intent) setIntent(true);
  };
  return (
    <NextLink
      {...props}
      prefetch={prefetch === false || !intent ? false : prefetch}
      onMouseEnter={(event) => {
        showIntent();
        onMouseEnter?.(event);
      }}
      onFocus={(event) => {
        showIntent();
        onFocus?.(event);
      }}
      onTouchStart={(event) => {
        showIntent();
        onTouchStart?.(event);
      }}
    />
  );
}
