'use client';

import { createContext, useContext, type ReactNode } from 'react';
import { Badge } from '@/components/ui/badge';
import type { PublicConfig } from '@/server/env';

const PublicConfigContext = createContext<PublicConfig | null>(null);

/** Hands the run-time public configuration (read on the server per request) to client components. */
export function PublicConfigProvider({ value, children }: { value: PublicConfig; children: ReactNode }) {
  return <PublicConfigContext.Provider value={value}>{children}</PublicConfigContext.Provider>;
}

export function usePublicConfig(): PublicConfig {
  const config = useContext(PublicConfigContext);
  if (!config) throw new Error('usePublicConfig must be used inside <PublicConfigProvider>');
  return config;
}

/** Says which environment this is, everywhere but production, so nobody mistakes staging for it. */
export function EnvironmentBadge() {
  const { appEnv } = usePublicConfig();
  if (appEnv === 'production') return null;
  return (
    <Badge variant="outline" data-testid="environment-badge" className="uppercase">
      {appEnv}
    </Badge>
  );
}
