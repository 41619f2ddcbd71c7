import { forbidden } from 'next/navigation';

/**
 * The proxy rewrites every request of a signed-in person on another tenant's host here; forbidden()
 * answers 403 with forbidden.tsx (an internal rewrite cannot carry the proxy's own status).
 */
export default function WrongWorkspacePage(): never {
  forbidden();
}
