export * from './messages-api-stand-in';
export * from './embedding-stand-ins';
