import type { SkillFileEntry } from '@everyskill/contracts';
import { FileIcon, FolderIcon } from '@/components/ui/icons';
import Link from '@/components/ui/link';
import { cn } from '@/lib/utils';

interface Folder {
  folders: Map<string, Folder>;
  files: SkillFileEntry[];
}

function buildTree(files: SkillFileEntry[]): Folder {
  const root: Folder = { folders: new Map(), files: [] };
  for (const file of [...files].sort((a, b) => a.path.localeCompare(b.path))) {
    const parts = file.path.split('/');
    let folder = root;
    for (const part of parts.slice(0, -1)) {
      let next = folder.folders.get(part);
      if (!next) folder.folders.set(part, (next = { folders: new Map(), files: [] }));
      folder = next;
    }
    folder.files.push(file);
  }
  return root;
}

const sizeOf = (bytes: number) => (bytes < 1024 ? `${bytes} B` : bytes < 1024 * 1024 ? `${(bytes / 1024).toFixed(1)} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`);

/** The files of a version as a folder tree; each file opens in the file viewer. */
export function FileTree({ files, hrefOf, current }: { files: SkillFileEntry[]; hrefOf: (path: string) => string; current?: string }) {
  return (
    <nav aria-label="Files" data-testid="file-tree" className="text-sm">
      <FolderView folder={buildTree(files)} hrefOf={hrefOf} current={current} />
    </nav>
  );
}

function FolderView({ folder, hrefOf, current }: { folder: Folder; hrefOf: (path: string) => string; current?: string }) {
  return (
    <ul className="flex flex-col gap-0.5">
      {[...folder.folders.entries()].map(([name, sub]) => (
        <li key={name}>
          <span className="flex items-center gap-1.5 py-0.5 text-muted-foreground">
            <FolderIcon aria-hidden className="size-4" /> {name}/
          </span>
          <div className="ml-4 border-l pl-2">
            <FolderView folder={sub} hrefOf={hrefOf} current={current} />
          </div>
        </li>
      ))}
      {folder.files.map((file) => (
        <li key={file.path}>
          <Link
            href={hrefOf(file.path)}
            aria-current={current === file.path ? 'page' : undefined}
            className={cn('flex items-center gap-1.5 rounded px-1 py-0.5 hover:bg-accent', current === file.path && 'bg-accent font-medium')}
          >
            <FileIcon aria-hidden className="size-4" />
            <span className="truncate">{file.path.split('/').pop()}</span>
            <span className="ml-auto text-xs text-muted-foreground">{sizeOf(file.size)}</span>
          </Link>
        </li>
      ))}
    </ul>
  );
}
