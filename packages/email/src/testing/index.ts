export * from './smtp-sink';
export * from './mail-folder';
