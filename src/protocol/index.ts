/**
 * The wire protocol: frames typed both ways (types, builders, parsers, version), the value
 * codec (tagged-value layout, encoder, decoder, ref walker, classifiers) and how errors cross.
 * Both sides import it; nothing else defines what travels.
 * @packageDocumentation
 */
export * from './frames.js';
export * from './tags.js';
export * from './classify.js';
export * from './ref-walk.js';
export * from './clock.js';
export * from './binary.js';
export * from './encoder.js';
export * from './transfer.js';
export * from './decoder.js';
export * from './errors-on-wire.js';
export * from './thrown.js';
