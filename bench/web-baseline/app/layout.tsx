import type { ReactNode } from 'react';

export const metadata = { title: 'Baseline: a bare Next.js page' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: 'system-ui, sans-serif', margin: 0, color: '#0f172a' }}>{children}</body>
    </html>
  );
}
