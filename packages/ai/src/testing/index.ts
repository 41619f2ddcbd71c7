export * from './messages-api-stand-in';
