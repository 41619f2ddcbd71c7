import type { Metadata } from 'next';
import { WrongWorkspaceNotice } from './_components/wrong-workspace-notice';

export const metadata: Metadata = { title: 'Another workspace' };

/** The 403 of /wrong-workspace, where the proxy sends a person who is on another tenant's host. */
export default function WrongWorkspaceForbidden() {
  return <WrongWorkspaceNotice />;
}
