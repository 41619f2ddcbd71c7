import { serveV1Request } from '@/server/api/v1-router';

export const dynamic = 'force-dynamic';

// Every /api/v1 operation is an entry of one table (src/server/api/operations/v1-operations.ts);
// this catch-all serves it under `next dev`, and in production whatever the direct dispatcher
// leaves to Next (an unknown path: the API's 404 body).
export {
  serveV1Request as GET,
  serveV1Request as HEAD,
  serveV1Request as POST,
  serveV1Request as PUT,
  serveV1Request as PATCH,
  serveV1Request as DELETE,
  serveV1Request as OPTIONS,
};
