import { Resolver } from 'node:dns/promises';

/** The one DNS question domain verification asks; tests stub it, production asks the system resolver. */
export interface DnsTxtResolver {
  /** TXT records of `name`, each as its joined strings; [] when the name has none or does not exist. */
  resolveTxt(name: string): Promise<string[]>;
}

const NO_RECORDS = new Set(['ENODATA', 'ENOTFOUND', 'NXDOMAIN']);

/** The system resolver with a timeout, so a slow DNS server cannot hold a request for long. */
export function systemDnsTxtResolver(timeoutMs = 5000): DnsTxtResolver {
  const resolver = new Resolver({ timeout: timeoutMs, tries: 2 });
  return {
    async resolveTxt(name) {
      try {
        return (await resolver.resolveTxt(name)).map((chunks) => chunks.join(''));
      } catch (error) {
        if (NO_RECORDS.has((error as NodeJS.ErrnoException).code ?? '')) return [];
        throw error;
      }
    },
  };
}
