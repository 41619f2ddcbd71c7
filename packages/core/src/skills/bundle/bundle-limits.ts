const MiB = 1024 * 1024;

/** What a skill bundle may weigh. Archives over these are refused while they are read. */
export interface BundleLimits {
  /** Size of the uploaded archive itself. */
  maxCompressedBytes: number;
  /** Sum of the unpacked sizes of all files. */
  maxUnpackedBytes: number;
  /** Unpacked size of any one file. */
  maxFileBytes: number;
  /** Number of files (directories are not counted). */
  maxFiles: number;
  /** Length of a path inside the bundle, in UTF-16 units. */
  maxPathLength: number;
}

export const DEFAULT_BUNDLE_LIMITS: Readonly<BundleLimits> = Object.freeze({
  maxCompressedBytes: 10 * MiB,
  maxUnpackedBytes: 50 * MiB,
  maxFileBytes: 10 * MiB,
  maxFiles: 1000,
  maxPathLength: 512,
});

export function resolveBundleLimits(overrides: Partial<BundleLimits> = {}): BundleLimits {
  return { ...DEFAULT_BUNDLE_LIMITS, ...overrides };
}

/** "10 MiB", "512 KiB", "300 bytes": sizes as people read them in messages. */
export function formatBytes(bytes: number): string {
  if (bytes >= MiB && bytes % MiB === 0) return `${bytes / MiB} MiB`;
  if (bytes >= MiB) return `${(bytes / MiB).toFixed(1)} MiB`;
  if (bytes >= 1024) return `${Math.round(bytes / 1024)} KiB`;
  return `${bytes} bytes`;
}
