/**
 * The wire protocol: message types, value codec, validation and version, in one module.
 * Both sides import it; nothing else defines what travels.
 * @packageDocumentation
 */
export * from './frames.js';
export * from './codec.js';
export * from './errors-on-wire.js';
